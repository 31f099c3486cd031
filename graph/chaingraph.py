"""The chain graph: validated tables plus the networkx views built from them.

A `ChainGraph` holds the clean tables (the single source of truth) and builds two networkx views
on demand:

- `product_graph`, small: one node per product, FEEDS edges input -> output. Every query that walks
  the chain (upstream, downstream, feedstock) walks this graph.
- `graph`, complete: every node and edge kind of `graph.schema` in one `nx.DiGraph`, node ids
  'Label:key'. Pages, Neo4j sync and anything that
  wants the whole picture use it. Node attribute `label` is the node kind, edge attribute `type`
  the relationship type (as in Neo4j); the rest are the table's columns. At a million firms it costs seconds and gigabytes, so it is built
  only when asked for; firm-level aggregation in `queries/` works on the tables instead.

>>> from loaders import load
>>> cg = ChainGraph(load()[0])
>>> cg.graph.nodes["Product:bdo"]["name_zh"]
'1,4-丁二醇'
"""
from __future__ import annotations

from functools import cached_property
from typing import Any

import networkx as nx
import pandas as pd

from graph.schema import EDGE_KINDS, NODE_KINDS, EdgeKind, node_id
from queries.errors import InputError
from queries.vocabulary import LIST_SEPARATOR


def edge_rows(tables: dict[str, pd.DataFrame], kind: EdgeKind) -> pd.DataFrame:
    """Rows of one edge kind: columns `_from`, `_to` (keys, not node ids) and its properties."""
    frame = tables[kind.table]
    rows = pd.DataFrame({"_from": frame[kind.source[1]].astype(str), "_to": frame[kind.target[1]].astype(str)})
    for p in kind.properties:
        rows[p] = frame[p]
    if kind.many_targets:
        rows["_to"] = rows["_to"].str.split(LIST_SEPARATOR)
        rows = rows.explode("_to")
    ok = rows["_to"].notna() & (rows["_to"] != "") & (rows["_from"] != "")
    return rows[ok].reset_index(drop=True)


def _clean(value: object) -> object:
    """Attribute values as they go into the graph: NaN becomes None."""
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


class DuplicateIdError(InputError, ValueError):
    """A node table names the same id twice: a ChainGraph needs one row per node."""


class ChainGraph:
    """Validated tables and the graph views built from them; treat as immutable.

    Invariant, checked here once: the id of every node table (regions, chains, products,
    enterprises, projects) is unique, so `ids[table]` maps an id to its row position and every
    query can look rows up by position. Validation already rejects duplicate ids; a graph built
    by hand that repeats one raises `DuplicateIdError`.

    `derived` holds what queries compute from the tables once per graph (the producer table per
    home region and radius); it is safe to keep because the tables never change.
    """

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = tables
        self.ids: dict[str, pd.Index] = {}
        for kind in NODE_KINDS:
            if kind.table in tables:
                index = pd.Index(tables[kind.table][kind.key].to_numpy(dtype=object))
                if not index.is_unique:
                    repeated = sorted(map(str, index[index.duplicated()].unique()))[:5]
                    raise DuplicateIdError(f"{kind.table} 表中编号重复：{repeated}", f"duplicate ids in {kind.table}: {repeated}",
                                           code="duplicate-id", file=kind.table)
                self.ids[kind.table] = index
        self.derived: dict[Any, Any] = {}

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"ChainGraph({sizes})"

    @cached_property
    def product_graph(self) -> nx.DiGraph:
        """Products as nodes (attributes from the products table), FEEDS edges input -> output."""
        g = nx.DiGraph()
        products = self.tables["products"]
        g.add_nodes_from((r["product_id"], r) for r in products.to_dict("records"))
        feeds = self.tables["feeds"]
        g.add_edges_from((a, b, {"kind": k}) for a, b, k in zip(feeds["input_id"], feeds["output_id"], feeds["kind"]))
        return g

    @cached_property
    def graph(self) -> nx.DiGraph:
        """Every node and edge of the schema in one directed graph."""
        g = nx.DiGraph()
        for kind in NODE_KINDS:
            frame = self.tables[kind.table]
            props = kind.properties
            columns = [frame[c] for c in props]
            g.add_nodes_from(
                (node_id(kind.label, key), {"label": kind.label, "key": key,
                                            **{p: _clean(v) for p, v in zip(props, values)}})
                for key, *values in zip(frame[kind.key], *columns))
        for kind in EDGE_KINDS:
            rows = edge_rows(self.tables, kind)
            src = kind.source[0] + ":" + rows["_from"]
            dst = kind.target[0] + ":" + rows["_to"]
            props = [rows[p] for p in kind.properties]
            g.add_edges_from((a, b, {"type": kind.type, **{p: _clean(v) for p, v in zip(kind.properties, values)}})
                             for a, b, *values in zip(src, dst, *props))
        return g

    def edge_counts(self) -> dict[str, int]:
        """Number of edges per relationship type, counted from the tables (no graph is built)."""
        counts: dict[str, int] = {}
        for kind in EDGE_KINDS:
            counts[kind.type] = counts.get(kind.type, 0) + len(edge_rows(self.tables, kind))
        return counts


__all__ = ["ChainGraph", "DuplicateIdError", "edge_rows"]
