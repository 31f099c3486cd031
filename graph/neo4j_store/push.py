"""Push a ChainGraph into Neo4j: constraints first, then batched writes, then (optionally) prune.

Each batch is one explicit write transaction: a batch is written whole or not at all, and
transient errors are retried. Two paths write the same graph:

- Into a database holding no node of our labels, the CREATE path (`create_plan`): ``UNWIND $rows
  AS row CREATE ...`` with rows as lists, in batches of about `CREATE_BATCH_SIZE` rows (smaller
  transactions commit faster per row than large ones), `PUSH_WORKERS` transactions at a time.
  Nodes first (their key constraints already exist, so the relationships' MATCH by key uses the
  index), all labels in one stage; then one stage per relationship kind. Within a stage the
  batches of a relationship kind never share a start node and are each sorted by end node
  (`rows.grouped_batches`), so concurrent batches cannot deadlock on nodes; a kind whose two ends
  have the same label (FEEDS, PART_OF) is written one batch at a time.
- Otherwise the MERGE path (`plan`): ``UNWIND $rows AS row MERGE ...`` on the node keys (unique
  constraints) and on (source, type, target), one batch at a time: idempotent, then prune.

Resuming: a CREATE push that stops half-way (killed, server gone) leaves a non-empty database, so
the next push takes the MERGE path, which completes it with no duplicates. Pushing twice leaves
the same counts.

>>> from loaders import load
>>> [(b.what, b.stage, b.concurrent) for b in create_plan(ChainGraph(load()[0]))][:2]
[('Region', 'nodes', True), ('Chain', 'nodes', True)]
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import Any

from tqdm import tqdm

from graph.chaingraph import ChainGraph
from graph.neo4j_config import CREATE_BATCH_SIZE, PUSH_BATCH_SIZE, PUSH_WORKERS
from graph.neo4j_store.counts import database_counts, database_is_empty
from graph.neo4j_store.cypher import (INDEXES, constraint, create_edges, create_nodes, endpoints, index, merge_edges,
                                      merge_nodes)
from graph.neo4j_store.prune import prune
from graph.neo4j_store.rows import create_batches, edge_batches, edge_count, node_batches
from graph.neo4j_store.store import Neo4jStore
from graph.schema import EDGE_KINDS, NODE_KINDS


@dataclass(frozen=True)
class Batch:
    what: str  # node label or edge spec name, for progress and errors
    query: str
    rows: list[Any]  # maps (MERGE path) or tuples (CREATE path)
    stage: str = ""  # consecutive batches of one stage may be written at the same time ...
    concurrent: bool = False  # ... if this is True


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


def create_plan(cg: ChainGraph, batch_size: int = CREATE_BATCH_SIZE) -> Iterator[Batch]:
    """Every batch of a push into an empty database: the nodes of every label (one stage), then
    each relationship kind (a stage each, concurrent unless both ends have the same label)."""
    for kind in NODE_KINDS:
        query = create_nodes(kind)
        for rows in create_batches(cg.tables, kind, batch_size):
            yield Batch(kind.label, query, rows, "nodes", True)
    for edge in EDGE_KINDS:
        query = create_edges(edge)
        src, dst = endpoints(edge)
        for rows in create_batches(cg.tables, edge, batch_size):
            yield Batch(edge.name, query, rows, edge.name, src.label != dst.label)


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


def _write(store: Neo4jStore, batch: Batch) -> int:
    store.write(batch.query, rows=batch.rows)
    return len(batch.rows)


def _written(store: Neo4jStore, batches: Iterable[Batch], pool: ThreadPoolExecutor | None,
             window: int) -> Iterator[int]:
    """Write one stage's batches: in this thread, or (when concurrent) on the pool with at most
    `window` in flight; yields each batch's rows as it commits and returns once all have. If one
    fails, those not started are cancelled and its error raised."""
    pending: set[Future[int]] = set()

    def settle(keep: int) -> Iterator[int]:  # wait until at most `keep` batches are in flight
        nonlocal pending
        while len(pending) > keep:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in done)

    try:
        for batch in batches:
            if pool is None or not batch.concurrent:
                yield from settle(0)
                yield _write(store, batch)
            else:
                yield from settle(window - 1)
                pending.add(pool.submit(_write, store, batch))
        yield from settle(0)
    finally:
        for f in pending:
            f.cancel()


def write_batches(store: Neo4jStore, batches: Iterable[Batch], total: int | None = None,
                  progress: bool = True, workers: int = 1) -> int:
    """Write batches one transaction each, with a progress bar; returns the rows written. With
    `workers` above 1, the concurrent batches of a stage are written that many at a time, each on
    its own session; a stage starts when the one before has committed."""
    pool = ThreadPoolExecutor(workers, thread_name_prefix="chainkg-push") if workers > 1 else None
    written = 0
    try:
        with tqdm(total=total, unit="行 rows", desc="推送 / push", disable=not progress, unit_scale=True) as bar:
            for _, stage in groupby(batches, key=attrgetter("stage")):
                for n in _written(store, stage, pool, 2 * workers):
                    written += n
                    bar.update(n)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return written


def push(cg: ChainGraph, store: Neo4jStore, batch_size: int | None = None, progress: bool = True,
         prune_stale: bool = True, workers: int = PUSH_WORKERS) -> dict[str, Any]:
    """Make the database hold `cg`. Into a database with none of our nodes: create everything
    (the CREATE path, `workers` transactions at a time, batches of about `batch_size` rows,
    default `CREATE_BATCH_SIZE`). Otherwise upsert every node and relationship one batch at a
    time (default `PUSH_BATCH_SIZE` rows), then delete the nodes and relationships of our kinds
    that `cg` no longer has (unless `prune_stale` is False).

    Returns {"method": "create" or "merge", "rows": rows written, "pruned": {kind: deleted},
    "counts": {kind: {"data", "database", "duplicates"}}}.
    """
    ensure_schema(store)
    if database_is_empty(store):
        written = write_batches(store, create_plan(cg, batch_size or CREATE_BATCH_SIZE), total_rows(cg), progress,
                                workers)
        return {"method": "create", "rows": written, "pruned": {}, "counts": database_counts(cg, store)}
    size = batch_size or PUSH_BATCH_SIZE
    written = write_batches(store, plan(cg, size), total_rows(cg), progress)
    pruned = prune(cg, store, size) if prune_stale else {}
    return {"method": "merge", "rows": written, "pruned": pruned, "counts": database_counts(cg, store)}
