"""`chainkg checklist`: the verification checklist (核实清单.xlsx) of the loaded data."""
from __future__ import annotations

import argparse

from cli.common import add_data_flags, load_graph, say, write_out
from queries.analysis import data_banner
from reports.checklist import checklist_frame, write_checklist

DEFAULT_OUT = "核实清单.xlsx"


def cmd_checklist(args: argparse.Namespace) -> None:
    tables = load_graph(args).tables
    banner = data_banner(tables, demo=args.data is None)
    path = write_out([args.out], lambda: write_checklist(tables, args.out, notes=banner.lines()))
    say(f"已写入核实清单 {path}：{len(checklist_frame(tables))} 项待核实 / "
        f"checklist written to {path}: {len(checklist_frame(tables))} open items",
        *banner.lines())


def add_checklist_parser(sub: argparse._SubParsersAction) -> None:
    """The `checklist` command."""
    help_text = "写出核实清单（待核实的事实，每行一条） / write the verification checklist"
    p = sub.add_parser("checklist", help=help_text, description=help_text)
    add_data_flags(p)
    p.add_argument("--out", default=DEFAULT_OUT, help=f"输出文件 .xlsx（默认 {DEFAULT_OUT}） / output file")
    p.set_defaults(func=cmd_checklist)
