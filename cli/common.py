"""What every command shares: messages, JSON output, loading the data, settings and the source.

The query commands read the graph from `--backend networkx` (default: load --data, or the
built-in data, into memory) or `--backend neo4j` (the database `chainkg neo4j push` filled;
connection from NEO4J_URI etc., or the --neo4j-* flags).
"""
from __future__ import annotations

import argparse
import errno
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from graph import ChainGraph
from loaders import load
from loaders.cache import LoadCache
from loaders.output import keeping
from loaders.report import REJECTED_FILE, summary_lines, write_rejected
from queries.analysis import Analysis, home_settings, settings_for
from queries.errors import InputError
from queries.settings import read_settings

if TYPE_CHECKING:  # the Neo4j driver is imported by the commands that connect
    from graph.neo4j_store.store import Neo4jStore
    from queries.source import Source

T = TypeVar("T")
BACKENDS = ("networkx", "neo4j")
EXIT_USAGE = 2


def say(*lines: str) -> None:
    """Messages for the person at the terminal go to stderr; stdout carries the result."""
    for line in lines:
        print(line, file=sys.stderr)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def cache_folder() -> Path:
    """The workspace's cache folder (`--home` is not needed: the cache is per user)."""
    from tracking.workspace import default_home

    return default_home() / "cache"


def load_tables(args: argparse.Namespace) -> tuple[dict, Any]:
    """`loaders.load(--data)`; through the workspace's load cache unless --no-cache (the built-in
    data is small and not cached)."""
    if not args.data or getattr(args, "no_cache", False):
        return load(args.data)
    cache = LoadCache(cache_folder())
    config = getattr(args, "config", None)
    salt = Path(config).read_bytes() if config and Path(config).is_file() else b""
    result = cache.load(args.data, salt=salt)
    say(*(f"警告 / warning: {n.line()}" for n in cache.notices))
    return result


def load_graph(args: argparse.Namespace) -> ChainGraph:
    """Load --data (or the built-in data), report rejections, write them beside the output."""
    tables, report = load_tables(args)
    if report.rejections or report.warnings:
        say(*summary_lines(report))
        out = getattr(args, "out", None)
        where = (Path(out).parent if out else Path.cwd()) / REJECTED_FILE
        path = write_out([where], lambda: write_rejected(report, where))
        if path:
            say(f"警告：{report.totals['rejected']} 行被拒绝，已写入 {path}，修改后可重新载入。"
                f" / warning: {report.totals['rejected']} rows rejected, written to {path}; fix and reload.")
        n = report.totals["rejected"]
        if args.strict and n:
            raise InputError(f"有 {n} 行被拒绝，见 {path}", f"{n} rows were rejected, see {path}",
                             code="rows-rejected", option="--strict")
    args.report = report
    cg = ChainGraph(tables)
    if getattr(args, "config", None) or getattr(args, "region", None):
        home_settings(cg, settings_of(args))  # a bad --config or --region is an error before any work
    return cg


def write_out(paths: Iterable[str | Path], write: Callable[[], T]) -> T:
    """Run `write()`, which rewrites `paths`: a file someone may have typed into is first kept as a
    dated backup beside it (`loaders.output.keeping`), and the planner is told where."""
    with keeping(paths) as kept:
        result = write()
    for path, backup in kept:
        say(f"注意：原有的 {path.name} 与新文件不同（可能有人填写过），已另存为 {backup}，未删除 / note: the previous "
            f"{path.name} differed from the new one (someone may have typed in it); it was kept as {backup}")
    return result


def bind_error(err: OSError | ValueError, port: int, host: str = "127.0.0.1") -> InputError:
    """The bilingual error for a server that cannot listen on `host`:`port` (waitress says ValueError
    for a host it cannot resolve)."""
    number, text = getattr(err, "errno", None), getattr(err, "strerror", None) or str(err)
    if number == errno.EADDRINUSE or getattr(err, "winerror", None) == 10048:
        return InputError(f"端口 {port} 已被占用", f"port {port} is already in use", code="port-in-use", option="--port",
                          hint_zh="请用 --port 换一个端口（0 = 自动选择空闲端口）",
                          hint_en="choose another with --port (0 picks a free one)")
    if number == errno.EACCES or getattr(err, "winerror", None) == 10013:
        return InputError(f"无权使用端口 {port}", f"not allowed to use port {port}", code="port-denied", option="--port",
                          hint_zh="请用 1024 以上的端口", hint_en="use a port above 1024")
    return InputError(f"无法在 {host}:{port} 上启动（{text}）", f"cannot listen on {host}:{port} ({text})",
                      code="cannot-listen", option="--host",
                      hint_zh="请检查 --host 与 --port", hint_en="check --host and --port")


