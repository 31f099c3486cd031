"""`chainkg serve` (the workbench, served by waitress) and `chainkg user add/list/passwd`.

Registered by `register(subparsers)`; the static site is `chainkg site` (`--serve` to serve it).
"""
from __future__ import annotations

import argparse
import getpass
import sys

from cli.argparse_zh import at_least, port_number
from cli.common import bind_error, print_json, say, workspace_errors
from queries.errors import InputError
from cli.track_cmd import _open, add_workspace_flags, guarded

INTRANET_WARNING = ("警告：工作台将对内网开放（{host}），请确认防火墙只允许本局网络访问，并尽量通过 HTTPS 代理提供（--https）。"
                    " / warning: the workbench is open to the network at {host}; allow only the bureau's network "
                    "and serve it through an HTTPS proxy (--https).")


def cmd_serve(args: argparse.Namespace) -> None:
    from tracking.workspace import open_workspace
    from workbench.server import LOOPBACK, make_server, url

    if args.host != LOOPBACK:
        say(INTRANET_WARNING.format(host=args.host))
    with workspace_errors(args.home):
        open_workspace(args.home)
    try:
        server = make_server(args.home, args.host, args.port, https=args.https, threads=args.threads)
    except (OSError, ValueError) as err:  # the workspace is open: what fails now is the address
        raise bind_error(err, args.port, args.host) from err
    address = url(server)
    say(f"工作台已启动：{address}（按 Ctrl+C 停止） / the workbench is running at {address} (Ctrl+C stops)")
    print(address, flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _password(args: argparse.Namespace) -> str:
    """--password-stdin reads one line (for scripts); else ask twice at the terminal."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码 / password: ")
    if first != getpass.getpass("再输入一次 / again: "):
        raise InputError("两次输入的密码不同", "the passwords differ", code="password-mismatch")
    return first


def _no_users(args: argparse.Namespace) -> bool:
    from tracking.db import open_tracking

    with workspace_errors(args.home):
        open_tracking(args.home)
    from django.contrib.auth import get_user_model

    return not get_user_model().objects.exists()


@guarded
def cmd_user_add(args: argparse.Namespace) -> None:
    if _no_users(args):  # a fresh workspace: the first user is its 管理员
        from tracking.accounts import first_admin

        say("新工作区：第一个用户为管理员 / a fresh workspace: the first user is its admin")
        print(first_admin(args.username, _password(args)).username)
        return
    _, actor = _open(args)
    from tracking.accounts import add_user

    print(add_user(actor, args.username, _password(args), args.role, args.team).username)


@guarded
def cmd_user_passwd(args: argparse.Namespace) -> None:
    _, actor = _open(args)
    from tracking.accounts import set_password

    print(set_password(actor, args.username, _password(args)).username)


@guarded
def cmd_user_list(args: argparse.Namespace) -> None:
    _no_users(args)
    from tracking.accounts import list_users

    users = list_users()
    if args.json:
        print_json([u.to_json() for u in users])
        return
    for u in users:
        print(f"{u.username}\t{u.role}\t{u.team or '-'}\t{'有密码' if u.has_password else '无密码 / no password'}"
              f"\t{u.last_login}")


def register(sub: argparse._SubParsersAction) -> None:
    """Add `serve` and `user` to the `chainkg` sub-commands."""
    text = "启动招商工作台（网页，需登录） / start the workbench (web app, sign-in)"
    p = sub.add_parser("serve", help=text, description=text)
    p.set_defaults(func=cmd_serve)
    p.add_argument("--home", help="工作区文件夹 / workspace folder")
    p.add_argument("--port", type=port_number, default=8000, help="端口（0 = 自动选择空闲端口；默认 8000） / port (0: a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="监听地址（默认 127.0.0.1 仅本机；0.0.0.0 对内网开放） / address (default: this computer only)")
    p.add_argument("--https", action="store_true",
                   help="经 HTTPS 提供（本局代理）：Cookie 只经 HTTPS 发送 / served over HTTPS: secure cookies")
    p.add_argument("--threads", type=at_least(1), default=8, help="工作线程数 / worker threads (8)")

    text = "工作台用户：新增、列出、改密码 / workbench users"
    user = sub.add_parser("user", help=text, description=text)
    ua = user.add_subparsers(dest="action", required=True)
    for name, fn, help_text in (("add", cmd_user_add, "新增用户（设密码） / add a user with a password"),
                                ("passwd", cmd_user_passwd, "设置或重设密码 / set a password"),
                                ("list", cmd_user_list, "列出用户 / list users")):
        p = ua.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=fn)
        add_workspace_flags(p)
        if name == "list":
            p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
            continue
        p.add_argument("username", help="用户名 / user name")
        p.add_argument("--password-stdin", action="store_true", help="从标准输入读一行密码 / read the password from stdin")
        if name == "add":
            p.add_argument("--role", default="小分队", choices=["管理员", "领导", "小分队"])
            p.add_argument("--team", help="小分队（角色为小分队时） / team")
