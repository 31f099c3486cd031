"""The Cypher backend gives exactly the networkx backend's answers: coverage, gaps, completeness,
targets and what-if, on the built-in data, on the tiny graph under other settings, and on a larger
generated graph. See tests/neo4j_fixtures.py for how the server is found."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graph import ChainGraph
from graph.neo4j_store import Neo4jStore, push
from loaders import load
from neo4j_fixtures import larger_graph, neo4j_store, store  # noqa: F401  (fixtures)
from queries.analysis import analyse
from queries.coverage import coverage
from queries.cypher import Neo4jSource
from queries.errors import UnknownName
from queries.gaps import completeness, find_gaps
from queries.settings import load_settings
from queries.targets import find_targets
from queries.whatif import Addition, project_additions, what_if


def assert_backends_agree(cg: ChainGraph, store: Neo4jStore, settings: dict | None = None) -> list[dict]:
    s = settings or load_settings()
    db = Neo4jSource(store)
    pd.testing.assert_frame_equal(coverage(cg, s), coverage(db, s), check_dtype=False)
    gaps = find_gaps(cg, settings=s)
    assert find_gaps(db, settings=s) == gaps
    first_chain = cg.tables["chains"]["chain_id"].iloc[0]
    assert find_gaps(db, chain=first_chain, settings=s) == find_gaps(cg, chain=first_chain, settings=s)
    assert completeness(db, s) == completeness(cg, s)
    targets = find_targets(cg, gaps, s)
    assert find_targets(db, gaps, s) == targets
    assert analyse(db, s).to_json() == {"completeness": {k: c.to_json() for k, c in completeness(cg, s).items()},
                                        "gaps": [g.to_json() for g in gaps], "targets": [t.to_json() for t in targets]}
    return targets


def test_builtin_data(store: Neo4jStore) -> None:
    cg = ChainGraph(load()[0])
    push(cg, store, progress=False)
    targets = assert_backends_agree(cg, store)
    assert {t.role for t in targets} == {"leader", "supporting"}


def test_builtin_what_if(store: Neo4jStore) -> None:
    cg = ChainGraph(load()[0])
    push(cg, store, progress=False)
    leader = cg.tables["enterprises"].query("leader").iloc[0]
    local = cg.tables["enterprises"][cg.tables["enterprises"]["region_id"].str.startswith("wuhai")].iloc[0]
    cases = [[Addition(leader["enterprise_id"], "pbat", 10.0)],
             [Addition(leader["short_name"] or leader["name"], "thf"), Addition(local["enterprise_id"], "bdo", 3.0)]]
    cases += [project_additions(cg, p) for p in cg.tables["projects"]["project_id"][:3]]
    db = Neo4jSource(store)
    for additions in cases:
        assert what_if(db, additions) == what_if(cg, additions), additions
    assert project_additions(db, "P001") == project_additions(cg, "P001")
    with pytest.raises(UnknownName):
        what_if(db, [Addition("没有这家企业", "bdo")])


@pytest.mark.parametrize("overrides", [
    {"neighbour_radius_km": 40},
    {"weak": {"single_producer": False, "min_capacity": {"万吨/年": 50}}},
    {"targets": {"leaders_per_gap": 1, "supporters_per_gap": 1}},
    {"home_region": "wuhai_hainan", "leader_score": {"makes_gap_product": 1, "capacity_top": 100}},
])
def test_tiny_graph_under_other_settings(store: Neo4jStore, tiny_graph: ChainGraph, overrides: dict) -> None:
    push(tiny_graph, store, progress=False)
    s = load_settings()
    s.update(overrides)
    assert_backends_agree(tiny_graph, store, s)
    additions = [Addition("E3", "pbat", 10.0), Addition("E1", "bdo")]
    assert what_if(Neo4jSource(store), additions, s) == what_if(tiny_graph, additions, s)


def test_larger_generated_graph(store: Neo4jStore, tmp_path: Path) -> None:
    cg = larger_graph(tmp_path / "big")
    push(cg, store, progress=False)
    targets = assert_backends_agree(cg, store)
    assert len(targets) > 100
    s = load_settings(neighbour_radius_km=60)
    s["targets"] = {"leaders_per_gap": 2, "supporters_per_gap": 3}
    assert_backends_agree(cg, store, s)


def test_routed_graph(store: Neo4jStore, tmp_path: Path) -> None:
    """Routes, captive intermediates, by-products, unknown routes and competitors (the hand-made
    dataset of tests/test_routes_queries.py): the same answers from Neo4j, with and without the
    competitor penalty, and the same what-if."""
    from test_routes_queries import _graph

    cg = _graph(tmp_path)
    push(cg, store, progress=False)
    s = load_settings()
    assert {t.enterprise_id for t in assert_backends_agree(cg, store, s) if t.competes_with} == {"X1", "X3"}
    s["targets"] = {**s["targets"], "competitor_penalty": 40, "leaders_per_gap": 1}
    assert_backends_agree(cg, store, s)
    additions = [Addition("X4", "furfural"), Addition("X1", "bdo")]
    assert what_if(Neo4jSource(store), additions, s) == what_if(cg, additions, s)
