"""Table rows <-> Neo4j property maps, driven by the column kinds of `loaders.tables`.

In Neo4j an empty cell is an absent property (Neo4j has no null properties): empty text, NaN
numbers and empty lists are left out. Numbers are floats, yes/no columns booleans, list columns
(`aliases`, `product_ids`) lists of strings. Reading back restores exactly the clean tables'
values: "" for missing text, NaN for missing numbers, "|"-joined lists.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pandas as pd

from graph.chaingraph import edge_rows
from graph.neo4j_store.cypher import SEQ
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


def node_batches(tables: dict[str, pd.DataFrame], kind: NodeKind, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Parameter rows for `merge_nodes(kind)`: every column of the node's table, and seq."""
    table, frame = TABLES_BY_NAME[kind.table], tables[kind.table]
    columns = {c.id: to_neo4j(c, frame[c.id].tolist()) for c in table.columns}
    columns[SEQ] = list(range(len(frame)))
    return _batches(columns, batch_size)


def edge_count(tables: dict[str, pd.DataFrame], kind: EdgeKind) -> int:
    return len(edge_rows(tables, kind))


def edge_batches(tables: dict[str, pd.DataFrame], kind: EdgeKind, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Parameter rows for `merge_edges(kind)`: `_from`, `_to`, the edge's properties and seq."""
    rows, table = edge_rows(tables, kind), TABLES_BY_NAME[kind.table]
    columns = {"_from": rows["_from"].tolist(), "_to": rows["_to"].tolist()}
    columns.update({p: to_neo4j(table.column(p), rows[p].tolist()) for p in kind.properties})
    columns[SEQ] = list(range(len(rows)))
    return _batches(columns, batch_size)


def frame_from_maps(table_name: str, maps: list[dict[str, Any]]) -> pd.DataFrame:
    """A clean table from property maps (one per row, missing properties allowed)."""
    table = TABLES_BY_NAME[table_name]
    return pd.DataFrame({c.id: from_neo4j(c, [m.get(c.id) for m in maps]) for c in table.columns})
