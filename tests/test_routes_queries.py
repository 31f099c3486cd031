r"""Routes in the analysis, on a hand-made dataset whose every answer is worked out by hand.

    routes: bdo:reppe  acetylene + formaldehyde -> bdo, captive acetylene      (L1 runs it)
            bdo:ma     ma -> bdo                                               (nobody here)
            pvc:carbide carbide -> pvc, captive vcm, by-product slag           (L2 runs it)
            pvc:ethylene ethylene -> pvc                                       (nobody here)
            thf:bdo  bdo -> thf;  thf:furfural  furfural -> thf                (L3: route unknown)
            default routes: butane -> ma; vcm -> copolymer                     (L4 makes copolymer)
    chains: c1 acetylene, formaldehyde, bdo, ma*, thf, furfural
            c2 carbide, ethylene, pvc, vcm, slag, copolymer, ma   (* focus; ma is not focus in c2)
    firms elsewhere, all 龙头 and listed: X1 ma (10) + bdo; X2 ma (5); X3 ma (capacity unknown) + pvc
Every PRODUCES row is 已核实, so no `unverified` reason appears. Names are placeholders.
"""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from conftest import write_tables
from graph import ChainGraph
from loaders import load
from queries.coverage import coverage
from queries.gaps import completeness, find_gaps
from queries.settings import load_settings
from queries.targets import find_targets
from queries.whatif import Addition, what_if

P = lambda pid, zh: {"product_id": pid, "name_zh": zh, "unit": "万吨/年"}  # noqa: E731
F = lambda a, b, r="": {"input_id": a, "output_id": b, "kind": "原料", "route_id": r}  # noqa: E731
R = lambda rid, pid, zh, captive="", by="": {"route_id": rid, "product_id": pid, "name_zh": zh,  # noqa: E731
                                           "captive": captive, "byproducts": by, "source": "test"}


def _made(eid: str, pid: str, route: str = "", cap: str = "") -> dict[str, str]:
    return {"enterprise_id": eid, "product_id": pid, "capacity": cap, "status": "在产", "route_id": route,
            "verified": "已核实"}


ROUTED = {
    "regions": [{"region_id": "wuhai", "name_zh": "乌海市", "kind": "city", "lat": "39.65", "lon": "106.82"},
                {"region_id": "beijing", "name_zh": "北京市", "kind": "city", "lat": "39.90", "lon": "116.40"}],
    "chains": [{"chain_id": "c1", "name_zh": "可降解材料"}, {"chain_id": "c2", "name_zh": "氯碱化工"}],
    "products": [P("acetylene", "乙炔"), P("formaldehyde", "甲醛"), P("bdo", "1,4-丁二醇"), P("ma", "顺酐"),
                 P("butane", "正丁烷"), P("thf", "四氢呋喃"), P("furfural", "糠醛"), P("carbide", "电石"),
                 P("ethylene", "乙烯"), P("pvc", "聚氯乙烯"), P("vcm", "氯乙烯"), P("slag", "电石渣"),
                 P("copolymer", "氯醋共聚物")],
    "routes": [R("bdo:reppe", "bdo", "炔醛法", captive="acetylene"), R("bdo:ma", "bdo", "顺酐法"),
               R("pvc:carbide", "pvc", "电石法", captive="vcm", by="slag"), R("pvc:ethylene", "pvc", "乙烯法"),
               R("thf:bdo", "thf", "BDO脱水法"), R("thf:furfural", "thf", "糠醛法")],
    "chain_products": [{"chain_id": "c1", "product_id": p, "segment": "中游", "focus": "是" if p == "ma" else "否"}
                       for p in ("acetylene", "formaldehyde", "bdo", "ma", "thf", "furfural")]
                      + [{"chain_id": "c2", "product_id": p, "segment": "中游", "focus": "否"}
                         for p in ("carbide", "ethylene", "pvc", "vcm", "slag", "copolymer", "ma")],
    "feeds": [F("acetylene", "bdo", "bdo:reppe"), F("formaldehyde", "bdo", "bdo:reppe"), F("ma", "bdo", "bdo:ma"),
              F("carbide", "pvc", "pvc:carbide"), F("ethylene", "pvc", "pvc:ethylene"), F("bdo", "thf", "thf:bdo"),
              F("furfural", "thf", "thf:furfural"), F("butane", "ma"), F("vcm", "copolymer")],
    "enterprises": [{"enterprise_id": e, "name": n, "region_id": "wuhai", "leader": "否", "source": "test"}
                    for e, n in (("L1", "甲化工"), ("L2", "乙氯碱"), ("L3", "丙化学"), ("L4", "丁新材"))]
                   + [{"enterprise_id": e, "name": n, "region_id": "beijing", "leader": "是",
                       "listed_code": c, "source": "test"}
                      for e, n, c in (("X1", "子集团", "600001.SH"), ("X2", "丑集团", "600002.SH"),
                                      ("X3", "寅集团", "600003.SH"), ("X4", "卯集团", ""))],
    "produces": [_made("L1", "bdo", "bdo:reppe"), _made("L2", "pvc", "pvc:carbide"), _made("L3", "thf"),
                 _made("L4", "copolymer"), _made("X1", "ma", cap="10"), _made("X1", "bdo"),
                 _made("X2", "ma", cap="5"), _made("X3", "ma"), _made("X3", "pvc")],
    "projects": [],
}


