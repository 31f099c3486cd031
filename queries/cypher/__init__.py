"""The queries on Neo4j: the same functions and results as `queries/`, taking a `Neo4jStore`.

Per-product and per-firm aggregation runs in Cypher (it scales with the database); the per-link
logic, scoring and texts are the networkx backend's own code run on the small tables. Modules:
`context` (small tables, parameters), `producers` (producer table, coverage aggregation), `gaps`
(coverage, gaps, completeness), `targets`, `whatif`.
"""
from typing import Any

from graph.neo4j_store import Neo4jStore
from queries.cypher.context import small_graph
from queries.cypher.gaps import completeness, coverage, find_gaps
from queries.cypher.targets import find_targets
from queries.cypher.whatif import project_additions, what_if
from queries.settings import load_settings


def target_list(store: Neo4jStore, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """`reports.target_list.target_list` on the database: completeness, gaps and targets, computed once."""
    s = settings or load_settings()
    small = small_graph(store)
    cov = coverage(store, s, small)
    gaps = find_gaps(store, settings=s, cov=cov, small=small)
    return {"completeness": completeness(store, s, cov, small), "gaps": gaps,
            "targets": find_targets(store, gaps, s, small)}


__all__ = ["completeness", "coverage", "find_gaps", "find_targets", "project_additions", "small_graph",
           "target_list", "what_if"]
