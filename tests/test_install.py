"""The install route without a terminal: launchers, lock file, wheel selection, setup_env, cli.launch.

Offline and fast. What needs the package index (wheels of every locked pin for each target, the
offline bundle installed and launched) is in test_install_net.py, run with CHAINKG_NET_TESTS=1.
"""
from __future__ import annotations

import _thread
import contextlib
import json
import os
import re
import sys
import threading
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import build_bundle  # noqa: E402
import setup_env  # noqa: E402
import wheelhouse  # noqa: E402
from cli import launch as launch_module  # noqa: E402
from wheelhouse import TARGETS, Requirement, marker_env  # noqa: E402

BAT = ROOT / "启动图谱.bat"
SH = ROOT / "启动图谱.sh"
TOOLS_ONLY = {"pytest", "playwright", "nbmake", "ipykernel", "jupyterlab", "matplotlib", "uv"}


# -- launchers ---------------------------------------------------------------------------------

def test_bat_is_ascii_with_crlf_only():
    data = BAT.read_bytes()
    data.decode("ascii")  # raises on any byte >= 0x80: cmd.exe would read it as GBK
    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n") > 10
    assert data.count(b"\r") == data.count(b"\r\n")


def test_bat_runs_setup_env_then_cli_launch_from_its_own_folder():
    text = BAT.read_text(encoding="ascii")
    assert 'cd /d "%~dp0"' in text
    assert text.index(r"scripts\setup_env.py") < text.index("-m cli.launch %*")
    assert (ROOT / "scripts" / "setup_env.py").exists()


def test_sh_has_lf_only_a_shebang_and_is_executable():
    data = SH.read_bytes()
    assert b"\r" not in data
    assert data.startswith(b"#!/bin/sh\n")
    assert os.access(SH, os.X_OK)
    text = data.decode("utf-8")
    assert text.index("scripts/setup_env.py") < text.index('-m cli.launch "$@"')


# -- lock file ---------------------------------------------------------------------------------

def _pins(target: str) -> dict[str, str]:
    return wheelhouse.pins(wheelhouse.parse_lock(wheelhouse.LOCK.read_text(encoding="utf-8")),
                           marker_env(TARGETS[target], "3.11"))


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_lock_satisfies_every_core_dependency_on_each_target(target):
    problems = wheelhouse.unmet(wheelhouse.project_requirements(), _pins(target), marker_env(TARGETS[target], "3.11"))
    assert problems == [], "rerun python scripts/lock.py"


def test_lock_holds_no_test_or_notebook_tool_and_the_workbench_dependencies():
    pinned = set(_pins("manylinux_x86_64")) | set(_pins("win_amd64"))
    assert not pinned & TOOLS_ONLY
    assert {"django", "waitress", "platformdirs", "neo4j-rust-ext"} <= pinned
    assert _pins("win_amd64")["django"].startswith("5.2.")


