"""`chainkg`: one sub-command per library call, same names as the functions it calls."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from graph import ChainGraph
from loaders import load
from loaders.report import REJECTED_FILE, summary_lines, write_rejected
from loaders.templates import write_templates
from queries.settings import load_settings
from queries.summary import stats

EXIT_REJECTED = 2


def say(*lines: str) -> None:
    """Messages for the person at the terminal go to stderr; stdout carries the result."""
    for line in lines:
        print(line, file=sys.stderr)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def load_graph(args: argparse.Namespace) -> ChainGraph:
    """Load --data (or the built-in data), report rejections, write them beside the output."""
    tables, report = load(args.data)
    if report.rejections or report.warnings:
        say(*summary_lines(report))
        out = getattr(args, "out", None)
        where = (Path(out).parent if out else Path.cwd()) / REJECTED_FILE
        path = write_rejected(report, where)
        say(f"警告：{report.totals['rejected']} 行被拒绝，已写入 {path}，修改后可重新载入。"
            f" / warning: {report.totals['rejected']} rows rejected, written to {path}; fix and reload.")
        if args.strict:
            say("--strict：存在被拒绝的行，退出。 / --strict: rows were rejected, exiting.")
            sys.exit(EXIT_REJECTED)
    args.report = report
    return ChainGraph(tables)


def cmd_stats(args: argparse.Namespace) -> None:
    cg = load_graph(args)
    s = load_settings(args.config, home_region=args.region)
    result = stats(cg, args.report, s["home_region"], s["neighbour_radius_km"])
    if args.json:
        print_json(result)
        return
    print(f"产业链 chains: {result['chains']}   产品 products: {result['products']}   "
          f"重点产品 focus products: {len(result['focus_products'])}")
    print(f"龙头 leaders: {result['leaders']}   专精特新 SRDI: {result['srdi']}   "
          f"本地 local: {result['local_enterprises']}   周边 neighbours: {result['neighbour_enterprises']}")
    print(f"区域 regions: {result['regions']}   项目 projects: {result['projects']}")
    print("关系 edges: " + ", ".join(f"{k} {v}" for k, v in result["edges"].items()))
    r = result["rows"]
    print(f"行 rows: 读取 read {r['read']} = 载入 loaded {r['loaded']} + 拒绝 rejected {r['rejected']}")


def cmd_template(args: argparse.Namespace) -> None:
    for path in write_templates(args.dir):
        print(path)


def cmd_generate(args: argparse.Namespace) -> None:
    from loaders.generate import generate

    counts = generate(args.out, firms=args.firms, products=args.products, chains=args.chains, seed=args.seed)
    for name, rows in counts.items():
        print(f"{Path(args.out) / (name + '.csv')}\t{rows}")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", help="数据文件夹、.xlsx 或 .json（默认内置乌海数据） / data folder, .xlsx or .json")
    p.add_argument("--strict", action="store_true", help="有被拒绝的行时以非零状态退出 / exit non-zero on rejected rows")
    p.add_argument("--config", help="参数文件（见 queries/settings.toml） / settings file")
    p.add_argument("--region", help="本地区域编号（默认 wuhai） / home region id")


def _generate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help="输出文件夹 / output folder")
    p.add_argument("--firms", type=int, required=True, help="企业数 / number of firms")
    p.add_argument("--products", type=int, help="产品数（默认随企业数增长） / number of products")
    p.add_argument("--chains", type=int, default=8, help="产业链数 / number of chains (8)")
    p.add_argument("--seed", type=int, default=0, help="随机种子 / random seed (0)")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="chainkg", description="产业链知识图谱 / industry-chain knowledge graph")
    sub = ap.add_subparsers(dest="command", required=True)
    commands: dict[str, tuple[Callable[[argparse.Namespace], None], str]] = {
        "stats": (cmd_stats, "图谱概况 / summary counts"),
        "template": (cmd_template, "写出空白数据模板 / write empty templates"),
        "generate": (cmd_generate, "生成合成测试数据（非真实企业） / write a synthetic dataset"),
    }
    for name, (fn, help_text) in commands.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=fn)
        if name == "template":
            p.add_argument("dir", help="输出文件夹 / output folder")
            continue
        if name == "generate":
            _generate_args(p)
            continue
        _common(p)
        p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    return ap


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