def _graph(tmp_path: Path, tables: dict | None = None) -> ChainGraph:
    tables, report = load(write_tables(tmp_path / "routed", tables or ROUTED))
    assert report.rejections == []
    return ChainGraph(tables)


@pytest.fixture
def routed(tmp_path: Path) -> ChainGraph:
    return _graph(tmp_path)


def _gap(gaps, chain, product):
    return next((g for g in gaps if g.chain_id == chain and g.product_id == product), None)


def test_two_routes_local_plant_runs_one(routed: ChainGraph) -> None:
    """L1 runs BDO's Reppe route: formaldehyde (a Reppe input) is needed (local_demand: BDO), maleic
    anhydride (an input only of the 顺酐法 route nobody runs here) is a gap without local_demand;
    ethylene (input of PVC's 乙烯法, L2 runs 电石法) likewise, carbide (电石法) is needed."""
    gaps = find_gaps(routed)
    codes = lambda c, p: [r["code"] for r in _gap(gaps, c, p).reasons]  # noqa: E731
    assert codes("c1", "formaldehyde") == ["no_local_producer", "local_demand", "no_producer_known"]
    assert _gap(gaps, "c1", "formaldehyde").reasons[1]["outputs"] == ["bdo"]
    assert codes("c1", "ma") == ["no_local_producer", "focus"]
    assert codes("c2", "ethylene") == ["no_local_producer", "no_producer_known"]
    assert codes("c2", "carbide")[:2] == ["no_local_producer", "local_demand"]
    assert "需要顺酐" not in "".join(g.reason_zh for g in gaps)


def test_captive_intermediate_and_byproduct_covered(routed: ChainGraph) -> None:
    """Acetylene is captive in L1's Reppe plant, vcm captive and slag a by-product of L2's 电石法
    plant: each is covered (status captive), naming plant and route; no local firm lists them."""
    cov = coverage(routed).set_index(["chain_id", "product_id"])
    assert cov.loc[("c1", "acetylene"), "status"] == "captive"
    assert cov.loc[("c1", "acetylene"), "captive_producers"] == [("L1", "bdo:reppe")]
    assert cov.loc[("c2", "vcm"), "captive_producers"] == [("L2", "pvc:carbide")]
    assert cov.loc[("c2", "slag"), "status"] == "captive"
    assert cov.loc[("c2", "slag"), "captive_producers"] == [("L2", "pvc:carbide")]
    gaps = find_gaps(routed)
    # acetylene: its only local user is the integrated plant itself; slag: nothing local uses it
    assert _gap(gaps, "c1", "acetylene") is None and _gap(gaps, "c2", "slag") is None
    # vcm: L4 makes the copolymer from it, and L2 does not sell it -> 延链, and the reason says so
    vcm = _gap(gaps, "c2", "vcm")
    assert (vcm.kind, vcm.status) == ("extend", "captive")
    assert [r["code"] for r in vcm.reasons] == ["captive_only", "local_demand"]
    assert vcm.reasons[0]["plants"] == [["L2", "pvc:carbide"]]
    assert vcm.reason_zh.startswith("乌海市仅由乙氯碱（电石法）自用生产或副产")


def test_completeness_counts_captive_as_covered(routed: ChainGraph) -> None:
    """c1: acetylene captive 1, formaldehyde 0, bdo weak (one firm) 1, ma (focus, weight 2) 0,
    thf weak 1, furfural 0 -> 3 / 7 = 0.4286. c2: carbide 0, ethylene 0, pvc weak 1, vcm captive 1,
    slag captive 1, copolymer weak 1, ma 0 -> 4 / 7 = 0.5714."""
    comp = completeness(routed)
    assert comp["c1"].score == 0.4286 and comp["c1"].captive == 1 and comp["c1"].covered == 3
    assert comp["c2"].score == 0.5714 and comp["c2"].captive == 2 and comp["c2"].covered == 4


