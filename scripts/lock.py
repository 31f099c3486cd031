"""Write requirements/lock.txt: every runtime dependency of chainkg pinned, for Python 3.11 and up.

    pip install uv            # a developer's tool, only for this script
    python scripts/lock.py    # after changing [project.dependencies] in pyproject.toml

The lock covers the core dependencies only (no test or notebook extras): it is what `pip install .`,
`make demo` and the offline bundle (scripts/build_bundle.py) install. It is one universal
resolution (uv's `pip compile --universal`), so platform-only packages (colorama on Windows,
pexpect on Linux) carry environment markers and one file serves Windows and Linux alike. Only
wheels are considered (`--only-binary :all:`); scripts/check_wheels.py then proves that every
pin has a wheel for win_amd64, manylinux x86-64 and manylinux aarch64.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
PYTHON = "3.11"


def lock_command(out: Path = LOCK) -> list[str]:
    """The uv command that writes the lock (run from the checkout's root)."""
    return [sys.executable, "-m", "uv", "pip", "compile", "pyproject.toml", "--universal",
            "--python-version", PYTHON, "--only-binary", ":all:", "--quiet",
            "--custom-compile-command", "python scripts/lock.py", "-o", str(out)]


def main() -> int:
    try:
        import uv  # noqa: F401 - only checks that the tool is there
    except ImportError:
        print("scripts/lock.py needs uv: pip install uv", file=sys.stderr)
        return 1
    LOCK.parent.mkdir(exist_ok=True)
    done = subprocess.run(lock_command(), cwd=ROOT)
    if done.returncode == 0:
        print(f"wrote {LOCK.relative_to(ROOT)}; now run python scripts/check_wheels.py", file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
