#!/bin/sh
# chainkg 启动器（Linux：统信UOS、麒麟等；x86-64 与 aarch64 飞腾/鲲鹏）：双击或在终端运行，
# 首次运行时在本文件夹建立 .venv 并安装（有 wheels 文件夹时离线安装），然后启动图谱并打开浏览器。
# chainkg launcher for Linux: the first run creates .venv here and installs (offline when a wheels/
# folder is here), then it starts the app and opens the browser. Options go to `python -m cli.launch`.
set -e
cd "$(dirname "$0")"
PY=""
if [ -x .venv/bin/python ]; then
  PY=.venv/bin/python
else
  for candidate in python3.11 python3.12 python3.13 python3.14 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
      PY=$candidate
      break
    fi
  done
fi
if [ -z "$PY" ]; then
  echo "未找到 Python 3.11 或更新版本。统信UOS/麒麟默认不带，请先按 安装说明.txt 或 README 的中文部分安装。"
  echo "Python 3.11 or newer was not found: install it first (see the install instructions)."
  exit 1
fi
"$PY" scripts/setup_env.py
exec .venv/bin/python -m cli.launch "$@"
