"""Wheels of the locked dependencies for each install target (used by check_wheels.py and build_bundle.py).

A target is an operating system and processor the bureau installs on: Windows x86-64, Linux
x86-64 and Linux aarch64 (飞腾/鲲鹏). `pip download --platform` fetches wheels for another machine
but evaluates environment markers for this one, so the markers of requirements/lock.txt and of
each wheel's own dependencies are evaluated here with the target's values (the `packaging`
library, which pip itself vendors).

>>> sorted(pins(parse_lock("colorama==0.4.6 ; sys_platform == 'win32'\\nnumpy==2.4.6\\n"),
...              marker_env(TARGETS["manylinux_aarch64"], "3.11")).items())
[('numpy', '2.4.6')]
"""
from __future__ import annotations

import email.parser
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.tags import Tag, compatible_tags, cpython_tags
    from packaging.utils import canonicalize_name, parse_wheel_filename
except ImportError:  # a bare Python with only pip: the same library, vendored
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.tags import Tag, compatible_tags, cpython_tags
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
PYTHONS = ("3.11",)
# The newest glibc a Linux wheel may need: 统信UOS 20, 麒麟 V10 and RHEL/CentOS 8 ship glibc 2.28.
GLIBC_MINOR = 28


def _manylinux(arch: str) -> tuple[str, ...]:
    """pip --platform tags for glibc 2.17 .. 2.28 (pip does not expand manylinux_2_28 by itself)."""
    return (*(f"manylinux_2_{minor}_{arch}" for minor in range(GLIBC_MINOR, 16, -1)), f"manylinux2014_{arch}")


@dataclass(frozen=True)
class Target:
    """One kind of machine: pip's platform tags and the values its environment markers see."""
    name: str
    platforms: tuple[str, ...]
    sys_platform: str
    platform_system: str
    platform_machine: str
    os_name: str


TARGETS = {t.name: t for t in (
    Target("win_amd64", ("win_amd64",), "win32", "Windows", "AMD64", "nt"),
    Target("manylinux_x86_64", _manylinux("x86_64"), "linux", "Linux", "x86_64", "posix"),
    Target("manylinux_aarch64", _manylinux("aarch64"), "linux", "Linux", "aarch64", "posix"),
)}


def marker_env(target: Target, python: str) -> dict[str, str]:
    """The PEP 508 marker values of CPython `python` (e.g. "3.11") on `target`."""
    return {"implementation_name": "cpython", "implementation_version": f"{python}.0",
            "os_name": target.os_name, "platform_machine": target.platform_machine,
            "platform_python_implementation": "CPython", "platform_release": "",
            "platform_system": target.platform_system, "platform_version": "",
            "python_full_version": f"{python}.0", "python_version": python,
            "sys_platform": target.sys_platform, "extra": ""}


def supported_tags(target: Target, python: str) -> set[Tag]:
    """Every wheel tag CPython `python` accepts on `target` (cp311-cp311-…, cp311-abi3-…, py3-none-any)."""
    version = tuple(int(part) for part in python.split("."))
    interpreter = "cp" + "".join(str(part) for part in version)
    return {*cpython_tags(version, platforms=target.platforms),
            *compatible_tags(version, interpreter, platforms=target.platforms)}


def parse_lock(text: str) -> list[Requirement]:
    """The pinned lines of a requirements file (comments and `# via` annotations skipped)."""
    lines = (line.split(" #")[0].strip() for line in text.splitlines() if line.strip() and line[0] not in "# -")
    return [Requirement(line) for line in lines if line]


def pins(locked: list[Requirement], env: dict[str, str]) -> dict[str, str]:
    """{canonical name: version} of the locked lines whose markers hold in `env`."""
    chosen: dict[str, str] = {}
    for req in locked:
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        version = next(iter(req.specifier)).version
        name = canonicalize_name(req.name)
        if chosen.get(name, version) != version:
            raise ValueError(f"{name} is locked twice for one platform: {chosen[name]} and {version}")
        chosen[name] = version
    return chosen


