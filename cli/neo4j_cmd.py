"""`chainkg neo4j push`, `pull`, `import-files` and `constraints`: fill the database from the tables
(online, or with files for Neo4j's offline importer), and back."""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from cli.argparse_zh import at_least
from cli.common import add_connection_flags, add_data_flags, load_graph, open_store, say, write_out
from graph.neo4j_config import CREATE_BATCH_SIZE, PUSH_BATCH_SIZE, PUSH_WORKERS  # the driver: by the commands only


def counts_lines(counts: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["类型 kind\t数据 data\t数据库 database\t重复 duplicates"]
    lines += [f"{k}\t{c.get('data', '')}\t{c['database']}\t{c['duplicates']}" for k, c in counts.items()]
    return lines


def cmd_push(args: argparse.Namespace) -> None:
    from graph.neo4j_store import push

    cg = load_graph(args)
    with open_store(args) as store:
        start = time.perf_counter()
        result = push(cg, store, batch_size=args.batch_size, progress=not args.no_progress,
                      prune_stale=not args.keep_stale, workers=args.workers)
        seconds = time.perf_counter() - start
    for line in counts_lines(result["counts"]):
        print(line)
    if result["method"] == "create":
        say("数据库原为空：已用 CREATE 批量写入 / the database was empty: written with bulk CREATE")
    for kind, n in result["pruned"].items():
        say(f"已删除数据中不再有的 {kind} {n} 个 / deleted {n} {kind} no longer in the data")
    say(f"已推送 {result['rows']} 行，用时 {seconds:.1f} 秒 / pushed {result['rows']} rows in {seconds:.1f} s")


def cmd_pull(args: argparse.Namespace) -> None:
    from graph.neo4j_store import pull
    from graph.neo4j_store.counts import database_counts
    from loaders.export import table_paths, write_tables
    from queries.analysis import stats

    with open_store(args) as store:
        cg = pull(store)
        dup = {k: c["duplicates"] for k, c in database_counts(None, store).items() if c["duplicates"]}
    if dup:
        say(f"警告：数据库中有重复 / warning: duplicates in the database: {dup}")
    s = stats(cg)
    print(f"产业链 chains: {s['chains']}   产品 products: {s['products']}   企业 enterprises: {s['enterprises']}"
          f"   项目 projects: {s['projects']}   区域 regions: {s['regions']}")
    print("关系 edges: " + ", ".join(f"{k} {v}" for k, v in s["edges"].items()))
    if args.out:
        path = write_out(table_paths(args.out), lambda: write_tables(cg.tables, args.out))
        say(f"已写入 / written: {path}（可用 --data 重新载入 / load it again with --data）")


def cmd_import_files(args: argparse.Namespace) -> None:
    from graph.neo4j_store.import_files import COMMAND_FILE, command_text, write_import_files

    files = write_import_files(load_graph(args), Path(args.folder), database=args.database)
    say(f"已写入 {len(files.nodes) + len(files.relationships)} 个导入文件（{files.rows} 行）：{files.folder}"
        f" / wrote {len(files.nodes) + len(files.relationships)} import files ({files.rows} rows) to {files.folder}")
    print(command_text(files, args.database), end="")
    say(f"以上步骤也已写入 / these steps are also in: {files.folder / COMMAND_FILE}")


def cmd_constraints(args: argparse.Namespace) -> None:
    from graph.neo4j_store.counts import database_counts
    from graph.neo4j_store.push import ensure_schema

    with open_store(args) as store:
        ensure_schema(store)
        counts = database_counts(None, store)
    for line in counts_lines(counts):
        print(line)
    say("键约束和查询索引已就绪 / the key constraints and query indexes are in place")


def add_neo4j_parser(sub: argparse._SubParsersAction) -> None:
    """The `neo4j` command and its `push`, `pull`, `import-files` and `constraints` sub-commands."""
    help_text = "与 Neo4j 数据库同步 / sync with a Neo4j database"
    p = sub.add_parser("neo4j", help=help_text, description=help_text)
    actions = p.add_subparsers(dest="action", required=True)
    push_help = "把表格写入 Neo4j（可重复运行） / write the tables into Neo4j (safe to re-run)"
    ps = actions.add_parser("push", help=push_help, description=push_help)
    add_data_flags(ps)
    ps.add_argument("--batch-size", type=at_least(1),
                    help=f"每批行数（默认：空库 {CREATE_BATCH_SIZE}，否则 {PUSH_BATCH_SIZE}） / rows per transaction "
                         f"(default {CREATE_BATCH_SIZE} into an empty database, else {PUSH_BATCH_SIZE})")
    ps.add_argument("--workers", type=at_least(1), default=PUSH_WORKERS,
                    help=f"空库首次写入时同时进行的事务数（默认 {PUSH_WORKERS}） / transactions at a time "
                         f"into an empty database (default {PUSH_WORKERS})")
    ps.add_argument("--keep-stale", action="store_true",
                    help="保留数据库中数据已没有的节点和关系 / keep nodes and relationships no longer in the data")
    ps.add_argument("--no-progress", action="store_true", help="不显示进度条 / no progress bar")
    add_connection_flags(ps)
    ps.set_defaults(func=cmd_push)
    pull_help = "从 Neo4j 读回全部表格 / read every table back from Neo4j"
    pl = actions.add_parser("pull", help=pull_help, description=pull_help)
    pl.add_argument("--out", help="写出到文件夹（CSV）或 .xlsx / write to a folder (CSV) or an .xlsx workbook")
    add_connection_flags(pl)
    pl.set_defaults(func=cmd_pull)
    files_help = ("写出 neo4j-admin 离线导入文件并给出导入命令（适合全国规模的首次导入） / write files for "
                  "neo4j-admin database import full and print the command (fastest first load)")
    pf = actions.add_parser("import-files", help=files_help, description=files_help)
    pf.add_argument("folder", metavar="DIR", help="写入的文件夹（没有则新建） / folder to write (created if missing)")
    add_data_flags(pf)
    pf.add_argument("--database", default="neo4j", help="导入到哪个数据库（默认 neo4j） / database to import into")
    pf.set_defaults(func=cmd_import_files)
    constraints_help = ("建立键约束和查询索引（离线导入后运行） / create the key constraints and query indexes "
                        "(run after an offline import)")
    pc = actions.add_parser("constraints", help=constraints_help, description=constraints_help)
    add_connection_flags(pc)
    pc.set_defaults(func=cmd_constraints)