def test_core_dependencies_include_no_extra_tool():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {wheelhouse.canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    assert not core & TOOLS_ONLY
    assert "pytest" in {Requirement(r).name for r in project["optional-dependencies"]["test"]}


def test_platform_markers_pick_the_right_lines():
    lock = ("colorama==0.4.6 ; sys_platform == 'win32'\n    # via tqdm\n"
            "pexpect==4.9.0 ; sys_platform != 'emscripten' and sys_platform != 'win32'\n"
            "numpy==2.4.6 ; python_full_version < '3.12'\nnumpy==2.5.5 ; python_full_version >= '3.12'\n")
    locked = wheelhouse.parse_lock(lock)
    assert wheelhouse.pins(locked, marker_env(TARGETS["win_amd64"], "3.11")) == {"colorama": "0.4.6", "numpy": "2.4.6"}
    assert wheelhouse.pins(locked, marker_env(TARGETS["manylinux_aarch64"], "3.12")) == {"pexpect": "4.9.0",
                                                                                         "numpy": "2.5.5"}


def test_a_pin_locked_twice_for_one_platform_is_an_error():
    with pytest.raises(ValueError, match="numpy"):
        wheelhouse.pins(wheelhouse.parse_lock("numpy==2.4.6\nnumpy==2.5.5\n"), marker_env(TARGETS["win_amd64"], "3.11"))


# -- wheel selection ---------------------------------------------------------------------------

def _touch(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_bytes(b"")


def test_wheels_for_keeps_only_what_installs_on_the_target(tmp_path):
    _touch(tmp_path,
           "numpy-2.4.6-cp311-cp311-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl",   # glibc 2.27: yes
           "numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",     # other processor
           "numpy-2.4.6-cp312-cp312-manylinux_2_27_aarch64.whl",                          # other Python
           "numpy-2.4.5-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",    # other version
           "pandas-3.1.1-cp311-cp311-manylinux_2_31_aarch64.whl",                         # glibc 2.31: too new
           "psutil-7.2.2-cp36-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl",     # stable ABI: yes
           "waitress-3.0.2-py3-none-any.whl",                                             # pure: yes
           "colorama-0.4.6-py2.py3-none-any.whl")                                         # not wanted here
    wanted = {"numpy": "2.4.6", "pandas": "3.1.1", "psutil": "7.2.2", "waitress": "3.0.2"}
    found = wheelhouse.wheels_for(TARGETS["manylinux_aarch64"], "3.11", wanted, tmp_path)
    assert {k: v.name for k, v in found.items()} == {
        "numpy": "numpy-2.4.6-cp311-cp311-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl",
        "psutil": "psutil-7.2.2-cp36-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl",
        "waitress": "waitress-3.0.2-py3-none-any.whl"}
    assert wheelhouse.wheels_for(TARGETS["win_amd64"], "3.11", wanted, tmp_path).keys() == {"waitress"}


def _wheel(folder: Path, name: str, version: str, requires: list[str]) -> Path:
    path = folder / f"{name}-{version}-py3-none-any.whl"
    meta = "Metadata-Version: 2.1\nName: {}\nVersion: {}\n{}".format(
        name, version, "".join(f"Requires-Dist: {r}\n" for r in requires))
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}-{version}.dist-info/METADATA", meta)
    return path


def test_closure_reports_a_dependency_the_lock_misses_on_one_platform_only(tmp_path):
    wheel = _wheel(tmp_path, "django", "5.2.19", ["asgiref>=3.8.1", "sqlparse>=0.3.1",
                                                  "tzdata; sys_platform == 'win32'", "argon2-cffi>=19.1.0; extra == 'argon2'"])
    wanted = {"django": "5.2.19", "asgiref": "3.13.0", "sqlparse": "0.6.1"}
    linux = wheelhouse.Download("manylinux_x86_64", "3.11", {"django": wheel}, [])
    windows = wheelhouse.Download("win_amd64", "3.11", {"django": wheel}, [])
    assert wheelhouse.closure_problems(linux, wanted, marker_env(TARGETS["manylinux_x86_64"], "3.11")) == []
    assert wheelhouse.closure_problems(windows, wanted, marker_env(TARGETS["win_amd64"], "3.11")) == [
        'django needs tzdata; sys_platform == "win32", which is not locked']
    old = {**wanted, "asgiref": "3.7.0"}
    assert wheelhouse.closure_problems(linux, old, marker_env(TARGETS["manylinux_x86_64"], "3.11")) == [
        "django needs asgiref>=3.8.1, locked at 3.7.0"]


def test_linux_targets_accept_glibc_2_17_to_2_28():
    platforms = TARGETS["manylinux_aarch64"].platforms
    assert "manylinux_2_28_aarch64" in platforms and "manylinux2014_aarch64" in platforms
    assert "manylinux_2_17_aarch64" in platforms and "manylinux_2_29_aarch64" not in platforms


# -- setup_env ---------------------------------------------------------------------------------

def _checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "graph").mkdir(parents=True)
    (root / "graph" / "__init__.py").write_text("x = 1\n")
    (root / "tests").mkdir()
    (root / "README.md").write_text("readme\n")
    (root / "pyproject.toml").write_text('[project]\nname = "chainkg"\n'
                                         '[tool.setuptools.packages.find]\ninclude = ["graph*"]\n')
    return root


