"""Build the offline install bundle: a folder (and optionally a .zip) that installs with no network.

    python scripts/build_bundle.py [--out dist] [--zip] [--target win_amd64 ...] [--python 3.11 ...]

The folder `dist/chainkg-<version>-offline/` holds:
- wheels/: chainkg's own wheel and the wheel of every locked dependency (requirements/lock.txt)
  for each target: win_amd64, manylinux_x86_64, manylinux_aarch64 (default: all three);
- 启动图谱.bat and 启动图谱.sh, the launchers, and scripts/setup_env.py, which they run first
  (it sees wheels/ and installs with `pip install --no-index --find-links wheels chainkg`);
- 安装说明.txt, the instructions in Chinese (UTF-8 with BOM and CRLF, so Windows Notepad shows it);
- bundle.json: version, Python versions, targets and the wheels of each.
Building needs the network to the package index; installing from the bundle does not. Runs on
Windows and Linux.
"""
from __future__ import annotations

import argparse
import json
import shutil
import string
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from setup_env import BUNDLE_MANIFEST, ROOT, _package_dirs  # noqa: E402
from wheelhouse import PYTHONS, TARGETS, fetch  # noqa: E402

LAUNCHERS = ("启动图谱.bat", "启动图谱.sh")
INSTRUCTIONS = ROOT / "scripts" / "bundle" / "安装说明.txt"


def version(root: Path = ROOT) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def build_project_wheel(dest: Path, root: Path = ROOT) -> Path:
    """chainkg's wheel, built from a clean copy of what it ships (no stale build/ folder can leak in)."""
    with tempfile.TemporaryDirectory(prefix="chainkg_src_") as tmp:
        src = Path(tmp)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(root / name, src / name)
        for folder in _package_dirs(root):
            shutil.copytree(folder, src / folder.name, ignore=shutil.ignore_patterns("__pycache__", "_staging"))
        done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
                               "--no-deps", "-w", str(dest), str(src)], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"building chainkg's wheel failed:\n{done.stdout}{done.stderr}")
    return next(dest.glob(f"chainkg-{version(root)}-*.whl"))


def write_instructions(path: Path, values: dict[str, str]) -> None:
    """安装说明.txt with the bundle's version, Python and targets filled in, for Notepad (BOM, CRLF)."""
    text = string.Template(INSTRUCTIONS.read_text(encoding="utf-8")).substitute(values)
    path.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8-sig"))


def build_bundle(out: Path, targets: list[str], pythons: list[str], root: Path = ROOT) -> Path:
    """Write the bundle folder under `out` and return it; raise RuntimeError naming every missing wheel."""
    bundle = out / f"chainkg-{version(root)}-offline"
    if bundle.exists():
        shutil.rmtree(bundle)
    wheels = bundle / "wheels"
    wheels.mkdir(parents=True)
    project_wheel = build_project_wheel(wheels, root)
    results = fetch(targets, pythons, wheels)
    problems = [f"{r.target} / Python {r.python}: {p}" for r in results for p in r.problems]
    if problems:
        raise RuntimeError("the bundle would be incomplete:\n" + "\n".join(problems))
    for name in LAUNCHERS:
        shutil.copy2(root / name, bundle / name)  # copy2 keeps the .sh executable
    (bundle / "scripts").mkdir()
    shutil.copy2(root / "scripts" / "setup_env.py", bundle / "scripts" / "setup_env.py")
    manifest = {"name": "chainkg", "version": version(root), "pythons": pythons, "targets": targets,
                "project_wheel": project_wheel.name,
                "wheels": {f"{r.target} / {r.python}": sorted(p.name for p in r.wheels.values()) for r in results}}
    (bundle / BUNDLE_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_instructions(bundle / "安装说明.txt", {"version": version(root), "pythons": "、".join(pythons),
                                               "targets": ", ".join(targets)})
    return bundle


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    ap.add_argument("--target", action="append", choices=sorted(TARGETS), help="default: all three")
    ap.add_argument("--python", action="append", help=f"Python version(s), default {', '.join(PYTHONS)}")
    ap.add_argument("--zip", action="store_true", help="also write <bundle>.zip beside the folder")
    args = ap.parse_args(argv)
    try:
        bundle = build_bundle(args.out, args.target or list(TARGETS), args.python or list(PYTHONS))
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    print(bundle)
    if args.zip:
        print(shutil.make_archive(str(bundle), "zip", root_dir=bundle.parent, base_dir=bundle.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