def test_local_producer_with_unknown_route(routed: ChainGraph) -> None:
    """L3 makes THF, route unknown; THF has two routes, only 糠醛法 uses furfural: the furfural gap
    asserts no need (no local_demand) but says the route is unknown and lists both routes."""
    g = _gap(find_gaps(routed), "c1", "furfural")
    assert [r["code"] for r in g.reasons] == ["no_local_producer", "route_unknown", "no_producer_known"]
    r = g.reasons[1]
    assert (r["output"], r["firms"], r["routes"]) == ("thf", ["L3"], ["thf:bdo", "thf:furfural"])
    assert "丙化学" in g.reason_zh and "BDO脱水法、糠醛法" in g.reason_zh and g.kind == "missing"


def test_competitor_with_and_without_penalty(routed: ChainGraph) -> None:
    """Leaders for the maleic-anhydride gap (c1). X1: makes it 50 + makes BDO (downstream) 20 + listed
    10 + capacity 20 × 10/10 = 100, minus the penalty 20 since Wuhai makes BDO: 80. X2: 50 + 10 +
    20 × 5/10 = 70. X3: 50 + 10 = 60 (capacity unknown); it makes PVC, made in Wuhai but not
    downstream of 顺酐: marked, no penalty. With competitor_penalty = 0, X1 scores 100."""
    leaders = [t for t in find_targets(routed) if (t.chain_id, t.product_id, t.role) == ("c1", "ma", "leader")]
    assert [(t.enterprise_id, t.score, t.competes_with) for t in leaders] == [
        ("X1", 80.0, ["bdo"]), ("X2", 70.0, []), ("X3", 60.0, ["pvc"])]
    assert leaders[0].components["competitor_penalty"] == -20.0
    assert "competitor_penalty" not in leaders[2].components and "竞争者" in leaders[2].reason_zh
    s = load_settings()
    s["targets"] = {**s["targets"], "competitor_penalty": 0}
    x1 = next(t for t in find_targets(routed, settings=s) if t.product_id == "ma" and t.enterprise_id == "X1")
    assert (x1.score, x1.competes_with) == (100.0, ["bdo"])


def test_one_score_per_firm_and_product_two_priorities(routed: ChainGraph) -> None:
    """顺酐 is a focus product in c1, not in c2: the gaps differ in priority (15 and 0), every firm
    scores the same for it in both chains."""
    gaps = find_gaps(routed)
    assert (_gap(gaps, "c1", "ma").priority, _gap(gaps, "c2", "ma").priority) == (15.0, 0.0)
    by_chain = {}
    for t in find_targets(routed, gaps):
        if t.product_id == "ma":
            by_chain.setdefault(t.chain_id, {})[(t.enterprise_id, t.role)] = t.score
    assert by_chain["c1"] == by_chain["c2"] and by_chain["c1"][("X1", "leader")] == 80.0


def test_what_if_signed_project_hand_computed(tmp_path: Path) -> None:
    """A signed project (签约) of X4 for furfural in Wuhai: furfural is `project` (credit 0.5). The
    what-if puts X4's plant in operation: furfural becomes weak (one firm, credit 1). c1 changes by
    Σ(Δcredit × weight) / Σ weight = (1 - 0.5) × 1 / 7 = 0.0714 (0.5 -> 0.5714); c2 does not change."""
    tables = copy.deepcopy(ROUTED)
    tables["projects"] = [{"project_id": "P1", "name": "糠醛项目", "enterprise_id": "X4", "product_ids": "furfural",
                           "region_id": "wuhai", "status": "签约"}]
    cg = _graph(tmp_path, tables)
    w = what_if(cg, [Addition("X4", "furfural")])
    assert (w.completeness["c1"].before, w.completeness["c1"].after, w.completeness["c1"].delta) == (0.5, 0.5714, 0.0714)
    assert w.completeness["c2"].delta == 0.0


def test_unverified_producer_is_said(tmp_path: Path) -> None:
    """With E1's acetylene row 待核实 (tests/conftest.py), the BDO gap resting on it (local feedstock
    acetylene from E1) says so, naming E1; the carbide link (E1's carbide row still 已核实) does not."""
    from conftest import TINY

    tables = copy.deepcopy(TINY)
    tables["produces"][1]["verified"] = "待核实"
    cg = _graph(tmp_path, tables)
    gaps = find_gaps(cg)
    bdo = _gap(gaps, "c1", "bdo")
    assert {"code": "unverified", "firms": ["E1"], "firm_names": ["甲化工有限公司"]} in bdo.reasons
    assert "待核实（甲化工有限公司）" in bdo.reason_zh
    assert not any(r["code"] == "unverified" for r in _gap(gaps, "c1", "carbide").reasons)
    assert coverage(cg).set_index(["chain_id", "product_id"]).at[("c1", "acetylene"), "local_unverified"] == ["E1"]
