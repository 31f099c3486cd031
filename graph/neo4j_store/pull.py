"""Pull the graph back out of Neo4j: the clean tables, rebuilt, as a ChainGraph.

Node tables (regions, chains, products, enterprises, projects) come from the nodes' properties;
the tables that are only relationships (chain_products, feeds, produces) from the relationships.
Rows come back in their original order (`seq`).
"""
from __future__ import annotations

import pandas as pd

from graph.chaingraph import ChainGraph
from graph.neo4j_store.cypher import read_edges, read_nodes
from graph.neo4j_store.rows import frame_from_maps
from graph.neo4j_store.store import Neo4jStore
from graph.schema import EDGE_KINDS, NODE_KINDS
from loaders.tables import TABLES

NODE_TABLES = {k.table: k for k in NODE_KINDS}
EDGE_TABLES = {e.table: e for e in EDGE_KINDS if e.table not in NODE_TABLES}


def read_table(store: Neo4jStore, name: str, keys: list[str] | None = None) -> pd.DataFrame:
    """One clean table from the database; for a node table optionally only the rows with these keys."""
    if name in NODE_TABLES:
        kind = NODE_TABLES[name]
        if keys is None:
            maps = [r["n"] for r in store.read(read_nodes(kind))]
        else:
            maps = [r["n"] for r in store.read(read_nodes(kind, by_key=True), keys=list(keys))]
        return frame_from_maps(name, maps)
    edge = EDGE_TABLES[name]
    maps = [{edge.source[1]: r["_from"], edge.target[1]: r["_to"], **r["r"]} for r in store.read(read_edges(edge))]
    return frame_from_maps(name, maps)


def pull(store: Neo4jStore) -> ChainGraph:
    """Every table read back from the database."""
    return ChainGraph({t.name: read_table(store, t.name) for t in TABLES})
