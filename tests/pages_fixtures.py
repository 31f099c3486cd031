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
from pages.analysis import Analysis

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


def hand_analysis() -> Analysis:
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
    gaps = [
        {"chain": "c1", "chain_name": "可降解材料", "product": "xss", "product_name": XSS_PRODUCT, "kind": "missing",
         "focus": True, "segment": "下游", "reasons": [{"code": "no_local_producer"}],
         "reason_zh": "乌海市无在产企业、无在建项目；为重点招商产品。"},
        {"chain": "c1", "chain_name": "可降解材料", "product": "bdo", "product_name": "1,4-丁二醇", "kind": "missing",
         "focus": True, "segment": "中游", "reasons": [{"code": "local_feedstock"}],
         "reason_zh": "本地已有原料乙炔（甲化工有限公司），可就地转化。"},
        {"chain": "c1", "chain_name": "可降解材料", "product": "pbat", "product_name": "PBAT", "kind": "weak",
         "focus": True, "segment": "下游", "reasons": [{"code": "single_producer"}],
         "reason_zh": f"乌海市仅{XSS_FIRM}一家生产。"},
    ]
    targets = [
        {"chain": "c1", "product": "bdo", "product_name": "1,4-丁二醇", "kind": "missing", "role": "leader",
         "enterprise_id": "X2", "name": XSS_LEADER, "province": "北京市", "city": "", "score": 90,
         "components": {}, "reason_zh": "生产1,4-丁二醇；产能全国前列。"},
        {"chain": "c1", "product": "bdo", "product_name": "1,4-丁二醇", "kind": "missing", "role": "leader",
         "enterprise_id": "E3", "name": "丙集团股份有限公司", "province": "北京市", "city": "", "score": 80,
         "components": {}, "reason_zh": "生产1,4-丁二醇；上市公司。"},
        {"chain": "c1", "product": "bdo", "product_name": "1,4-丁二醇", "kind": "missing", "role": "supporting",
         "enterprise_id": "E2", "name": "乙化学有限公司", "province": "", "city": "", "score": 45,
         "components": {}, "reason_zh": "已在周边地区生产。"},
    ]
    completeness = {"c1": {"score": 0.4, "covered": 3, "total": 6}, "c2": {"score": 0.6, "covered": 2, "total": 4}}
    return Analysis(coverage=coverage, gaps=gaps, targets=targets, completeness=completeness)
