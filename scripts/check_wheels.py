"""Prove that every locked dependency installs from wheels on Windows, Linux x86-64 and Linux aarch64.

    python scripts/check_wheels.py [--target win_amd64 ...] [--python 3.11] [--dest DIR]

For each target (win_amd64, manylinux_x86_64, manylinux_aarch64; glibc 2.28 at most) and Python
version, it runs `pip download --only-binary=:all: --no-deps --platform … --python-version …` on the
pins of requirements/lock.txt that apply there, then checks that the downloaded wheels' own
dependencies (and chainkg's, from pyproject.toml) are all satisfied by those pins. Needs the
network to the package index. Exits 1, naming each pin without a wheel and each unmet
dependency, when anything fails.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wheelhouse import PYTHONS, TARGETS, fetch  # noqa: E402


def check(targets: list[str], pythons: list[str], dest: Path) -> list[str]:
    """Check each target and Python; print one line each and return every problem found."""
    problems: list[str] = []
    for result in fetch(targets, pythons, dest):
        where = f"{result.target} / Python {result.python}"
        binary = sorted(p.name for p in result.wheels.values() if not p.name.endswith("-none-any.whl"))
        print(f"{where}: {len(result.wheels)} pins have a wheel ({len(binary)} platform-specific: "
              f"{', '.join(binary)}); " + (f"{len(result.problems)} problems" if result.problems
                                            else "dependencies closed"))
        if result.missing and result.errors:
            print(result.errors, file=sys.stderr)
        problems += [f"{where}: {problem}" for problem in result.problems]
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", action="append", choices=sorted(TARGETS), help="default: all three")
    ap.add_argument("--python", action="append", help=f"Python version(s), default {', '.join(PYTHONS)}")
    ap.add_argument("--dest", type=Path, help="keep the wheels here (default: a temporary folder)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chainkg_wheels_") as tmp:
        problems = check(args.target or list(TARGETS), args.python or list(PYTHONS), args.dest or Path(tmp))
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problems" if problems else "every locked dependency has a wheel on every target")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