def test_source_digest_follows_the_packages_not_the_tests(tmp_path):
    root = _checkout(tmp_path)
    before = setup_env.source_digest(root)
    (root / "tests" / "test_x.py").write_text("pass\n")
    (root / "graph" / "__pycache__").mkdir()
    (root / "graph" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert setup_env.source_digest(root) == before
    (root / "graph" / "__init__.py").write_text("x = 2\n")
    assert setup_env.source_digest(root) != before


def _fake_venv(venv: Path, stamp: dict) -> None:
    python = setup_env.venv_python(venv)
    python.parent.mkdir(parents=True)
    python.write_text("")
    (venv / setup_env.STAMP).write_text(json.dumps(stamp))


def test_ensure_installs_nothing_when_up_to_date_and_reinstalls_for_new_extras(tmp_path, monkeypatch):
    root = _checkout(tmp_path)
    venv = tmp_path / "venv"
    _fake_venv(venv, {"digest": setup_env.source_digest(root), "extras": ["test"]})
    calls = []
    monkeypatch.setattr(setup_env.subprocess, "run", lambda cmd, **kw: calls.append(cmd) or
                        type("Done", (), {"returncode": 0})())
    assert setup_env.ensure(root, venv, ()) == setup_env.venv_python(venv)
    assert setup_env.ensure(root, venv, ("test",)) == setup_env.venv_python(venv)
    assert calls == []
    stale = root / "build" / "lib" / "loaders" / "data" / "old_name.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("id\n")
    setup_env.ensure(root, venv, ("notebooks",))
    assert len(calls) == 1 and calls[0][-1] == f"{root}[notebooks,test]"  # no lock in this checkout
    assert not stale.exists()  # setuptools' copy of the packages, which keeps deleted files


def test_ensure_installs_offline_from_a_bundles_wheels(tmp_path, monkeypatch):
    bundle = tmp_path / "bundle"
    (bundle / "wheels").mkdir(parents=True)
    _touch(bundle / "wheels", "chainkg-0.1.0-py3-none-any.whl")
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    (bundle / "bundle.json").write_text(json.dumps(
        {"pythons": [here], "targets": [setup_env.this_target()]}))
    venv = tmp_path / "venv"
    _fake_venv(venv, {})
    calls = []
    monkeypatch.setattr(setup_env.subprocess, "run", lambda cmd, **kw: calls.append(cmd) or
                        type("Done", (), {"returncode": 0})())
    setup_env.ensure(bundle, venv)
    assert calls[0][-4:] == ["--no-index", "--find-links", str(bundle / "wheels"), "chainkg"]
    setup_env.ensure(bundle, venv)
    assert len(calls) == 1


def test_a_bundle_for_another_python_or_machine_says_so_in_chinese(tmp_path):
    (tmp_path / "bundle.json").write_text('{"pythons": ["3.99"], "targets": ["manylinux_x86_64"]}')
    with pytest.raises(setup_env.SetupError, match="此安装包只含 Python 3.99"):
        setup_env._check_bundle(tmp_path)
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    (tmp_path / "bundle.json").write_text(f'{{"pythons": ["{here}"], "targets": ["loongarch64"]}}')
    with pytest.raises(setup_env.SetupError, match="此安装包不含本机"):
        setup_env._check_bundle(tmp_path)


def test_failed_install_is_a_bilingual_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    root = _checkout(tmp_path)
    _fake_venv(tmp_path / "venv", {})
    monkeypatch.setattr(setup_env, "ROOT", root)
    monkeypatch.setattr(setup_env.subprocess, "run", lambda cmd, **kw: type("Done", (), {"returncode": 1})())
    assert setup_env.main(["--venv", str(tmp_path / "venv")]) == 1
    assert "安装失败" in capsys.readouterr().err


def test_this_target_names_a_bundle_target():
    assert setup_env.this_target() in (*TARGETS, None)


# -- bundle instructions -----------------------------------------------------------------------

def test_instructions_are_filled_in_for_notepad(tmp_path):
    path = tmp_path / "安装说明.txt"
    build_bundle.write_instructions(path, {"version": "9.8.7", "pythons": "3.11", "targets": "win_amd64"})
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode("utf-8"))
    assert data.count(b"\n") == data.count(b"\r\n")
    text = data.decode("utf-8-sig")
    assert "9.8.7" in text and "Python 3.11" in text and "$" not in text
    for step in ("Windows", "统信UOS", "飞腾", "龙芯", "--no-index --find-links wheels"):
        assert step in text


