"""Table rows <-> Neo4j property maps, driven by the column kinds of `loaders.tables`.

In Neo4j an empty cell is an absent property (Neo4j has no null properties): empty text, NaN
numbers and empty lists are left out. Numbers are floats, yes/no columns booleans, list columns
(`aliases`, `product_ids`) lists of strings. Reading back restores exactly the clean tables'
values: "" for missing text, NaN for missing numbers, "|"-joined lists.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from graph.chaingraph import edge_rows
from graph.neo4j_store.cypher import SEQ, edge_fields, endpoints, node_fields
from graph.schema import EdgeKind, NodeKind
from loaders.tables import BOOL, LIST, LIST_SEPARATOR, NUMBER, TABLES_BY_NAME, Column


def to_neo4j(column: Column, values: list[Any]) -> list[Any]:
    """One column's values as Neo4j property values (None = leave the property out).

    >>> from loaders.tables import Column, LIST, NUMBER
    >>> to_neo4j(Column("aliases", "别名", LIST), ["BDO|丁二醇", ""])
    [['BDO', '丁二醇'], None]
    >>> to_neo4j(Column("capacity", "产能", NUMBER), [5, float("nan")])
    [5.0, None]
    """
    if column.kind == NUMBER:
        return [None if v is None or math.isnan(v) else float(v) for v in values]
    if column.kind == BOOL:
        return [bool(v) for v in values]
    if column.kind == LIST:
        return [[x for x in str(v).split(LIST_SEPARATOR) if x] or None if isinstance(v, str) and v else None
                for v in values]
    return [v if isinstance(v, str) and v != "" else None for v in values]


def from_neo4j(column: Column, values: list[Any]) -> pd.Series:
    """Property values read back as the clean table's column."""
    if column.kind == NUMBER:
        return pd.Series([math.nan if v is None else float(v) for v in values], dtype=float)
    if column.kind == BOOL:
        return pd.Series([bool(v) for v in values], dtype=bool)
    if column.kind == LIST:
        return pd.Series([LIST_SEPARATOR.join(v) if v else "" for v in values], dtype=str)
    return pd.Series(["" if v is None else str(v) for v in values], dtype=str)


def _batches(columns: dict[str, list[Any]], batch_size: int) -> Iterator[list[dict[str, Any]]]:
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    for start in range(0, n, batch_size):
        chunk = [columns[c][start:start + batch_size] for c in names]
        yield [dict(zip(names, values)) for values in zip(*chunk)]


def node_columns(tables: dict[str, pd.DataFrame], kind: NodeKind) -> dict[str, list[Any]]:
    """Property values of every node of a kind, column by column: the node table's columns, and seq."""
    table, frame = TABLES_BY_NAME[kind.table], tables[kind.table]
    columns = {c.id: to_neo4j(c, frame[c.id].tolist()) for c in table.columns}
    columns[SEQ] = list(range(len(frame)))
    return columns


