"""Coverage, gaps, completeness, targets and what-if on the tiny graph, every value worked by hand.

See tests/conftest.py for the graph. Default settings: single producer = weak, min capacity
10 万吨/年, focus weight 2, project and neighbour credit 0.5, weights as in queries/settings.toml.
"""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from graph import ChainGraph, DuplicateIdError
from queries.analysis import analyse
from queries.scoring import LEADER_PARTS, SUPPORT_PARTS
from queries.coverage import coverage
from queries.gaps import completeness, find_gaps
from queries.settings import load_settings
from queries.targets import find_targets
from queries.errors import UnknownName
from queries.whatif import Addition, project_additions, what_if


def test_coverage_statuses(tiny_graph: ChainGraph) -> None:
    cov = coverage(tiny_graph).set_index(["chain_id", "product_id"])
    status = cov["status"].to_dict()
    assert status == {
        ("c1", "carbide"): "weak", ("c1", "acetylene"): "weak", ("c1", "bdo"): "neighbour",
        ("c1", "thf"): "project", ("c1", "pbat"): "missing",
        ("c2", "carbide"): "weak", ("c2", "acetylene"): "weak", ("c2", "pvc"): "missing",
        ("c2", "pvc_catalyst"): "missing",
    }
    assert cov.loc[("c1", "carbide"), "local_producers"] == ["E1"]
    assert cov.loc[("c1", "carbide"), "local_capacity"] == 40
    assert math.isnan(cov.loc[("c1", "acetylene"), "local_capacity"])
    assert cov.loc[("c1", "bdo"), "neighbour_producers"] == ["E2"]
    assert cov.loc[("c1", "bdo"), "elsewhere_count"] == 1
    assert cov.loc[("c1", "thf"), "projects"] == ["P1"]
    assert cov.loc[("c2", "pvc"), "elsewhere_count"] == 2


def test_radius_and_threshold_come_from_settings(tiny_graph: ChainGraph) -> None:
    """At 40 km Wusitai (~47 km) is no longer a neighbour; two producers are not weak unless thin."""
    s = load_settings(neighbour_radius_km=40)
    cov = coverage(tiny_graph, s).set_index(["chain_id", "product_id"])
    assert cov.loc[("c1", "bdo"), "status"] == "missing"
    s = load_settings()
    s["weak"] = {"single_producer": False, "min_capacity": {"万吨/年": 50}}
    cov = coverage(tiny_graph, s).set_index(["chain_id", "product_id"])
    assert cov.loc[("c1", "carbide"), "status"] == "weak"      # 40 < 50 known
    assert cov.loc[("c1", "acetylene"), "status"] == "local"   # capacity unknown: not called thin


def test_gaps_kinds_order_and_reasons(tiny_graph: ChainGraph) -> None:
    gaps = find_gaps(tiny_graph)
    assert [(g.chain_id, g.product_id, g.kind) for g in gaps] == [
        ("c1", "bdo", "missing"), ("c1", "pbat", "missing"),
        ("c1", "acetylene", "weak"), ("c1", "carbide", "weak"),
        ("c2", "pvc_catalyst", "missing"), ("c2", "acetylene", "weak"), ("c2", "carbide", "weak"),
        ("c2", "pvc", "extend"),
    ]
    by = {(g.chain_id, g.product_id): g for g in gaps}
    bdo = by["c1", "bdo"]
    assert [r["code"] for r in bdo.reasons] == [
        "no_local_producer", "local_feedstock", "local_demand", "neighbour_supply", "focus"]
    assert bdo.reasons[1]["inputs"] == ["acetylene"] and bdo.reasons[1]["firms"] == [["E1"]]
    assert bdo.reasons[2]["outputs"] == ["thf"]
    assert bdo.reason_zh == ("乌海市无在产企业、无在建项目；本地已有原料乙炔（甲化工有限公司），可就地转化；"
                                "本地四氢呋喃需要1,4-丁二醇作原料；周边乙化学有限公司有生产；为重点招商产品。")
    assert [r["code"] for r in by["c1", "pbat"].reasons] == ["no_local_producer", "no_producer_known", "focus"]
    assert [r["code"] for r in by["c2", "pvc"].reasons] == ["no_local_producer", "local_feedstock"]
    assert [r["code"] for r in by["c2", "acetylene"].reasons] == ["single_producer", "focus"]
    assert [r["code"] for r in by["c1", "acetylene"].reasons] == ["single_producer"]
    assert [g.product_id for g in find_gaps(tiny_graph, chain="c2")] == ["pvc_catalyst", "acetylene", "carbide", "pvc"]


