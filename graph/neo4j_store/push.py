"""Push a ChainGraph into Neo4j: constraints first, then batched writes, then (optionally) prune.

Each batch is one explicit write transaction: a batch is written whole or not at all, and
transient errors are retried. Two paths write the same graph:

- Into a database holding no node of our labels, the CREATE path (`create_plan`): ``UNWIND $rows
  AS row CREATE ...`` with rows as lists, nodes first (their key constraints already exist, so the
  relationships' MATCH by key uses the index), then one relationship kind at a time, rows sorted by
  start node. One transaction at a time: nothing contends for a lock, nothing can deadlock.
- Otherwise the MERGE path (`plan`): ``UNWIND $rows AS row MERGE ...`` on the node keys (unique
  constraints) and on (source, type, target): idempotent, then prune.

Resuming: a CREATE push that stops half-way (killed, server gone) leaves a non-empty database, so
the next push takes the MERGE path, which completes it with no duplicates. Pushing twice leaves
the same counts.

>>> from loaders import load
>>> [b.what for b in plan(ChainGraph(load()[0]), 100_000)][:2]
['Region', 'Chain']
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from graph.chaingraph import ChainGraph
from graph.neo4j_config import PUSH_BATCH_SIZE
from graph.neo4j_store.counts import database_counts, database_is_empty
from graph.neo4j_store.cypher import INDEXES, constraint, create_edges, create_nodes, index, merge_edges, merge_nodes
from graph.neo4j_store.prune import prune
from graph.neo4j_store.rows import create_batches, edge_batches, edge_count, node_batches
from graph.neo4j_store.store import Neo4jStore
from graph.schema import EDGE_KINDS, NODE_KINDS


@dataclass(frozen=True)
class Batch:
    what: str  # node label or edge spec name, for progress and errors
    query: str
    rows: list[Any]  # maps (MERGE path) or tuples (CREATE path)


def plan(cg: ChainGraph, batch_size: int = PUSH_BATCH_SIZE) -> Iterator[Batch]:
    """Every batch of a push, nodes before relationships; rows are built lazily, batch by batch."""
    for kind in NODE_KINDS:
        query = merge_nodes(kind)
        for rows in node_batches(cg.tables, kind, batch_size):
            yield Batch(kind.label, query, rows)
    for edge in EDGE_KINDS:
        query = merge_edges(edge)
        for rows in edge_batches(cg.tables, edge, batch_size):
            yield Batch(edge.name, query, rows)


def create_plan(cg: ChainGraph, batch_size: int = PUSH_BATCH_SIZE) -> Iterator[Batch]:
    """Every batch of a push into an empty database: nodes, then relationships kind by kind."""
    for kind in NODE_KINDS:
        query = create_nodes(kind)
        for rows in create_batches(cg.tables, kind, batch_size):
            yield Batch(kind.label, query, rows)
    for edge in EDGE_KINDS:
        query = create_edges(edge)
        for rows in create_batches(cg.tables, edge, batch_size):
            yield Batch(edge.name, query, rows)


def total_rows(cg: ChainGraph) -> int:
    """Rows a push writes: one per node and one per relationship."""
    return sum(len(cg.tables[k.table]) for k in NODE_KINDS) + sum(edge_count(cg.tables, e) for e in EDGE_KINDS)


def ensure_schema(store: Neo4jStore) -> None:
    """Create the key constraints and query indexes (idempotent) and wait until they are online."""
    for kind in NODE_KINDS:
        store.write(constraint(kind))
    for label, prop in INDEXES:
        store.write(index(label, prop))
    store.read("CALL db.awaitIndexes(300)")


def write_batches(store: Neo4jStore, batches: Iterator[Batch] | list[Batch], total: int | None = None,
                  progress: bool = True) -> int:
    """Write batches one transaction each, with a progress bar; returns the rows written."""
    written = 0
    with tqdm(total=total, unit="行 rows", desc="推送 / push", disable=not progress, unit_scale=True) as bar:
        for batch in batches:
            store.write(batch.query, rows=batch.rows)
            written += len(batch.rows)
            bar.update(len(batch.rows))
    return written


def push(cg: ChainGraph, store: Neo4jStore, batch_size: int = PUSH_BATCH_SIZE, progress: bool = True,
         prune_stale: bool = True) -> dict[str, Any]:
    """Make the database hold `cg`. Into a database with none of our nodes: create everything
    (the CREATE path). Otherwise upsert every node and relationship, then delete the nodes and
    relationships of our kinds that `cg` no longer has (unless `prune_stale` is False).

    Returns {"method": "create" or "merge", "rows": rows written, "pruned": {kind: deleted},
    "counts": {kind: {"data", "database", "duplicates"}}}.
    """
    ensure_schema(store)
    method = "create" if database_is_empty(store) else "merge"
    batches = create_plan(cg, batch_size) if method == "create" else plan(cg, batch_size)
    written = write_batches(store, batches, total_rows(cg), progress)
    pruned = prune(cg, store, batch_size) if prune_stale and method == "merge" else {}
    return {"method": method, "rows": written, "pruned": pruned, "counts": database_counts(cg, store)}
