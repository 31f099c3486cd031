"""Delete what the data no longer has: nodes of our labels whose key is gone, and relationships of
our types whose key (source, target and, for FEEDS, route) is gone. Only schema kinds are touched; other data in the
database is left alone."""
from __future__ import annotations

from graph.chaingraph import ChainGraph
from graph.neo4j_config import PUSH_BATCH_SIZE
from graph.neo4j_store.counts import edge_pairs
from graph.neo4j_store.cypher import delete_edges, delete_nodes, edge_keys, node_keys
from graph.neo4j_store.store import Neo4jStore
from graph.schema import EDGE_KINDS, NODE_KINDS


def prune(cg: ChainGraph, store: Neo4jStore, batch_size: int = PUSH_BATCH_SIZE) -> dict[str, int]:
    """Returns {kind: number deleted} for the kinds where something was deleted."""
    deleted: dict[str, int] = {}
    for edge in EDGE_KINDS:
        keep = edge_pairs(cg.tables, edge)
        names = ("a", "b", *edge.merge_key)
        found = [{n: r[n] for n in names} for r in store.read(edge_keys(edge))]
        stale = [r for r in found if tuple(r[n] for n in names) not in keep]
        for start in range(0, len(stale), batch_size):
            store.write(delete_edges(edge), rows=stale[start:start + batch_size])
        if stale:
            deleted[edge.name] = len(stale)
    for kind in NODE_KINDS:
        keep = set(cg.tables[kind.table][kind.key])
        stale = [r["k"] for r in store.read(node_keys(kind)) if r["k"] not in keep]
        for start in range(0, len(stale), batch_size):
            store.write(delete_nodes(kind), keys=stale[start:start + batch_size])
        if stale:
            deleted[kind.label] = len(stale)
    return deleted