def test_completeness_worked_example(tiny_graph: ChainGraph) -> None:
    comp = completeness(tiny_graph)
    # c1: (1 + 1 + 2*0.5 + 0.5 + 0) / (1 + 1 + 2 + 1 + 2) = 3.5 / 7
    assert comp["c1"].score == 0.5
    # c2: carbide 1, acetylene (focus) 2, pvc 0, pvc_catalyst 0 -> 3 / 5
    assert comp["c2"].score == 0.6
    assert comp["c1"].to_json() | {"score": 0} == {"chain_id": "c1", "chain_name": "可降解材料", "score": 0,
                                         "links": 5, "covered": 2, "weak": 2,
                                         "project": 1, "neighbour": 1, "missing": 1, "focus_links": 2,
                                         "focus_covered": 0, "captive": 0}


def _targets(tiny_graph: ChainGraph) -> dict[tuple[str, str, str], list[tuple[str, float]]]:
    out: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
    for t in find_targets(tiny_graph):
        out.setdefault((t.chain_id, t.product_id, t.role), []).append((t.enterprise_id, t.score))
    return out


def test_targets_ranked_by_hand(tiny_graph: ChainGraph) -> None:
    got = _targets(tiny_graph)
    assert got == {
        # E3 makes BDO: 50 + listed 10 + capacity 20*10/10 + one local input 5 (focus is the gap's
        # priority now, not part of the firm's score)
        ("c1", "bdo", "leader"): [("E3", 85.0)],
        # E2 neighbour makes BDO: 25 + 20; E4 national SRDI makes THF (downstream): 15 + 15
        ("c1", "bdo", "supporting"): [("E2", 45.0), ("E4", 30.0)],
        # E2 makes BDO, the input of PBAT: 30 + neighbour 20; E3 (a leader) makes an input: not listed
        ("c1", "pbat", "supporting"): [("E2", 50.0)],
        # acetylene's downstream: E3 (BDO, PVC) and E5 (PVC): 20 + listed 10, a tie broken by name 丙 < 戊
        ("c1", "acetylene", "leader"): [("E3", 30.0), ("E5", 30.0)],
        ("c1", "acetylene", "supporting"): [("E2", 35.0)],
        ("c2", "pvc_catalyst", "leader"): [("E3", 30.0), ("E5", 30.0)],
        ("c2", "pvc_catalyst", "supporting"): [("E4", 40.0)],
        # the same product in chain c2 is a focus product there: the same scores as in c1 (issue 11)
        ("c2", "acetylene", "leader"): [("E3", 30.0), ("E5", 30.0)],
        ("c2", "acetylene", "supporting"): [("E2", 35.0)],
        # PVC: 50 + 10 + 20*30/30 + local acetylene 5, tie again; E4 makes its auxiliary: 20 + 15
        ("c2", "pvc", "leader"): [("E3", 85.0), ("E5", 85.0)],
        ("c2", "pvc", "supporting"): [("E4", 35.0)],
    }


def test_target_components_and_reason(tiny_graph: ChainGraph) -> None:
    t = next(t for t in find_targets(tiny_graph) if t.product_id == "bdo" and t.role == "leader")
    assert t.components == {"makes_gap_product": 50.0, "listed": 10.0, "capacity_top": 20.0,
                               "local_feedstock": 5.0}
    assert sum(t.components.values()) == t.score and t.rank == 1 and t.role_zh == "龙头"
    assert t.reason_zh == ("龙头企业；生产1,4-丁二醇；上市公司（600000.SH）；本地可供原料乙炔（甲化工有限公司）；"
                              "补齐重点产品1,4-丁二醇")


def test_weights_file_changes_ranking(tiny_graph: ChainGraph, tmp_path) -> None:
    cfg = tmp_path / "mine.toml"
    cfg.write_text("[support_score]\nneighbour = 0\nmakes_downstream = 40\n", encoding="utf-8")
    got = _targets_with(tiny_graph, load_settings(cfg))
    # E2 now 25 + 0 = 25, E4 40 + 15 = 55: the order flips
    assert got[("c1", "bdo", "supporting")] == [("E4", 55.0), ("E2", 25.0)]


