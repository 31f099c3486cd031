"""`chainkg launch`: start the workbench on a free loopback port and open it in the browser.

This is what the launchers (启动图谱.bat, 启动图谱.sh) run, as `python -m cli.launch`, so that
every Chinese message is printed by Python (cmd.exe reads a .bat file in the OEM code page).
The app is the workbench (`workbench.server.make_server`) on 127.0.0.1, serving the workspace
(`--home`, else CHAINKG_HOME, else the per-user folder).

The workbench needs a signed-in user. Planners who double-click have no terminal to run
`chainkg user add`, so on a workspace with no users yet the launcher creates the local admin
``admin`` with a generated password and prints it once in its window (loopback only: nobody else
can reach this workbench); `chainkg user passwd admin` changes it.

>>> from cli.launch import parser
>>> parser().parse_args(["--port", "8765", "--no-browser"]).port
8765
>>> len(new_password()) == 14 and any(c.isalpha() for c in new_password())
True
"""
from __future__ import annotations

import argparse
import secrets
import sys
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from cli.argparse_zh import Parser, port_number
from queries.errors import ChainkgError

FIRST_ADMIN = "admin"
# no 0/O/1/l/I: the password is read off the screen and typed in
ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class Launched:
    """A running app: its waitress server (bound, not yet serving: call `run()`), the address to
    open, and the first admin's password when this start created it (else None)."""
    server: object
    url: str
    first_password: str | None = None


def say(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr, flush=True)


def new_password() -> str:
    """A random password of three groups of four letters and digits (always one letter), e.g. for
    the first admin; it passes Django's validators (long, not common, not all digits)."""
    while True:
        text = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))
        if any(c.isalpha() for c in text):
            return text


def _ensure_first_admin() -> str | None:
    """On a workspace with no users: create the admin with a new password and return it."""
    from django.contrib.auth import get_user_model

    if get_user_model().objects.exists():
        return None
    from tracking.accounts import first_admin

    password = new_password()
    first_admin(FIRST_ADMIN, password)
    return password


def start(home: str | Path | None = None, data: str | Path | None = None, port: int = 0) -> Launched:
    """Bind the workbench for the workspace `home` to 127.0.0.1:`port` (0: a free port).

    `data` (a folder, .xlsx or .json) is checked and copied in as the workspace's current data (the
    previous snapshot is kept); rejected rows are reported on stderr. On a workspace with no users
    the first admin is created (`Launched.first_password`).
    """
    from cli.common import bind_error, workspace_errors
    from tracking.workspace import open_workspace
    from workbench.server import make_server, url

    with workspace_errors(home):
        open_workspace(home)
    if data is not None:
        from loaders import load
        from loaders.report import summary_lines

        _, report = load(data)
        if report.rejections or report.warnings:
            say(*summary_lines(report, limit=20))
        open_workspace(home).replace_data(data)
    try:
        server = make_server(home, port=port)
    except OSError as err:
        raise bind_error(err, port) from err
    return Launched(server, url(server), _ensure_first_admin())


def launch(home: str | Path | None = None, data: str | Path | None = None, port: int = 0,
           open_browser: bool = True) -> int:
    """Start the workbench, open it in the default browser and serve until Ctrl+C; return an exit
    status (a known problem: its line and its code, e.g. 2 for unreadable data or a port in use)."""
    say("正在启动招商工作台，请稍候… / starting the workbench…")
    try:
        app = start(home, data, port)
    except ChainkgError as e:
        say("无法启动 / cannot start", e.line())
        return e.exit_code
    if app.first_password:
        say("首次启动：已创建管理员账号（请记下密码，只显示这一次） / first start: an admin account was created "
            "(note the password, it is shown only once)",
            f"    用户名 / user name: {FIRST_ADMIN}",
            f"    密码 / password:   {app.first_password}",
            f"    改密码 / change it: chainkg user passwd {FIRST_ADMIN}")
    say(f"图谱已启动：{app.url} （只有本机可以访问；关闭此窗口或按 Ctrl+C 即停止）",
        f"chainkg is running at {app.url} (this computer only; close this window or press Ctrl+C to stop)")
    if open_browser and not webbrowser.open(app.url):
        say(f"未能自动打开浏览器，请手动在浏览器中打开 {app.url} / open {app.url} in a browser")
    try:
        app.server.run()
    except KeyboardInterrupt:
        pass
    finally:
        app.server.close()
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The launch options, shared by `python -m cli.launch` and `chainkg launch`."""
    p.add_argument("--home", help="工作区文件夹（默认本用户的数据文件夹） / workspace folder")
    p.add_argument("--data", help="把此数据（文件夹、.xlsx 或 .json）设为工作区当前数据 / make this the workspace's "
                                  "current data (folder, .xlsx or .json)")
    p.add_argument("--port", type=port_number, default=0, help="端口（默认自动选一个空闲端口） / port (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器 / do not open a browser")


def run(args: argparse.Namespace) -> None:
    """The sub-command: exit with launch's status."""
    status = launch(args.home, args.data, args.port, not args.no_browser)
    if status:
        sys.exit(status)


HELP = "启动招商工作台并在浏览器中打开（启动图谱.bat/.sh 所用） / start the workbench and open it in the browser"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `chainkg launch` to the CLI's sub-commands."""
    p = subparsers.add_parser("launch", help=HELP, description=HELP)
    add_arguments(p)
    p.set_defaults(func=run)


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m cli.launch", description=HELP)
    add_arguments(p)
    p.set_defaults(func=run)
    return p


if __name__ == "__main__":
    from cli.handler import run as handle

    handle(parser)
