"""Counts of each node and relationship kind, in the data and in the database, side by side."""
from __future__ import annotations

from typing import Any

import pandas as pd

from graph.chaingraph import ChainGraph, edge_rows
from graph.neo4j_store.cypher import count_edges, count_nodes, ident
from graph.neo4j_store.store import Neo4jStore
from graph.schema import EDGE_KINDS, NODE_KINDS, EdgeKind


def edge_pairs(tables: dict[str, pd.DataFrame], kind: EdgeKind) -> set[tuple[str, ...]]:
    """The distinct keys of an edge kind in the tables: (source key, target key, *merge_key values)."""
    rows = edge_rows(tables, kind)
    return set(zip(rows["_from"], rows["_to"], *(rows[p].fillna("").astype(str) for p in kind.merge_key)))


def database_counts(cg: ChainGraph | None, store: Neo4jStore) -> dict[str, dict[str, Any]]:
    """{kind: {"data": n in cg (if given), "database": n, "duplicates": n - distinct keys or pairs}}."""
    out: dict[str, dict[str, Any]] = {}
    for kind in NODE_KINDS:
        row = store.read(count_nodes(kind))[0]
        out[kind.label] = {"database": row["n"], "duplicates": row["n"] - row["keys"]}
        if cg is not None:
            out[kind.label]["data"] = len(cg.tables[kind.table])
    for edge in EDGE_KINDS:
        row = store.read(count_edges(edge))[0]
        out[edge.name] = {"database": row["n"], "duplicates": row["n"] - row["pairs"]}
        if cg is not None:
            out[edge.name]["data"] = len(edge_pairs(cg.tables, edge))
    return out


def database_is_empty(store: Neo4jStore) -> bool:
    """True when the database holds no node of the schema's labels (so none of our relationships
    either); other data does not count. Node counts by label come from Neo4j's count store: instant."""
    return not any(store.read(f"MATCH (n:{ident(k.label)}) RETURN count(n) AS n")[0]["n"] for k in NODE_KINDS)
