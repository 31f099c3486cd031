"""`chainkg`: one sub-command per library call, same names as the functions it calls."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from cli.argparse_zh import Parser, at_least, port_number
from cli.common import (add_backend_flags, add_data_flags, bind_error, load_graph, open_source,
                        print_json, say, settings_of, write_out, write_site_and_list)
from cli.backup_cmd import add_backup_parsers
from cli.cache_cmd import add_cache_parser
from cli.checklist_cmd import add_checklist_parser
from cli.handler import run
from cli.launch import register as register_launch
from cli.neo4j_cmd import add_neo4j_parser
from cli.serve_cmd import register as register_serve
from cli.track_cmd import add_track_parsers, add_tracking_flags, tracking_rows
from pages.serve import DEFAULT_PORT
from queries.analysis import analyse, parse_addition, parse_new_firm, stats, what_if
from queries.errors import InputError


def cmd_stats(args: argparse.Namespace) -> None:
    cg = load_graph(args)
    s = settings_of(args)
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


def cmd_gaps(args: argparse.Namespace) -> None:
    with open_source(args) as source:
        gaps = analyse(source, settings_of(args), chain=args.chain, region=args.region).gaps
    if args.json:
        print_json([g.to_json() for g in gaps])
        return
    for g in gaps:
        print(f"{g.chain_name}\t{g.kind_zh}\t{g.product_name}\t{g.reason_zh}")
    say(f"共 {len(gaps)} 个缺口 / {len(gaps)} gaps")


def cmd_completeness(args: argparse.Namespace) -> None:
    with open_source(args) as source:
        result = analyse(source, settings_of(args)).completeness
    if args.json:
        print_json({k: c.to_json() for k, c in result.items()})
        return
    for chain_id, c in result.items():
        print(f"{c.chain_name}（{chain_id}）\t完整度 {c.score:.1%}\t覆盖 {c.covered}/{c.links}"
              f"\t重点 {c.focus_covered}/{c.focus_links}")


def cmd_targets(args: argparse.Namespace) -> None:
    from reports.target_list import write_target_list

    with open_source(args) as source:
        analysis = analyse(source, settings_of(args), chain=args.chain, region=args.region)
    if args.out:
        tracking = tracking_rows(args)
        path = write_out([args.out], lambda: write_target_list(analysis, args.out, tracking, args.with_phones))
        say(f"已写入 / written: {path}（{len(analysis.targets)} 条目标 / targets）")
    elif args.json:
        print_json([t.to_json() for t in analysis.targets])
    else:
        for t in analysis.targets:
            print(f"{t.chain_name}\t{t.product_name}\t{t.role_zh}{t.rank}\t{t.name}\t{t.score:g}\t{t.reason_zh}")


def cmd_whatif(args: argparse.Namespace) -> None:
    additions = [parse_addition(a) for a in args.add or []]
    new_firms = [parse_new_firm(n) for n in args.new_firm or []]
    with open_source(args) as source:
        result = what_if(source, additions, args.project or [], settings_of(args), args.region, new_firms)
    if args.json:
        print_json(result.to_json())
        return
    for p in result.plants:
        print(f"假设 assumed\t{p.name}\t{p.product_name}" + (f"\t{p.capacity:g}" if p.capacity is not None else ""))
    for g in result.closed:
        print(f"补齐 closed\t{g.chain_name}\t{g.kind_zh}\t{g.product_name}")
    for c in result.changed:
        print(f"变化 changed\t{c.gap.chain_name}\t{c.gap.product_name}\t{c.kind_before} -> {c.kind_after}")
    for g in result.opened:
        print(f"新增 opened\t{g.chain_name}\t{g.kind_zh}\t{g.product_name}\t{g.reason_zh}")
    for c in result.completeness.values():
        if c.delta:
            print(f"完整度 completeness\t{c.chain_name}\t{c.before:.1%} -> {c.after:.1%}")


def cmd_site(args: argparse.Namespace) -> None:
    written = write_site_and_list(analyse(load_graph(args), settings_of(args)), args.out)
    if args.serve:
        serve_site(args.out, args.port)
        return
    if args.json:
        print_json([str(p) for p in written])
    else:
        for path in written:
            print(path)
    say(f"已写出 {len(written)} 个页面，用浏览器打开 {written[0]}（无需联网）"
        f" / wrote {len(written)} pages; open {written[0]} in a browser (no internet needed)")


def serve_site(folder: str | Path, port: int) -> None:
    """The written site on 127.0.0.1 (`pages.serve`), for browsers that block file:// pages."""
    from pages.serve import make_server, url

    try:
        server = make_server(folder, port)
    except OSError as err:
        raise bind_error(err, port) from err
    say(f"在浏览器打开 {url(server)}（仅本机可访问，按 Ctrl+C 停止） / open {url(server)} "
        f"(this computer only; Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def cmd_template(args: argparse.Namespace) -> None:
    from loaders.templates import template_paths, write_templates

    tables = load_graph(args).tables if args.with_data or args.data else None
    for path in write_out(template_paths(args.dir), lambda: write_templates(args.dir, tables)):
        print(path)
    if tables is not None:
        say(f"模板已填入{'内置乌海数据' if not args.data else '当前数据'}，在此基础上增改后用 --data {args.dir} 载入"
            f" / the templates hold the {'built-in Wuhai' if not args.data else 'current'} data: extend it, then load "
            f"it with --data {args.dir}")


def cmd_generate(args: argparse.Namespace) -> None:
    from loaders.generate import generate

    try:
        counts = generate(args.out, firms=args.firms, products=args.products, chains=args.chains, seed=args.seed)
    except ValueError as err:  # sizes too small for a dataset
        raise InputError("无法按此规模生成数据：至少需要 10 家企业、1 条产业链，每条链至少 5 个产品",
                         f"cannot generate a dataset of this size: {err}",
                         code="bad-size", option="--firms/--products/--chains") from err
    for name, rows in counts.items():
        print(f"{Path(args.out) / (name + '.csv')}\t{rows}")


def _generate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help="输出文件夹 / output folder")
    p.add_argument("--firms", type=at_least(10), required=True, help="企业数（至少 10） / number of firms (10 or more)")
    p.add_argument("--products", type=at_least(1), help="产品数（默认随企业数增长） / number of products")
    p.add_argument("--chains", type=at_least(1), default=8, help="产业链数 / number of chains (8)")
    p.add_argument("--seed", type=int, default=0, help="随机种子 / random seed (0)")


