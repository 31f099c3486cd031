"""The target-enterprise library: one row per firm, hand-worked on a tiny case and checked on the
built-in data against the per-gap list."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from queries.library import target_library
from reports.library import PRINT_SHEET, SHEET, write_library


def t(chain, product, role, firm, score, reason, **kw):
    names = {"c1": "可降解材料", "c2": "精细化工"}
    firms = {"E3": ("丙集团股份有限公司", "北京市", "elsewhere", "", "600000.SH"),
             "E4": ("丁新材料有限公司", "北京市", "elsewhere", "国家级专精特新小巨人", "")}
    name, province, locality, srdi, code = firms[firm]
    return {"chain_id": chain, "chain_name": names[chain], "product_id": product, "product_name": product.upper(),
            "kind": "missing", "kind_zh": "断链", "focus": False, "role": role,
            "role_zh": {"leader": "龙头", "supporting": "配套"}[role], "rank": 1, "enterprise_id": firm, "name": name,
            "short_name": "", "province": province, "city": "", "locality": locality, "srdi_level": srdi,
            "listed_code": code, "score": score, "components": {}, "makes": {}, "reason_zh": reason, **kw}


TINY_TARGETS = [
    t("c1", "bdo", "leader", "E3", 80.0, "龙头企业；生产BDO"),
    t("c2", "pvc", "leader", "E3", 70.0, "龙头企业；生产PVC；上市公司"),
    t("c1", "thf", "supporting", "E3", 25.0, "生产BDO（THF的原料）"),
    t("c1", "thf", "supporting", "E4", 40.0, "生产THF；国家级专精特新小巨人"),
    t("c1", "acetylene", "supporting", "E4", 30.0, "生产辅料"),
    t("c2", "acetylene", "leader", "E4", 55.0, "生产辅料；重点产品"),
]


def test_tiny_library_by_hand():
    rows = target_library([], TINY_TARGETS)
    # E3: best 80 (bdo); E4: best 55 (acetylene) -> E3 first without priorities.
    assert [r["enterprise_id"] for r in rows] == ["E3", "E4"]
    e3, e4 = rows
    assert e3["best_score"] == 80.0 and e3["link_count"] == 3
    assert [l["product_id"] for l in e3["links"]] == ["bdo", "pvc", "thf"]  # by score 80, 70, 25
    assert e3["chain_names"] == ["可降解材料", "精细化工"]
    assert e3["tags"] == ["龙头候选", "配套候选", "上市 600000.SH"]
    # acetylene: supporting in c1 (30), leader in c2 (55): one link, both chains, both roles, best 55.
    [acetylene] = [l for l in e4["links"] if l["product_id"] == "acetylene"]
    assert acetylene["chain_ids"] == ["c1", "c2"] and acetylene["roles"] == ["leader", "supporting"]
    assert acetylene["role_zh"] == "龙头、配套" and acetylene["score"] == 55.0
    assert acetylene["reason_zh"] == "生产辅料；重点产品"  # '生产辅料' once
    assert e4["reason_zh"] == "生产辅料；重点产品；生产THF；国家级专精特新小巨人"
    # The planner's priority comes first: E4 set to 本季度 moves ahead of E3.
    assert [r["enterprise_id"] for r in target_library([], TINY_TARGETS, {"E4": "本季度"})] == ["E4", "E3"]


@pytest.fixture(scope="module")
def builtin():
    from graph import ChainGraph
    from loaders import load
    from queries.analysis import analyse

    tables, _ = load()
    return analyse(ChainGraph(tables)).to_json()


def test_builtin_every_firm_once_and_links_add_up(builtin):
    targets = builtin["targets"]
    rows = target_library(builtin["gaps"], targets)
    ids = [r["enterprise_id"] for r in rows]
    assert len(ids) == len(set(ids)) == len({x["enterprise_id"] for x in targets})
    pairs = {(x["enterprise_id"], x["product_id"]) for x in targets}
    assert sum(r["link_count"] for r in rows) == len(pairs)
    assert {(r["enterprise_id"], l["product_id"]) for r in rows for l in r["links"]} == pairs
    assert len(rows) < len(targets)  # the per-gap list repeats firms; the library does not
    best = {}
    for x in targets:
        best[x["enterprise_id"]] = max(best.get(x["enterprise_id"], 0), x["score"])
    assert all(r["best_score"] == best[r["enterprise_id"]] for r in rows)


def test_writers(builtin, tmp_path):
    rows = target_library(builtin["gaps"], builtin["targets"])
    xlsx = write_library(rows, tmp_path / "库.xlsx", bureau="乌海市投资促进局", data_date="2023-09-10")
    wb = load_workbook(xlsx)
    assert wb.sheetnames == [SHEET, PRINT_SHEET, "说明"]
    assert wb[SHEET].max_row == len(rows) + 1 and wb[PRINT_SHEET].max_column == 7
    assert isinstance(wb[SHEET]["H2"].value, (int, float))  # best score stored as a number
    csv = write_library(rows, tmp_path / "库.csv")
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf") and len(csv.read_text(encoding="utf-8-sig").splitlines()) > len(rows)
    data = json.loads(write_library(rows, tmp_path / "库.json").read_text(encoding="utf-8"))
    assert len(data) == len(rows) and data[0]["links"]
    with pytest.raises(ValueError, match="不支持"):
        write_library(rows, tmp_path / "库.txt")


def test_long_library_is_split_across_print_sheets(tmp_path):
    rows = target_library([], TINY_TARGETS)
    wb = load_workbook(write_library(rows, tmp_path / "库.xlsx", rows_per_sheet=1))
    assert wb.sheetnames == [SHEET, PRINT_SHEET, PRINT_SHEET + "(2)", "说明"]
    assert "共 2 张表" in wb[PRINT_SHEET].oddHeader.center.text