# -- cli.launch --------------------------------------------------------------------------------

def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.geturl(), r.read().decode("utf-8")


@contextlib.contextmanager
def _serving(server):
    """Run a waitress server in a thread; stop it from its own loop (closing its sockets there)."""
    from waitress import wasyncore

    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(10)
        server.task_dispatcher.shutdown()
        assert not thread.is_alive()


def _signs_in(url: str, user: str, password: str) -> bool:
    """Log in through the login form (CSRF and all): a redirect to the overview, which then answers."""
    from workbench_fixtures import Client

    client = Client(url)
    done = client.login(user, password)
    return done.status == 302 and client.get("/").status == 200


def test_start_serves_the_workbench_login_on_loopback_and_creates_the_first_admin_once(tmp_path, tiny_dir):
    home = tmp_path / "工作区"
    app = launch_module.start(home, tiny_dir, port=0)
    with _serving(app.server):
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", app.url)
        status, landed, page = _get(app.url)  # anonymous: sent to the login page
        assert status == 200 and landed.startswith(app.url + "login/")
        assert "<title>登录 / Log in</title>" in page
        assert _signs_in(app.url, "admin", app.first_password)
        assert not _signs_in(app.url, "admin", app.first_password + "x")
        from tracking.accounts import list_users

        assert [(u.username, u.role) for u in list_users()] == [("admin", "管理员")]
        assert [p.name for p in (home / "data").iterdir()] == ["0001"]  # --data became the current data
    again = launch_module.start(home, port=0)
    again.server.close()
    assert again.first_password is None  # users exist: nothing created, no password shown


def test_launch_opens_the_browser_at_the_page_and_stops_on_ctrl_c(tmp_path, monkeypatch, capsys):
    seen = {}

    def browser(url):  # a stand-in browser: fetch the page in a thread, then press Ctrl+C
        def visit():
            seen["status"], _, seen["page"] = _get(url)
            _thread.interrupt_main()
        seen["url"] = url
        threading.Thread(target=visit, daemon=True).start()
        return True

    monkeypatch.setattr(launch_module.webbrowser, "open", browser)
    assert launch_module.launch(tmp_path / "工作区") == 0
    assert seen["status"] == 200 and "登录 / Log in" in seen["page"]
    err = capsys.readouterr().err
    assert f"图谱已启动：{seen['url']}" in err
    password = re.search(r"密码 / password: +(\S+)", err).group(1)
    from django.contrib.auth.hashers import check_password
    from django.contrib.auth.models import User

    assert check_password(password, User.objects.get(username="admin").password)


def test_launch_with_unreadable_data_is_a_message_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "data.docx"
    bad.write_text("not a table")
    assert launch_module.launch(tmp_path / "工作区", bad, open_browser=False) == 2  # bad input: exit 2 (issue 12)
    err = capsys.readouterr().err
    assert "无法启动" in err and "错误 [source-kind]" in err and "Traceback" not in err


def test_register_adds_launch_to_a_cli(monkeypatch):
    import argparse

    ap = argparse.ArgumentParser()
    launch_module.register(ap.add_subparsers(dest="command"))
    args = ap.parse_args(["launch", "--no-browser", "--port", "0"])
    assert args.func is launch_module.run and args.no_browser


def test_bundle_reads_its_files_from_the_checkout():
    for name in build_bundle.LAUNCHERS:
        assert (ROOT / name).exists()
    assert build_bundle.INSTRUCTIONS.exists()
    assert build_bundle.version() == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]



@pytest.mark.parametrize("module", [wheelhouse, launch_module])
def test_docstring_examples(module):
    import doctest

    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
