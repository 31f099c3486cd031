"""The two places the query commands can read the graph from, behind one small interface.

`networkx` (default): load --data (or the built-in data) into memory. `neo4j`: ask the database
the `chainkg neo4j push` filled; connection from NEO4J_URI etc., or the --neo4j-* flags.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Protocol

from graph import ChainGraph
from graph.neo4j_store import Neo4jStore
from queries import cypher
from queries.gaps import completeness, find_gaps
from queries.whatif import Addition, project_additions, what_if
from reports.target_list import target_list, write_target_list

BACKENDS = ("networkx", "neo4j")


class Backend(Protocol):
    def gaps(self, chain: str | None, s: dict[str, Any]) -> list[dict[str, Any]]: ...
    def completeness(self, s: dict[str, Any]) -> dict[str, dict[str, Any]]: ...
    def target_list(self, s: dict[str, Any]) -> dict[str, Any]: ...
    def write_target_list(self, path: str, s: dict[str, Any], data: dict[str, Any]) -> Path: ...
    def project_additions(self, project_id: str) -> list[Addition]: ...
    def what_if(self, additions: list[Addition], s: dict[str, Any]) -> dict[str, Any]: ...


class NetworkxBackend:
    def __init__(self, cg: ChainGraph):
        self.cg = cg

    def gaps(self, chain: str | None, s: dict[str, Any]) -> list[dict[str, Any]]:
        return find_gaps(self.cg, chain=chain, settings=s)

    def completeness(self, s: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return completeness(self.cg, s)

    def target_list(self, s: dict[str, Any]) -> dict[str, Any]:
        return target_list(self.cg, s)

    def write_target_list(self, path: str, s: dict[str, Any], data: dict[str, Any]) -> Path:
        return write_target_list(self.cg, path, s, data)

    def project_additions(self, project_id: str) -> list[Addition]:
        return project_additions(self.cg, project_id)

    def what_if(self, additions: list[Addition], s: dict[str, Any]) -> dict[str, Any]:
        return what_if(self.cg, additions, s)


class Neo4jBackend:
    def __init__(self, store: Neo4jStore):
        self.store = store

    def gaps(self, chain: str | None, s: dict[str, Any]) -> list[dict[str, Any]]:
        return cypher.find_gaps(self.store, chain=chain, settings=s)

    def completeness(self, s: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return cypher.completeness(self.store, s)

    def target_list(self, s: dict[str, Any]) -> dict[str, Any]:
        return cypher.target_list(self.store, s)

    def write_target_list(self, path: str, s: dict[str, Any], data: dict[str, Any]) -> Path:
        return write_target_list(cypher.small_graph(self.store), path, s, data)

    def project_additions(self, project_id: str) -> list[Addition]:
        return cypher.project_additions(self.store, project_id)

    def what_if(self, additions: list[Addition], s: dict[str, Any]) -> dict[str, Any]:
        return cypher.what_if(self.store, additions, s)


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
    return Neo4jStore.connect(uri=args.neo4j_uri, user=args.neo4j_user, password=args.neo4j_password,
                              database=args.neo4j_database)
