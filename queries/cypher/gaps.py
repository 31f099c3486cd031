"""Coverage, gaps and completeness from Neo4j: the same results as `queries.coverage` and
`queries.gaps`, with the per-product aggregation over firms done in Cypher."""
from __future__ import annotations

from typing import Any

import pandas as pd

from graph import ChainGraph
from graph.neo4j_store import Neo4jStore
from queries import gaps as nx_gaps
from queries.coverage import link_coverage
from queries.cypher.context import query_params, small_graph, with_firms
from queries.cypher.producers import product_coverage
from queries.settings import load_settings


def named_firms(cov: pd.DataFrame) -> set[str]:
    """Firms a gap's reasons name: local and neighbouring producers."""
    return {f for col in ("local_producers", "neighbour_producers") for fs in cov[col] for f in fs}


def coverage(store: Neo4jStore, settings: dict[str, Any] | None = None, small: ChainGraph | None = None,
             params: dict[str, Any] | None = None) -> pd.DataFrame:
    """`queries.coverage.coverage` on the database."""
    s = settings or load_settings()
    small = small or small_graph(store)
    return link_coverage(small, product_coverage(store, small, params or query_params(small, s)), s)


def find_gaps(store: Neo4jStore, chain: str | None = None, settings: dict[str, Any] | None = None,
              cov: pd.DataFrame | None = None, small: ChainGraph | None = None) -> list[dict[str, Any]]:
    """`queries.gaps.find_gaps` on the database."""
    s = settings or load_settings()
    small = small or small_graph(store)
    cov = coverage(store, s, small) if cov is None else cov
    return nx_gaps.find_gaps(with_firms(small, store, named_firms(cov)), chain, s, cov)


def completeness(store: Neo4jStore, settings: dict[str, Any] | None = None, cov: pd.DataFrame | None = None,
                 small: ChainGraph | None = None) -> dict[str, dict[str, Any]]:
    """`queries.gaps.completeness` on the database."""
    s = settings or load_settings()
    small = small or small_graph(store)
    cov = coverage(store, s, small) if cov is None else cov
    return nx_gaps.completeness(small, s, cov)