@contextmanager
def workspace_errors(home: str | Path | None) -> Iterator[None]:
    """Around opening the workspace: a folder that cannot be made or used is an InputError."""
    try:
        yield
    except OSError as err:
        text = err.strerror or str(err)
        raise InputError(f"无法使用工作区文件夹（{text}）", f"cannot use the workspace folder ({text})", code="home-unusable",
                         file=str(err.filename or home or ""), option="--home",
                         hint_zh="请用 --home 或 CHAINKG_HOME 指定一个可写的文件夹",
                         hint_en="give a writable folder with --home or CHAINKG_HOME") from err


def settings_of(args: argparse.Namespace) -> dict[str, Any]:
    """The settings of --config and --region, read (and their warnings printed) once per command."""
    if getattr(args, "settings_read", None) is None:
        read = read_settings(getattr(args, "config", None))
        say(*(f"警告 / warning: {n.line()}" for n in read.warnings))
        args.settings_read = read
    return settings_for(args.settings_read.values, getattr(args, "region", None))


def add_data_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", help="数据文件夹、.xlsx 或 .json（默认内置乌海数据） / data folder, .xlsx or .json")
    p.add_argument("--strict", action="store_true", help="有被拒绝的行时以非零状态退出 / exit non-zero on rejected rows")
    p.add_argument("--config", help="参数文件（见 queries/settings.toml） / settings file")
    p.add_argument("--region", help="本地区域编号（默认 wuhai） / home region id")
    p.add_argument("--no-cache", action="store_true",
                   help="不用载入缓存，重新读取并校验数据 / read and validate the data again, not from the cache")


def add_backend_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=BACKENDS, default="networkx",
                   help="从哪里读图：networkx（内存，默认）或 neo4j（数据库，先运行 chainkg neo4j push）"
                        " / where to read the graph: networkx (in memory, default) or neo4j")
    add_connection_flags(p)


def add_connection_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("Neo4j 连接 / connection（默认取环境变量 / defaults from the environment）")
    g.add_argument("--neo4j-uri", help="如 bolt://localhost:7687、neo4j+s://xxx.databases.neo4j.io（NEO4J_URI）")
    g.add_argument("--neo4j-user", help="用户名（NEO4J_USER，默认 neo4j） / user")
    g.add_argument("--neo4j-password", help="密码；建议用环境变量 NEO4J_PASSWORD，命令行参数会留在历史记录中"
                                            " / password; prefer NEO4J_PASSWORD, flags stay in shell history")
    g.add_argument("--neo4j-database", help="数据库名（NEO4J_DATABASE，默认为服务器默认库） / database")


def open_store(args: argparse.Namespace) -> Neo4jStore:
    from graph.neo4j_store.store import Neo4jStore

    return Neo4jStore.connect(uri=args.neo4j_uri, user=args.neo4j_user, password=args.neo4j_password,
                              database=args.neo4j_database)


@contextmanager
def open_source(args: argparse.Namespace) -> Iterator[ChainGraph | Source]:
    """The data the query commands read: the loaded graph, or a Neo4jSource on the database."""
    if getattr(args, "backend", "networkx") != "neo4j":
        yield load_graph(args)
        return
    from queries.cypher import Neo4jSource

    if args.data:
        say("--backend neo4j 读取数据库，忽略 --data / --backend neo4j reads the database and ignores --data")
    with open_store(args) as store:
        yield Neo4jSource(store)


def write_site_and_list(analysis: Analysis, folder: str | Path) -> list[Path]:
    """The site of an analysis, with the target-list XLSX it links to beside it; the pages written."""
    from loaders.output import writing
    from pages.site import TARGET_XLSX, write_site
    from reports.target_list import write_target_list

    book = Path(folder) / TARGET_XLSX
    write_out([book], lambda: write_target_list(analysis, book))
    with writing(folder):
        return write_site(analysis, folder, download=TARGET_XLSX)
