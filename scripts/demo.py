"""The demo, without make (Windows too): set up .venv with what it needs, run the main job on the built-in data.

    python scripts/demo.py [--out out]        # what `make demo` runs

Prints the graph's counts and each chain's completeness, writes the target-company list to
out/招商引资目标企业清单.xlsx and the offline chain maps to out/site/index.html.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from setup_env import ROOT, SetupError, ensure, venv_script  # noqa: E402


def demo_commands(out: Path) -> list[list[str]]:
    """The chainkg commands of the demo, in order."""
    return [["stats"], ["completeness"], ["targets", "--out", str(out / "招商引资目标企业清单.xlsx")],
            ["site", "--out", str(out / "site")], ["checklist", "--out", str(out / "核实清单.xlsx")]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="演示：安装并用内置乌海数据运行 / the demo on the built-in Wuhai data")
    ap.add_argument("--out", type=Path, default=ROOT / "out", help="输出文件夹（默认 out） / output folder")
    ap.add_argument("--venv", type=Path, help="虚拟环境文件夹（默认 .venv） / environment folder")
    args = ap.parse_args(argv)
    venv_dir = args.venv.resolve() if args.venv else ROOT / ".venv"
    try:
        ensure(ROOT, venv_dir)
    except SetupError as err:
        print(err, file=sys.stderr)
        return 1
    chainkg = str(venv_script(venv_dir, "chainkg"))
    for command in demo_commands(args.out):
        done = subprocess.run([chainkg, *command])
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
