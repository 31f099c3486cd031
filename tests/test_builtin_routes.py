"""Issue 11's acceptance checks on the built-in data (the re-checked dataset in loaders/data/:
routes, captive intermediates and verification states of the Wuhai plants); the rules themselves
are tested by hand in tests/test_routes_queries.py."""
from __future__ import annotations

import pytest

from graph import ChainGraph
from loaders import load
from queries.analysis import analyse


@pytest.fixture(scope="module")
def built_in():
    cg = ChainGraph(load()[0])
    return cg, analyse(cg)


def test_carbide_intermediates_covered_naming_plant_and_route(built_in) -> None:
    """乙炔, 氯乙烯, 1,4-丁炔二醇 are covered wherever they appear, each naming plant and route, and
    every such route is in the routes table with a source."""
    cg, a = built_in
    routes = cg.tables["routes"].set_index("route_id")
    rows = a.coverage[a.coverage["product_id"].isin(["acetylene", "vcm", "butynediol"])]
    assert len(rows) and set(rows["status"]) <= {"local", "weak", "captive"}
    for plants in rows.loc[rows["status"] == "captive", "captive_producers"]:
        assert plants and all(r in routes.index and routes.at[r, "source"] for _, r in plants)


def test_no_reason_says_local_bdo_needs_maleic_anhydride(built_in) -> None:
    """Unless a local plant runs BDO's maleic-anhydride route, no 顺酐 gap asserts local BDO demand."""
    cg, a = built_in
    feeds, produces = cg.tables["feeds"], cg.tables["produces"]
    ma_routes = set(feeds.loc[(feeds["input_id"] == "maleic_anhydride") & (feeds["output_id"] == "bdo"), "route_id"])
    local = set(cg.tables["enterprises"].loc[cg.tables["enterprises"]["region_id"].str.startswith("wuhai"),
                                             "enterprise_id"])
    runs_ma = produces[(produces["product_id"] == "bdo") & produces["route_id"].isin(ma_routes - {""})
                       & produces["enterprise_id"].isin(local)]
    if len(runs_ma):
        pytest.skip("a local plant runs the maleic-anhydride route")
    for g in a.gaps:
        if g.product_id == "maleic_anhydride":
            assert not any(r["code"] == "local_demand" and "bdo" in r["outputs"] for r in g.reasons)


def test_fine_chemicals_covers_at_least_nine_links(built_in) -> None:
    _, a = built_in
    assert a.completeness["fine_chem"].covered >= 9


def test_every_candidate_making_a_local_product_is_marked(built_in) -> None:
    """The mark is the rule's own output, so this holds on any data: a candidate whose `makes`
    names a product local firms make in operation lists it in competes_with."""
    _, a = built_in
    local = set(a.coverage.loc[a.coverage["local_producers"].map(len) > 0, "product_id"])
    for t in a.targets:
        made = {q for qs in t.makes.values() for q in qs}
        assert made & local <= set(t.competes_with), (t.enterprise_id, t.product_id)


def test_no_feeds_edge_joins_a_non_material(built_in) -> None:
    cg, _ = built_in
    kind = cg.tables["products"].set_index("product_id")["kind"]
    feeds = cg.tables["feeds"]
    assert set(kind[feeds["input_id"]]) | set(kind[feeds["output_id"]]) <= {"物料"}
