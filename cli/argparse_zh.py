"""argparse in Chinese first: the parser class of `chainkg` and every one of its sub-commands.

A usage error (a missing argument, an unknown option, a bad number, an unknown choice) raises
`UsageError` (code ``usage``, exit 2) after printing the usage line; the top-level handler prints
its one bilingual line. argparse's own English messages are kept beside their Chinese
translation. Sub-parsers inherit the class (`add_subparsers` makes its parsers with the type of
the parser it is called on), so a new command is covered without doing anything.

>>> p = Parser(prog="chainkg demo")
>>> _ = p.add_argument("--port", type=int)
>>> try:
...     p.parse_args(["--port", "abc"])
... except UsageError as e:
...     print(e.line())   # doctest: +ELLIPSIS
错误 [usage] chainkg demo：参数 --port：“abc”不是整数。用 chainkg demo -h 查看用法 / error [usage] chainkg demo: argument --port: invalid int value: 'abc'. see chainkg demo -h
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from queries.errors import InputError

TYPE_ZH = {"int": "整数", "float": "数字"}
SUB_COMMAND_ZH = {"command": "命令 command", "action": "子命令 action"}  # the dest of our sub-parsers


class UsageError(InputError):
    """The command line itself is wrong (argparse's complaint, translated)."""

    code = "usage"


def _quoted(text: str) -> str:
    """'abc' (argparse's repr) as “abc”."""
    return re.sub(r"'([^']*)'", r"“\1”", text)


def _translate_detail(detail: str) -> str:
    """The part after 'argument X: '."""
    if m := re.fullmatch(r"invalid choice: (.*) \(choose from (.*)\)", detail, re.S):
        return f"无效的选项{_quoted(m[1])}（可选：{_quoted(m[2])}）"
    if m := re.fullmatch(r"invalid (\w+) value: (.*)", detail, re.S):
        return f"{_quoted(m[2])}不是{TYPE_ZH.get(m[1], '有效的值')}"
    if detail == "expected one argument":
        return "需要一个值"
    if detail == "expected at most one argument":
        return "最多一个值"
    if detail == "expected at least one argument":
        return "至少需要一个值"
    if m := re.fullmatch(r"expected (\d+) arguments?", detail):
        return f"需要 {m[1]} 个值"
    if m := re.fullmatch(r"not allowed with argument (.*)", detail):
        return f"不能与 {m[1]} 同时使用"
    if m := re.fullmatch(r"ignored explicit argument (.*)", detail):
        return f"不接受值{_quoted(m[1])}"
    return detail


def translate(message: str) -> tuple[str, str]:
    """argparse's English message as (Chinese, English). A message our own `type=` functions
    raise is already 'zh / en' and is split, not translated."""
    if m := re.fullmatch(r"the following arguments are required: (.*)", message, re.S):
        names = "、".join(SUB_COMMAND_ZH.get(n, n) for n in m[1].split(", "))
        return f"缺少必需的参数：{names}", message
    if m := re.fullmatch(r"unrecognized arguments: (.*)", message, re.S):
        return f"无法识别的参数：{m[1]}", message
    if m := re.fullmatch(r"one of the arguments (.*) is required", message, re.S):
        return f"须给出以下参数之一：{m[1]}", message
    if m := re.fullmatch(r"ambiguous option: (\S+) could match (.*)", message, re.S):
        return f"选项 {m[1]} 有歧义，可能是：{m[2]}", message
    if m := re.fullmatch(r"argument (.+?): (.*)", message, re.S):
        name, detail = m[1], m[2]
        if " / " in detail:  # ours, already bilingual
            zh, en = detail.split(" / ", 1)
            return f"参数 {name}：{zh}", f"argument {name}: {en}"
        return f"参数 {name}：{_translate_detail(detail)}", message
    return message, message


class Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法 / usage: " if prefix is None else prefix)


def _chosen(parser: argparse.ArgumentParser, ns: argparse.Namespace) -> argparse.ArgumentParser:
    """The deepest sub-command parser the namespace went through (by the sub-parsers' dest)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            name = getattr(ns, action.dest or "", None)
            if name in action.choices:
                return _chosen(action.choices[name], ns)
    return parser


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors and help headings are Chinese first; adds `--debug`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数 / positional arguments"
        self._optionals.title = "选项 / options"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "显示帮助并退出 / show this help and exit"
        self.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                          help="出错时显示完整的回溯（或设环境变量 CHAINKG_DEBUG=1） / show the full traceback on errors")

    def parse_args(self, args=None, namespace=None):
        """As argparse, but unknown arguments are reported by the sub-command they were given to."""
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            _chosen(self, ns).error(f"unrecognized arguments: {' '.join(extras)}")
        return ns

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        zh, en = translate(message)
        raise UsageError(zh, en, option=self.prog, hint_zh=f"用 {self.prog} -h 查看用法", hint_en=f"see {self.prog} -h")


def port_number(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535, for `type=`."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是端口号（0–65535） / '{text}' is not a port number (0-65535)") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应在 0–65535 之间：{port} / a port is 0-65535: {port}")
    return port


def at_least(minimum: int):
    """An int of at least `minimum`, for `type=`."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{text}”不是整数 / invalid int value: '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"应不小于 {minimum}：{value} / must be at least {minimum}: {value}")
        return value
    parse.__name__ = "int"
    return parse
