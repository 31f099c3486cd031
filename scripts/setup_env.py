"""Create .venv beside this folder and install chainkg into it; nothing happens when it is up to date.

    python scripts/setup_env.py [--venv .venv] [--extras test,notebooks]

Two sources, chosen by what is here:
- a checkout (pyproject.toml present): `pip install ".[extras]" -c requirements/lock.txt` from the
  package index (or the mirror pip is configured for): the core dependencies at their locked
  versions. No extras is what the demo and the launchers need.
- the offline bundle (a wheels/ folder, see scripts/build_bundle.py): `pip install --no-index
  --find-links wheels chainkg`, no network at all.
`make demo`, `make test`, scripts/demo.py and the launchers (启动图谱.bat / 启动图谱.sh) all start
here. It runs on Windows and Linux alike; messages are Chinese first, English beside.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = "chainkg-install.json"
BUNDLE_MANIFEST = "bundle.json"
MIN_PYTHON = (3, 11)


class SetupError(Exception):
    """A message for the person at the screen (Chinese / English)."""


def venv_python(venv_dir: Path) -> Path:
    """The interpreter inside a virtual environment, on Windows or elsewhere."""
    return venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_script(venv_dir: Path, name: str) -> Path:
    """A console script (e.g. chainkg) installed in a virtual environment."""
    return venv_dir / (f"Scripts/{name}.exe" if os.name == "nt" else f"bin/{name}")


def _package_dirs(root: Path) -> list[Path]:
    import tomllib

    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return [root / pattern.rstrip("*") for pattern in include]


def source_digest(root: Path) -> str:
    """A hash of what `pip install .` would install: pyproject.toml, README.md and the package folders."""
    h = hashlib.sha256()
    files = [root / "pyproject.toml", root / "README.md"]
    for folder in _package_dirs(root):
        files += sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                        and "_staging" not in p.parts)
    for path in files:
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def bundle_digest(wheels: Path) -> str:
    """A hash of the wheel names of an offline bundle."""
    return hashlib.sha256("\n".join(sorted(p.name for p in wheels.glob("*.whl"))).encode()).hexdigest()


def _check_python() -> None:
    if sys.version_info < MIN_PYTHON:
        raise SetupError(f"需要 Python 3.11 或更新版本，当前为 {platform.python_version()}。"
                         f" / Python 3.11 or newer is needed, this is {platform.python_version()}.")


def _check_bundle(root: Path) -> None:
    """The bundle holds wheels for some Python versions and machines only: say so before pip fails."""
    manifest_path = root / BUNDLE_MANIFEST
    if not manifest_path.exists():
        return
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if here not in manifest["pythons"]:
        wanted = "、".join(manifest["pythons"])
        raise SetupError(f"此安装包只含 Python {wanted} 的组件，本机运行的是 Python {here}：请安装 Python {wanted}"
                         f"（见 安装说明.txt）。 / this bundle holds wheels for Python {wanted} only, this is {here}.")
    target = this_target()
    if target not in manifest["targets"]:
        raise SetupError(f"此安装包不含本机（{sys.platform} {platform.machine()}）的组件，只支持："
                         f"{', '.join(manifest['targets'])}。 / this bundle has no wheels for this machine.")


def this_target() -> str | None:
    """This machine as a bundle target name (scripts/wheelhouse.py), or None (e.g. LoongArch, macOS)."""
    machine = platform.machine().lower()
    if os.name == "nt":
        return "win_amd64" if machine in ("amd64", "x86_64") else None
    if sys.platform.startswith("linux"):
        return {"x86_64": "manylinux_x86_64", "amd64": "manylinux_x86_64",
                "aarch64": "manylinux_aarch64", "arm64": "manylinux_aarch64"}.get(machine)
    return None


def _stamp(venv_dir: Path) -> dict:
    try:
        return json.loads((venv_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ensure(root: Path = ROOT, venv_dir: Path | None = None, extras: tuple[str, ...] = ()) -> Path:
    """Make `venv_dir` (default root/.venv) hold chainkg as it is in `root`; return its Python.

    Installs only when the sources (or the bundle's wheels) or the requested extras changed since
    the last install, recorded in the environment's chainkg-install.json.
    """
    _check_python()
    venv_dir = venv_dir or root / ".venv"
    wheels = root / "wheels"
    offline = wheels.is_dir() and not (root / "pyproject.toml").exists()
    if offline:
        _check_bundle(root)
    digest = bundle_digest(wheels) if offline else source_digest(root)
    python = venv_python(venv_dir)
    old = _stamp(venv_dir) if python.exists() else {}
    kept = set(old.get("extras", [])) if old.get("digest") == digest else set()
    if python.exists() and old.get("digest") == digest and set(extras) <= kept:
        return python
    if not python.exists():
        print(f"正在建立运行环境 {venv_dir} … / creating {venv_dir}", file=sys.stderr, flush=True)
        venv.EnvBuilder(with_pip=True).create(venv_dir)
    wanted = sorted(set(extras) | set(old.get("extras", [])))
    print("正在安装 chainkg 及其依赖（首次约需 1–3 分钟）… / installing chainkg and its dependencies",
          file=sys.stderr, flush=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if offline:
        command = [*pip, "--no-index", "--find-links", str(wheels), "chainkg"]
    else:
        # setuptools copies the packages to build/lib and never removes what the checkout no longer
        # has: a renamed CSV in loaders/data would be installed and loaded again. Start it afresh.
        shutil.rmtree(root / "build" / "lib", ignore_errors=True)
        lock = root / "requirements" / "lock.txt"  # the locked versions of the core dependencies
        command = [*pip, f"{root}[{','.join(wanted)}]" if wanted else str(root),
                   *(["--constraint", str(lock)] if lock.exists() else [])]
    if subprocess.run(command).returncode != 0:
        where = "安装包的 wheels 文件夹不完整" if offline else "能否访问 Python 软件包索引（PyPI 或内网镜像）"
        raise SetupError(f"安装失败，请检查{where}，并把上面的信息发给信息技术人员。"
                         f" / install failed: see pip's message above.")
    (venv_dir / STAMP).write_text(json.dumps({"digest": digest, "extras": [] if offline else wanted}),
                                  encoding="utf-8")
    print("安装完成。 / installed.", file=sys.stderr, flush=True)
    return python


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="建立 .venv 并安装 chainkg / create .venv and install chainkg")
    ap.add_argument("--venv", type=Path, help="虚拟环境文件夹（默认 .venv） / environment folder")
    ap.add_argument("--extras", default="", help="附加组件，如 test,notebooks / extras, e.g. test,notebooks")
    args = ap.parse_args(argv)
    try:
        ensure(ROOT, args.venv.resolve() if args.venv else None, tuple(filter(None, args.extras.split(","))))
    except SetupError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
