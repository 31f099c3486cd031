"""The graph built from the tiny tables has the shape worked out by hand."""
from __future__ import annotations

from collections import Counter

from graph import ChainGraph
from graph.schema import EDGE_TYPES, NODE_KINDS


def test_node_kinds_and_counts(tiny_graph: ChainGraph) -> None:
    kinds = Counter(d["label"] for _, d in tiny_graph.graph.nodes(data=True))
    assert kinds == {"Region": 4, "Chain": 2, "Product": 7, "Route": 1, "Enterprise": 5, "Project": 1}
    assert {k.label for k in NODE_KINDS} == set(kinds)


def test_edge_kinds_and_counts(tiny_graph: ChainGraph) -> None:
    kinds = Counter(d["type"] for *_, d in tiny_graph.graph.edges(data=True))
    # PART_OF: hainan->wuhai; LOCATED_IN: E1, E2, E4 and P1; INVESTS: E1->P1; FOR_PRODUCT: P1->thf;
    # ROUTE_OF: pvc:carbide->pvc
    assert kinds == {"PART_OF": 1, "HAS_PRODUCT": 9, "FEEDS": 6, "LOCATED_IN": 4, "PRODUCES": 8,
                     "INVESTS": 1, "FOR_PRODUCT": 1, "ROUTE_OF": 1}
    assert tiny_graph.edge_counts() == dict(kinds)
    assert set(EDGE_TYPES) == set(kinds)


def test_attributes_travel(tiny_graph: ChainGraph) -> None:
    g = tiny_graph.graph
    assert g.nodes["Product:bdo"]["name_zh"] == "1,4-丁二醇"
    assert bool(g.edges["Chain:c1", "Product:bdo"]["focus"]) and not bool(g.edges["Chain:c1", "Product:thf"]["focus"])
    assert g.edges["Enterprise:E3", "Product:bdo"]["capacity"] == 10.0
    assert g.edges["Enterprise:E1", "Product:acetylene"]["capacity"] is None
    assert g.has_edge("Enterprise:E1", "Region:wuhai_hainan")
    assert not any(g.has_edge("Enterprise:E3", n) for n in g.nodes if n.startswith("Region:"))


def test_product_graph_is_the_feeds_dag(tiny_graph: ChainGraph) -> None:
    pg = tiny_graph.product_graph
    assert set(pg.successors("bdo")) == {"thf", "pbat"}
    assert list(pg.predecessors("acetylene")) == ["carbide"]
