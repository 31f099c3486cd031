"""No traceback reaches a user: every command, found from the parser itself, given bad arguments
and bad files, answers with one bilingual line with a specific code and exit 2 (3: Neo4j without
a server), never a traceback and never exit 1. Then the handler's own cases: an unexpected error
is logged (exit 1), Ctrl+C (130), a closed pipe (quiet), --debug.
"""
from __future__ import annotations

import _thread
import argparse
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import cli.main
from cli.argparse_zh import translate
from cli.handler import redacted

ROOT = Path(__file__).parents[1]


def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every runnable command: (its words, its parser), through the sub-parsers' choices."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, child in subs[0].choices.items():
        yield from leaves(child, path + (name,))


COMMANDS = dict((" ".join(path), p) for path, p in leaves(cli.main.parser()))


def options(p: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {s: a for a in p._actions for s in a.option_strings}


# values that satisfy a required argument, by dest ({tmp} is the test's folder)
FILL = {"dir": "{tmp}/tpl", "out": "{tmp}/out", "firms": "10", "firm": "E3", "stage": "接洽", "file": "{tmp}/in.xlsx",
        "name": "甲", "username": "u1", "period": "2023-09", "code": "P9", "date": "2023-09-01", "kind": "国内",
        "amount": "1", "archive": "{tmp}/backup.zip", "folder": "{tmp}/import"}
OUT_FILE = {"--out": "{tmp}/out.xlsx"}  # a required --out is a file (track export, backup: .zip below)


def filler(name: str, p: argparse.ArgumentParser, tiny: Path) -> list[str]:
    """The arguments a command needs to get past parsing: required ones, its data (tiny), a user."""
    argv: list[str] = []
    for a in p._actions:
        if isinstance(a, argparse._HelpAction) or not (a.required or not a.option_strings):
            continue
        value = FILL[a.dest]
        if a.option_strings:
            value = "{tmp}/backup.zip" if name == "backup" else OUT_FILE.get(a.option_strings[0], value)
            argv += [a.option_strings[0], value]
        else:
            argv.append(value)
    opts = options(p)
    if "--data" in opts:
        argv += ["--data", str(tiny)]
    if "--user" in opts:
        argv += ["--user", "管理员甲"]
    if name == "whatif":
        argv += ["--add", "E3:bdo"]
    if "--no-browser" in opts:  # launch: never a browser, and a busy port so that it cannot start serving
        argv += ["--no-browser", "--port", "{busy}"]
    return argv


@dataclass
class Case:
    command: str
    kind: str
    argv: list[str]  # with {tmp}, {busy} placeholders; `--data` given last wins
    code: str = ""  # expected in '错误 [code…'
    exit: int = 2
    marks: list = field(default_factory=list)


def _replace(argv: list[str], flag: str, value: str) -> list[str]:
    out = list(argv)
    if flag in out:
        out[out.index(flag) + 1] = value
        return out
    return out + [flag, value]


def cases() -> list[Case]:
    tiny = "{tiny}"
    out: list[Case] = []
    for name, p in COMMANDS.items():
        words = name.split()
        opts = options(p)
        base = filler(name, p, Path(tiny))
        out.append(Case(name, "unknown-option", words + base + ["--no-such-option"], "usage"))
        if any(a.required or not a.option_strings for a in p._actions if not isinstance(a, argparse._HelpAction)):
            out.append(Case(name, "missing-required", words, "usage"))
        for flag, a in opts.items():
            if flag.startswith("--") and a.type is not None and a.nargs is None and flag == a.option_strings[-1]:
                out.append(Case(name, f"bad-value{flag}", words + _replace(base, flag, "abc"), "usage"))
            if flag.startswith("--") and a.choices and flag == a.option_strings[-1]:
                out.append(Case(name, f"bad-choice{flag}", words + _replace(base, flag, "不存在的选项"), "usage"))
        if "--data" in opts:
            out.append(Case(name, "data-missing", words + _replace(base, "--data", "{tmp}/没有这个文件夹"), "source-missing"))
            for kind in ("empty", "garbage", "binary"):
                out.append(Case(name, f"data-{kind}", words + _replace(base, "--data", "{tmp}/" + kind)))
            out.append(Case(name, "data-corrupt-xlsx", words + _replace(base, "--data", "{tmp}/corrupt.xlsx")))
        if "--config" in opts:
            out.append(Case(name, "config-missing", words + _replace(base, "--config", "{tmp}/没有.toml")))
        if "--chain" in opts:
            out.append(Case(name, "chain-unknown", words + _replace(base, "--chain", "煤化工不存在"), "unknown-"))
        if "--region" in opts:
            out.append(Case(name, "region-unknown", words + _replace(base, "--region", "火星"), "unknown-"))
        if "--backend" in opts:
            out.append(Case(name, "neo4j-no-server", words + base + ["--backend", "neo4j"], "neo4j-not-configured", 3))
        if words[0] == "neo4j" and words[1] != "import-files":  # import-files writes files, needs no server
            out.append(Case(name, "neo4j-no-server", words + base, "neo4j-not-configured", 3))
        if "--out" in opts and words[0] not in ("neo4j", "generate"):
            out.append(Case(name, "out-blocked", words + _replace(base, "--out", "{tmp}/a-file/x.xlsx"), "out-"))
            if ".xlsx" in (opts["--out"].help or "") and "文件夹" not in (opts["--out"].help or ""):
                out.append(Case(name, "out-kind", words + _replace(base, "--out", "{tmp}/out.txt"), "out-kind"))
        if "--port" in opts:
            extra = ["--serve"] if "--serve" in opts else []
            out.append(Case(name, "port-in-use", words + _replace(base, "--port", "{busy}") + extra, "port-in-use"))
        if "--home" in opts:  # a file where the workspace folder should be
            home = words + _replace(base, "--home", "{tmp}/a-file")
            if "--with-tracking" in opts:  # targets and library open the workspace only for its records
                home += ["--with-tracking", "--out", "{tmp}/out.xlsx"]
            out.append(Case(name, "home-is-a-file", home, "" if name == "restore" else "home-unusable"))
        for positional in ("file", "archive"):
            if any(a.dest == positional and not a.option_strings for a in p._actions):
                real = FILL[positional]
                out.append(Case(name, f"{positional}-missing", words + [x if x != real else "{tmp}/没有.bin" for x in base]))
                out.append(Case(name, f"{positional}-garbage", words + [x if x != real else "{tmp}/garbage.bin"
                                                                        for x in base]))
    return out


CASES = cases()


def _param(c: Case):
    return pytest.param(c, id=f"{c.command.replace(' ', '-')}:{c.kind}", marks=c.marks)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    """The bad inputs: an empty folder, a folder with a garbage and one with a binary CSV, a corrupt
    workbook, a garbage file, and a file where a folder should be."""
    tmp = tmp_path_factory.mktemp("bad")
    (tmp / "empty").mkdir()
    (tmp / "garbage").mkdir()
    (tmp / "garbage" / "enterprises.csv").write_text("this is not,a table\n\"unclosed\n;;;\n", encoding="utf-8")
    (tmp / "binary").mkdir()
    (tmp / "binary" / "enterprises.csv").write_bytes(bytes(range(256)) * 8)
    (tmp / "corrupt.xlsx").write_bytes(b"PK\x03\x04 not really a zip" + bytes(range(256)))
    (tmp / "garbage.bin").write_bytes(b"\x00\xff garbage \x89PNG")
    (tmp / "a-file").write_text("a file, not a folder")
    return tmp


@pytest.fixture
def busy_port():
    """A port something is listening on."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    yield s.getsockname()[1]
    s.close()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A fresh workspace and log folder; no Neo4j; the rejected-rows file in tmp."""
    from django.db import connections

    monkeypatch.setenv("CHAINKG_HOME", str(tmp_path / "工作区"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "CHAINKG_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    connections.close_all()


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """`chainkg argv` in this process; a server that would block is interrupted after a minute."""
    watchdog = threading.Timer(60, _thread.interrupt_main)
    watchdog.start()
    try:
        cli.main.main(argv)
        status = 0
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else 1
    finally:
        watchdog.cancel()
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_enumeration_sees_every_command():
    """The walk finds the sub-sub-commands too (so a new one is covered without a list here)."""
    assert {"stats", "neo4j push", "track assign", "project money", "user add", "restore", "template"} <= set(COMMANDS)
    assert len(COMMANDS) >= 30 and not any(name in ("neo4j", "track", "project", "user") for name in COMMANDS)
    kinds = {c.kind for c in CASES}
    assert {"unknown-option", "missing-required", "bad-value--port", "data-missing", "out-blocked",
            "port-in-use", "file-garbage", "archive-missing"} <= kinds


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input_is_one_line_with_a_code(case: Case, env: Path, files: Path, tiny_dir: Path, busy_port: int,
                                           capsys) -> None:
    argv = [a.replace("{tmp}", str(files)).replace("{tiny}", str(tiny_dir)).replace("{busy}", str(busy_port))
            for a in case.argv]
    argv = [a.replace(str(files) + "/out", str(env) + "/out") for a in argv]  # outputs in this test's folder
    status, _, err = run(argv, capsys)
    assert "Traceback" not in err and "抱歉" not in err, err
    assert status == case.exit, err
    assert f"错误 [{case.code}" in err and f"error [{case.code}" in err, err
    if case.kind.startswith("data-") and case.command == "launch":
        assert "port-in-use" not in err  # the data was refused before the server started


# -- the handler itself -------------------------------------------------------------------------

def test_usage_errors_are_translated_and_keep_the_english():
    assert translate("the following arguments are required: --period") == (
        "缺少必需的参数：--period", "the following arguments are required: --period")
    zh, en = translate("argument --backend: invalid choice: 'x' (choose from 'networkx', 'neo4j')")
    assert zh == "参数 --backend：无效的选项“x”（可选：“networkx”, “neo4j”）" and en.startswith("argument --backend: invalid")
    assert translate("argument --firms: invalid int value: '三'")[0] == "参数 --firms：“三”不是整数"
    assert translate("argument --add: 应为 企业:产品 / expected FIRM:PRODUCT") == (
        "参数 --add：应为 企业:产品", "argument --add: expected FIRM:PRODUCT")


def test_an_unknown_option_of_a_sub_command_shows_that_command(env, capsys):
    status, _, err = run(["track", "status", "--colour"], capsys)
    assert status == 2
    assert "用法 / usage: chainkg track status" in err
    assert "错误 [usage] chainkg track status：无法识别的参数：--colour" in err
    assert "error [usage] chainkg track status: unrecognized arguments: --colour" in err


def _boom(args):
    raise RuntimeError("boom 出错")


@pytest.mark.parametrize("user", ["张三", "O'Brien 李"])
def test_an_unexpected_error_is_logged_in_the_user_folder(user, env, capsys, monkeypatch):
    """Exit 1, a short apology naming the log; the log (UTF-8, a Chinese user folder) holds the
    traceback and the command line without its password."""
    monkeypatch.setattr(cli.main, "cmd_stats", _boom)
    monkeypatch.setenv("XDG_STATE_HOME", str(env / "Users" / user / "state"))
    status, _, err = run(["stats", "--region", "wuhai"], capsys)
    assert status == 1 and "Traceback" not in err
    assert "抱歉，chainkg 出现意外错误（RuntimeError: boom 出错）" in err and "sorry, chainkg hit an unexpected error" in err
    logs = list((env / "Users" / user / "state" / "chainkg" / "log").glob("chainkg-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: boom 出错" in text and "chainkg stats --region wuhai" in text


def test_the_log_falls_back_to_the_temp_folder(env, capsys, monkeypatch):
    import tempfile

    import cli.handler

    monkeypatch.setattr(cli.main, "cmd_stats", _boom)
    monkeypatch.setattr(cli.handler, "log_folder", lambda: env / "a-file" / "log")  # under a file: cannot be made
    (env / "a-file").write_text("x")
    monkeypatch.setattr(tempfile, "tempdir", str(env / "tmp"))
    (env / "tmp").mkdir()
    status, _, err = run(["stats"], capsys)
    [log] = (env / "tmp" / "chainkg-logs").glob("chainkg-error-*.log")
    assert status == 1 and str(log) in err


def test_passwords_never_reach_the_log():
    assert redacted(["neo4j", "pull", "--neo4j-password", "pw", "--neo4j-user", "neo4j"]) == [
        "neo4j", "pull", "--neo4j-password", "***", "--neo4j-user", "neo4j"]
    assert redacted(["--neo4j-password=pw"]) == ["--neo4j-password=***"]


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback(how, env, capsys, monkeypatch):
    monkeypatch.setattr(cli.main, "cmd_stats", _boom)
    if how == "env":
        monkeypatch.setenv("CHAINKG_DEBUG", "1")
    status, _, err = run(["stats", "--debug"] if how == "flag" else ["stats"], capsys)
    assert status == 1 and "Traceback (most recent call last)" in err and "RuntimeError: boom 出错" in err
    status, _, err = run(["gaps", "--data", str(env / "没有"), *(["--debug"] if how == "flag" else [])], capsys)
    assert status == 2 and "Traceback" in err and "错误 [source-missing]" in err  # a known error: its line too


def test_ctrl_c_is_one_line_and_exit_130(env, capsys, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.main, "cmd_gaps", interrupted)
    status, _, err = run(["gaps"], capsys)
    assert (status, err.strip()) == (130, "已中断 / interrupted")


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`chainkg gaps --json | head -1`: the reader stops early; no message, no traceback, exit 0."""
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "gaps", "--json"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"["
    proc.stdout.close()  # as head does after one line
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err and "抱歉" not in err
    assert not (tmp_path / "chainkg").exists()  # nothing logged: not an error


def test_a_usage_error_in_a_real_process_is_chinese_first(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cli.main", "generate", str(tmp_path), "--firms", "十"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("错误 [usage] chainkg generate：参数 --firms：“十”不是整数")