def _pip_download(target: Target, python: str, specs: list[str], dest: Path) -> subprocess.CompletedProcess:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(specs) + "\n")
    platforms = [arg for tag in target.platforms for arg in ("--platform", tag)]
    try:
        return subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                               "--no-deps", "--only-binary=:all:", "--implementation", "cp",
                               "--python-version", python, *platforms, "-d", str(dest), "-r", f.name],
                              capture_output=True, text=True)
    finally:
        Path(f.name).unlink()


@dataclass
class Download:
    """What one target's download gave: the wheel of each pin, and the pins that had none."""
    target: str
    python: str
    wheels: dict[str, Path]
    missing: list[str]
    errors: str = ""
    problems: list[str] = field(default_factory=list)


def download(target: Target, python: str, wanted: dict[str, str], dest: Path) -> Download:
    """Download the wheel of every pin in `wanted` for `target` into `dest` (which may hold other targets')."""
    dest.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}=={version}" for name, version in sorted(wanted.items())]
    done = _pip_download(target, python, specs, dest)
    errors = ""
    if done.returncode != 0:  # pip stops at the first pin without a wheel: try each to name them all
        errors = done.stderr.strip()
        for spec in specs:
            _pip_download(target, python, [spec], dest)
    wheels = wheels_for(target, python, wanted, dest)
    return Download(target.name, python, wheels, sorted(set(wanted) - set(wheels)), errors)


def wheels_for(target: Target, python: str, wanted: dict[str, str], folder: Path) -> dict[str, Path]:
    """{name: wheel file in `folder`} for the pins in `wanted` whose wheel installs on `target`."""
    tags = supported_tags(target, python)
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.whl")):
        name, version, _build, wheel_tags = parse_wheel_filename(path.name)
        if wanted.get(name) == str(version) and wheel_tags & tags:
            found[name] = path
    return found


def requires(wheel: Path) -> list[Requirement]:
    """The Requires-Dist lines of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        metadata = email.parser.BytesParser().parsebytes(z.read(name), headersonly=True)
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def unmet(demands: list[tuple[str, Requirement]], wanted: dict[str, str], env: dict[str, str]) -> list[str]:
    """Each (who, requirement) that applies in `env` but that the pins leave unsatisfied.

    >>> env = marker_env(TARGETS["win_amd64"], "3.11")
    >>> unmet([("tqdm", Requirement("colorama; platform_system == 'Windows'")),
    ...        ("x", Requirement("numpy>=2")), ("x", Requirement("pexpect; sys_platform != 'win32'"))],
    ...       {"numpy": "1.26.4"}, env)
    ['tqdm needs colorama; platform_system == "Windows", which is not locked', 'x needs numpy>=2, locked at 1.26.4']
    """
    problems = []
    for who, req in demands:
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        version = wanted.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{who} needs {req}, which is not locked")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{who} needs {req}, locked at {version}")
    return problems


def closure_problems(result: Download, wanted: dict[str, str], env: dict[str, str]) -> list[str]:
    """Dependencies of the downloaded wheels that the lock does not satisfy on this target."""
    demands = [(name, req) for name, wheel in result.wheels.items() for req in requires(wheel)]
    return unmet(demands, wanted, env)


def project_requirements(root: Path = ROOT) -> list[tuple[str, Requirement]]:
    """chainkg's own dependencies from pyproject.toml, as (who, requirement) pairs."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [("chainkg", Requirement(line)) for line in project["dependencies"]]


def fetch(targets: list[str], pythons: list[str], dest: Path, lock: Path = LOCK) -> list[Download]:
    """Download the locked wheels of each target and Python into `dest` and check each set.

    Each result's `problems` names every pin without a wheel and every dependency (of a wheel
    or of chainkg) that the pins leave unmet on that target.
    """
    locked = parse_lock(lock.read_text(encoding="utf-8"))
    results = []
    for python in pythons:
        for name in targets:
            target = TARGETS[name]
            env = marker_env(target, python)
            wanted = pins(locked, env)
            result = download(target, python, wanted, dest)
            result.problems = [f"no wheel for {pin}=={wanted[pin]}" for pin in result.missing]
            result.problems += closure_problems(result, wanted, env) + unmet(project_requirements(), wanted, env)
            results.append(result)
    return results