def _targets_with(cg: ChainGraph, s) -> dict:
    out: dict = {}
    for t in find_targets(cg, settings=s):
        out.setdefault((t.chain_id, t.product_id, t.role), []).append((t.enterprise_id, t.score))
    return out


def test_what_if_local_bdo_plant(tiny_graph: ChainGraph) -> None:
    result = what_if(tiny_graph, [Addition("乙化学有限公司", "BDO", 5)])
    # BDO becomes a single-producer link (断链 -> 弱链); PBAT now has local feedstock and nothing
    # local downstream (断链 -> 延链); nothing closes outright, nothing new opens.
    assert [(c.gap.chain_id, c.gap.product_id, c.kind_before, c.kind_after) for c in result.changed] == [
        ("c1", "bdo", "missing", "weak"), ("c1", "pbat", "missing", "extend")]
    assert result.closed == [] and result.opened == []
    # c1: BDO credit 0.5 -> 1 with weight 2: (1 + 1 + 2 + 0.5 + 0) / 7
    assert result.completeness["c1"].after == round(4.5 / 7, 4)
    assert result.completeness["c2"].delta == 0


def test_what_if_project_in_operation(tiny_graph: ChainGraph) -> None:
    """P1 (THF, under way) in operation: THF credit 0.5 -> 1 in c1, and it shows as a new 弱链
    because E1 would be its single local producer."""
    additions = project_additions(tiny_graph, "P1")
    assert additions == [Addition("E1", "thf")]
    result = what_if(tiny_graph, additions)
    assert result.completeness["c1"].after == round(4.0 / 7, 4)
    assert result.completeness["c1"].delta == round(4.0 / 7 - 0.5, 4)
    assert [(g.product_id, g.kind) for g in result.opened] == [("thf", "weak")]
    assert result.closed == [] and result.changed == []


def test_what_if_unknown_firm_is_a_clear_error(tiny_graph: ChainGraph) -> None:
    with pytest.raises(UnknownName, match="未知企业“不存在的公司”") as e:
        what_if(tiny_graph, [Addition("不存在的公司", "bdo")])
    assert e.value.code == "unknown-firm"


def test_one_chain_analysis_is_the_full_one_filtered(tiny_graph: ChainGraph) -> None:
    full, c2 = analyse(tiny_graph), analyse(tiny_graph, chain="c2")
    assert c2.gaps == [g for g in full.gaps if g.chain_id == "c2"]
    assert c2.targets == [t for t in full.targets if t.chain_id == "c2"]
    assert list(c2.completeness) == ["c2"] and c2.completeness["c2"].score == 0.6
    assert (full.home_region, full.home_name) == ("wuhai", "乌海市")
    assert analyse(tiny_graph, region="wuhai_hainan").home_region == "wuhai_hainan"


def test_results_are_plain_json(tiny_graph: ChainGraph) -> None:
    a = analyse(tiny_graph)
    data = json.loads(json.dumps(a.to_json(), ensure_ascii=False))
    assert data["completeness"]["c1"]["chain_name"] == "可降解材料"
    assert {"chain_id", "product_id", "enterprise_id", "role", "score"} <= set(data["targets"][0])
    assert "chain" not in data["gaps"][0] and "product" not in data["gaps"][0]


def test_a_graph_with_a_repeated_id_is_refused(tiny_graph: ChainGraph) -> None:
    tables = dict(tiny_graph.tables)
    tables["products"] = pd.concat([tables["products"], tables["products"].iloc[[0]]], ignore_index=True)
    with pytest.raises(DuplicateIdError, match="products"):
        ChainGraph(tables)


def test_every_score_part_has_its_cypher_twin() -> None:
    """A part added to the Python score without a Cypher expression fails loudly, never silently."""
    from queries.cypher.candidates import PART_CYPHER, score_expression

    assert set(LEADER_PARTS) | set(SUPPORT_PARTS) <= set(PART_CYPHER)
    assert score_expression(("listed",), "lw") == "$lw.listed * (CASE WHEN f.listed_code IS NULL THEN 0.0 ELSE 1.0 END)"
    with pytest.raises(NotImplementedError, match="new_part"):
        score_expression(("listed", "new_part"), "lw")