def node_batches(tables: dict[str, pd.DataFrame], kind: NodeKind, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Parameter rows for `merge_nodes(kind)`: every column of the node's table, and seq."""
    return _batches(node_columns(tables, kind), batch_size)


def edge_count(tables: dict[str, pd.DataFrame], kind: EdgeKind) -> int:
    return len(edge_rows(tables, kind))


def edge_batches(tables: dict[str, pd.DataFrame], kind: EdgeKind, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Parameter rows for `merge_edges(kind)`: `_from`, `_to`, the edge's properties and seq."""
    rows, table = edge_rows(tables, kind), TABLES_BY_NAME[kind.table]
    columns = {"_from": rows["_from"].tolist(), "_to": rows["_to"].tolist()}
    columns.update({p: to_neo4j(table.column(p), rows[p].tolist()) for p in kind.properties})
    columns[SEQ] = list(range(len(rows)))
    return _batches(columns, batch_size)


def created_edges(tables: dict[str, pd.DataFrame], kind: EdgeKind) -> pd.DataFrame:
    """The relationships of a kind that a push leaves in the database, as rows: `_from`, `_to`, the
    properties and seq (the row's position among `edge_rows`, as on the MERGE path).

    One row per key (source, target and the `merge_key` values; the last row wins, as MERGE then
    SET leaves it), only where both end nodes are in the tables (MATCH finds no other), sorted by
    start node, so consecutive rows touch the same nodes.
    """
    rows = edge_rows(tables, kind)
    rows[SEQ] = range(len(rows))
    src, dst = endpoints(kind)
    rows = rows[rows["_from"].isin(tables[src.table][src.key]) & rows["_to"].isin(tables[dst.table][dst.key])]
    keys = rows[["_from", "_to", *kind.merge_key]].fillna("")
    return rows[~keys.duplicated(keep="last")].sort_values("_from", kind="stable")


def edge_columns(tables: dict[str, pd.DataFrame], kind: EdgeKind) -> dict[str, list[Any]]:
    """`created_edges` as property values, column by column in `edge_fields(kind)` order; a
    `merge_key` property is '' where empty, as MERGE stores it."""
    rows, table = created_edges(tables, kind), TABLES_BY_NAME[kind.table]
    columns: dict[str, list[Any]] = {"_from": rows["_from"].tolist(), "_to": rows["_to"].tolist()}
    for p in kind.properties:
        values = to_neo4j(table.column(p), rows[p].tolist())
        columns[p] = ["" if v is None else v for v in values] if p in kind.merge_key else values
    columns[SEQ] = rows[SEQ].tolist()
    return columns


def list_batches(columns: dict[str, list[Any]], fields: tuple[str, ...], batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Rows as tuples in `fields` order (what `create_nodes` / `create_edges` read by position)."""
    n = len(columns[fields[0]])
    for start in range(0, n, batch_size):
        yield list(zip(*(columns[f][start:start + batch_size] for f in fields)))


def group_bounds(keys: list[Any], batch_size: int) -> list[int]:
    """Where batches start (and the end) so that no run of equal consecutive keys is split: a run
    goes whole into the batch of `batch_size` rows its first row falls in. Here rows 0-2 make
    batch 0, so it takes the runs starting there ("a" at 0, "b" at 2); "c" starts in batch 1,
    "d" in batch 2:

    >>> group_bounds(["a", "a", "b", "b", "b", "c", "d"], 3)
    [0, 5, 6, 7]
    >>> group_bounds([], 3)
    [0]
    """
    if not keys:
        return [0]
    values = np.asarray(keys, dtype=object)
    runs = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])  # first row of each run
    first = runs[np.r_[True, np.diff(runs // batch_size) > 0]]  # first run of each batch
    return [*first.tolist(), len(keys)]


def grouped_batches(columns: dict[str, list[Any]], fields: tuple[str, ...],
                    batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Relationship rows (`fields` start with `_from`, `_to`; the columns sorted by `_from`) in
    batches of about `batch_size` that never split one start node's rows, each batch sorted by end
    node. So batches written at the same time never lock the same start node, and take the locks
    on shared end nodes in one global order: they cannot deadlock on nodes.

    >>> cols = {"_from": ["E1", "E1", "E2", "E3"], "_to": ["p2", "p1", "p1", "p3"], "seq": [0, 1, 2, 3]}
    >>> list(grouped_batches(cols, ("_from", "_to", "seq"), 1))
    [[('E1', 'p1', 1), ('E1', 'p2', 0)], [('E2', 'p1', 2)], [('E3', 'p3', 3)]]
    """
    bounds = group_bounds(columns["_from"], batch_size)
    for start, end in zip(bounds, bounds[1:]):
        yield sorted(zip(*(columns[f][start:end] for f in fields)), key=itemgetter(1))


def create_batches(tables: dict[str, pd.DataFrame], kind: NodeKind | EdgeKind,
                   batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Parameter rows for `create_nodes(kind)` or `create_edges(kind)` (relationships by
    `grouped_batches`)."""
    if isinstance(kind, NodeKind):
        return list_batches(node_columns(tables, kind), node_fields(kind), batch_size)
    return grouped_batches(edge_columns(tables, kind), edge_fields(kind), batch_size)


def frame_from_maps(table_name: str, maps: list[dict[str, Any]]) -> pd.DataFrame:
    """A clean table from property maps (one per row, missing properties allowed)."""
    table = TABLES_BY_NAME[table_name]
    return pd.DataFrame({c.id: from_neo4j(c, [m.get(c.id) for m in maps]) for c in table.columns})