def parser() -> argparse.ArgumentParser:
    ap = Parser(prog="chainkg", description="产业链知识图谱 / industry-chain knowledge graph")
    sub = ap.add_subparsers(dest="command", required=True)
    commands: dict[str, tuple[Callable[[argparse.Namespace], None], str]] = {
        "stats": (cmd_stats, "图谱概况 / summary counts"),
        "gaps": (cmd_gaps, "缺链清单 / gaps of each chain"),
        "completeness": (cmd_completeness, "各链完整度 / completeness per chain"),
        "targets": (cmd_targets, "招商目标企业清单 / target-company list"),
        "whatif": (cmd_whatif, "假设某企业落地，看缺口如何变化 / what-if a firm builds here"),
        "site": (cmd_site, "写出离线网页：总览与各链图谱 / write the offline site: overview and chain maps"),
        "template": (cmd_template, "写出数据模板（空白，或 --with-data 填入当前数据） / write the templates, empty or "
                                   "with the current data"),
        "generate": (cmd_generate, "生成合成测试数据（非真实企业） / write a synthetic dataset"),
    }
    for name, (fn, help_text) in commands.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=fn)
        if name == "template":
            p.add_argument("dir", help="输出文件夹 / output folder")
            p.add_argument("--with-data", action="store_true",
                           help="填入当前数据（--data，默认内置乌海数据），在此基础上增改 / fill in the current data")
            p.add_argument("--data", help="填入的数据：文件夹、.xlsx 或 .json（隐含 --with-data） / the data to fill in")
            p.add_argument("--strict", action="store_true", help="有被拒绝的行时不写出 / stop on rejected rows")
            continue
        if name == "generate":
            _generate_args(p)
            continue
        add_data_flags(p)
        p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
        if name in ("gaps", "completeness", "targets", "whatif"):
            add_backend_flags(p)
        if name in ("gaps", "targets"):
            p.add_argument("--chain", help="只看一条产业链（编号或名称） / one chain (id or name)")
        if name == "targets":
            p.add_argument("--out", help="输出文件 .xlsx / .csv / .json / output file")
            add_tracking_flags(p)
            p.add_argument("--home", help="工作区文件夹（--with-tracking 时读取） / workspace folder")
            p.add_argument("--user", help="以此用户身份读取 / act as this user")
        if name == "site":
            p.add_argument("--out", default="site", help="输出文件夹（默认 site） / output folder")
            p.add_argument("--serve", action="store_true",
                           help="写出后在 127.0.0.1 上提供 / then serve it on 127.0.0.1")
            p.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}） / port")
        if name == "whatif":
            p.add_argument("--add", action="append", metavar="FIRM:PRODUCT[:CAPACITY]",
                           help="假设企业（编号、名称或简称）在本地生产某产品，可多次使用 / hypothetical plant, repeatable")
            p.add_argument("--new-firm", action="append", metavar="NAME,PROVINCE,CITY",
                           help="数据中没有的新投资方（名称,省,市），在 --add 中用其名称，可多次使用"
                                " / a new investor not in the data, named in --add; repeatable")
            p.add_argument("--project", action="append", metavar="PROJECT",
                           help="假设某签约项目（编号或名称）投产 / a signed project goes into operation")
    add_neo4j_parser(sub)
    add_track_parsers(sub)
    add_checklist_parser(sub)
    add_cache_parser(sub)
    register_launch(sub)
    register_serve(sub)
    add_backup_parsers(sub)
    return ap


def main(argv: list[str] | None = None) -> None:
    """`chainkg ARGS`: returns on success, else exits 1 (unexpected), 2 (input), 3 (server), 130 (Ctrl+C)."""
    run(parser, argv)


if __name__ == "__main__":
    main()
