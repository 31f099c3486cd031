"""Push a ChainGraph into Neo4j: constraints first, then batched upserts, then (optionally) prune.

Each batch is one explicit write transaction running ``UNWIND $rows AS row MERGE ...``: a batch
is written whole or not at all, transient errors are retried, and MERGE on the node keys (unique
constraints) and on (source, type, target) makes a push idempotent. Pushing twice leaves the same
counts; a push killed half-way and run again completes with no duplicates.

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
from graph.neo4j_store.counts import database_counts
from graph.neo4j_store.cypher import INDEXES, constraint, index, merge_edges, merge_nodes
from graph.neo4j_store.prune import prune
from graph.neo4j_store.rows import edge_batches, edge_count, node_batches
from graph.neo4j_store.store import Neo4jStore
from graph.schema import EDGE_KINDS, NODE_KINDS


@dataclass(frozen=True)
class Batch:
    what: str  # node label or edge spec name, for progress and errors
    query: str
    rows: list[dict[str, Any]]


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
    """Make the database hold `cg`: upsert every node and relationship, then delete the nodes and
    relationships of our kinds that `cg` no longer has (unless `prune_stale` is False).

    Returns {"rows": rows written, "pruned": {kind: deleted}, "counts": {kind: {"data", "database"}}}.
    """
    ensure_schema(store)
    written = write_batches(store, plan(cg, batch_size), total_rows(cg), progress)
    pruned = prune(cg, store, batch_size) if prune_stale else {}
    return {"rows": written, "pruned": pruned, "counts": database_counts(cg, store)}
