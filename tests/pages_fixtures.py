"""Data for the page tests: the tiny tables plus firms and a product whose names are HTML/script,
and a hand-made analysis of them (what the gap queries say, worked out by hand).

    carbide -> acetylene -> bdo -> thf                 (chain c1, plus c2 as in conftest.TINY)
                              \\-> pbat -> xss (a product named with HTML, in c1)
    X1 <img ...> makes pbat locally; X2 <script>... is a leader elsewhere making bdo
"""
from __future__ import annotations

import copy

import pandas as pd

from conftest import TINY
from graph import ChainGraph
from queries.analysis import Analysis, region_facts
from queries.results import ChainScore, Gap, Target
from queries.settings import load_settings

XSS_FIRM = '<img src=x onerror="window.__xss=1">'
XSS_LEADER = "<script>window.__xss=2</script>丙二"
XSS_PRODUCT = '<b onmouseover="window.__xss=3">聚X</b>'


def xss_tables() -> dict[str, list[dict[str, str]]]:
    tables = copy.deepcopy(TINY)
    tables["products"].append({"product_id": "xss", "name_zh": XSS_PRODUCT, "aliases": "", "unit": "万吨/年"})
    tables["chain_products"].append({"chain_id": "c1", "product_id": "xss", "segment": "下游", "focus": "是"})
    tables["feeds"].append({"input_id": "pbat", "output_id": "xss", "kind": "原料"})
    tables["enterprises"] += [
        {"enterprise_id": "X1", "name": XSS_FIRM, "region_id": "wuhai_hainan", "leader": "否", "source": "test"},
        {"enterprise_id": "X2", "name": XSS_LEADER, "province": "北京市", "region_id": "beijing", "leader": "是",
         "source": "test"},
    ]
    tables["produces"] += [
        {"enterprise_id": "X1", "product_id": "pbat", "capacity": "2", "status": "在产"},
        {"enterprise_id": "X2", "product_id": "bdo", "capacity": "20", "status": "在产"},
    ]
    return tables


def _cov(chain: str, product: str, status: str, local=(), neighbour=(), projects=(), elsewhere=0) -> dict:
    return {"chain_id": chain, "product_id": product, "status": status, "local_producers": list(local),
            "neighbour_producers": list(neighbour), "projects": list(projects), "elsewhere_count": elsewhere}


def hand_analysis(graph: ChainGraph) -> Analysis:
    """Coverage, gaps, targets and completeness of `xss_tables()` as the queries are specified."""
    coverage = pd.DataFrame([
        _cov("c1", "carbide", "weak", local=["E1"]),
        _cov("c1", "acetylene", "weak", local=["E1"]),
        _cov("c1", "bdo", "neighbour", neighbour=["E2"], elsewhere=2),
        _cov("c1", "thf", "project", projects=["P1"], elsewhere=1),
        _cov("c1", "pbat", "weak", local=["X1"]),
        _cov("c1", "xss", "missing"),
        _cov("c2", "carbide", "weak", local=["E1"]),
        _cov("c2", "acetylene", "weak", local=["E1"]),
        _cov("c2", "pvc", "missing", elsewhere=2),
        _cov("c2", "pvc_catalyst", "missing", elsewhere=1),
    ])
    def gap(product: str, name: str, kind: str, segment: str, code: str, reason: str) -> Gap:
        return Gap("c1", "可降解材料", product, name, "", segment, True, kind, {"missing": "断链", "weak": "弱链"}[kind],
                   "missing", [{"code": code}], reason)

    def target(eid: str, name: str, role: str, province: str, score: float, reason: str) -> Target:
        return Target("c1", "可降解材料", "bdo", "1,4-丁二醇", "missing", "断链", True, role,
                      {"leader": "龙头", "supporting": "配套"}[role], 1, eid, name, "", province, "", "elsewhere", "", "",
                      score, {}, {}, reason)

    gaps = [
        gap("xss", XSS_PRODUCT, "missing", "下游", "no_local_producer", "乌海市无在产企业、无在建项目；为重点招商产品。"),
        gap("bdo", "1,4-丁二醇", "missing", "中游", "local_feedstock", "本地已有原料乙炔（甲化工有限公司），可就地转化。"),
        gap("pbat", "PBAT", "weak", "下游", "single_producer", f"乌海市仅{XSS_FIRM}一家生产。"),
    ]
    targets = [
        target("X2", XSS_LEADER, "leader", "北京市", 90, "生产1,4-丁二醇；产能全国前列。"),
        target("E3", "丙集团股份有限公司", "leader", "北京市", 80, "生产1,4-丁二醇；上市公司。"),
        target("E2", "乙化学有限公司", "supporting", "", 45, "已在周边地区生产。"),
    ]
    completeness = {"c1": ChainScore("c1", "可降解材料", 0.4, 6, 3, 0, 0, 0, 0, 0, 0),
                    "c2": ChainScore("c2", "煤化工", 0.6, 4, 2, 0, 0, 0, 0, 0, 0)}
    s = load_settings()
    return Analysis(graph=graph, settings=s, home_region="wuhai", home_name="乌海市", coverage=coverage, gaps=gaps,
                    completeness=completeness, targets=targets, regions=region_facts(graph, s))
