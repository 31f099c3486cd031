"""Loaders on small hand-made tables: encodings, formats, every kind of bad row, reconciliation."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import TINY, write_tables
from graph import ChainGraph
from loaders import load
from loaders.read import detect_encoding
from loaders.tables import TABLES
from loaders.templates import XLSX_NAME, write_templates
from queries.locality import enterprise_locality

TINY_COUNTS = {"regions": 4, "chains": 2, "products": 7, "routes": 1, "chain_products": 9, "feeds": 6,
               "enterprises": 5, "produces": 8, "projects": 1}


def loaded_counts(report) -> dict[str, int]:
    return {name: c.loaded for name, c in report.counts.items()}


def test_good_tables_load_completely(tiny_dir: Path) -> None:
    tables, report = load(tiny_dir)
    assert loaded_counts(report) == TINY_COUNTS
    assert report.totals == {"read": 43, "loaded": 43, "rejected": 0}
    firms = tables["enterprises"].set_index("enterprise_id")
    assert bool(firms.loc["E3", "leader"]) and not bool(firms.loc["E1", "leader"])
    assert firms.loc["E4", "srdi_level"] == "国家级专精特新小巨人"
    assert tables["produces"]["capacity"].isna().tolist() == [False, True, False, False, True, False, False, True]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_give_same_tables(tmp_path: Path, encoding: str) -> None:
    folder = write_tables(tmp_path / encoding, TINY, encoding=encoding)
    tables, report = load(folder)
    assert loaded_counts(report) == TINY_COUNTS
    assert tables["products"].set_index("product_id").loc["thf", "name_zh"] == "四氢呋喃"


def test_detect_encoding() -> None:
    text = "企业名称,产能\n甲化工,40\n"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + text.encode("utf-8")) == "utf-8-sig"
    assert detect_encoding(text.encode("gb18030")) == "gb18030"


def test_xlsx_and_json_sources(tmp_path: Path) -> None:
    book = tmp_path / "tiny.xlsx"
    with pd.ExcelWriter(book) as xw:
        for name, rows in TINY.items():
            pd.DataFrame(rows).to_excel(xw, sheet_name=name, index=False)
    assert loaded_counts(load(book)[1]) == TINY_COUNTS
    js = tmp_path / "tiny.json"
    js.write_text(json.dumps(TINY, ensure_ascii=False), encoding="utf-8")
    assert loaded_counts(load(js)[1]) == TINY_COUNTS


def test_chinese_headers_and_product_names_resolve(tmp_path: Path) -> None:
    tables = copy.deepcopy(TINY)
    tables["produces"] = [{"企业编号": "E4", "产品编号": "BDO", "产能": "3", "状态": "在产"},
                          {"企业编号": "E1", "产品编号": "碳化钙", "产能": "", "状态": "operating"}]
    loaded, report = load(write_tables(tmp_path / "zh", tables))
    assert report.totals["rejected"] == 0
    assert loaded["produces"]["product_id"].tolist() == ["bdo", "carbide"]
    assert loaded["produces"]["status"].tolist() == ["在产", "在产"]


def bad_tables() -> dict[str, list[dict[str, str]]]:
    """TINY plus five broken rows; row numbers below count the header as row 1."""
    t = copy.deepcopy(TINY)
    t["enterprises"].append({"enterprise_id": "", "name": "无编号有限公司"})             # row 7: missing id
    t["enterprises"].append({"enterprise_id": "E9", "name": "甲化工有限公司 "})           # row 8: duplicate firm
    t["produces"].append({"enterprise_id": "E3", "product_id": "xyz", "status": "在产"})  # row 10: unknown product
    # row 11: a route of another product. It was a capacity '十万', but issue 12 (part 3) has a bad
    # optional cell cleared, its row kept (tests/test_bad_cells.py); a reference still rejects the row.
    t["produces"].append({"enterprise_id": "E4", "product_id": "pbat", "route_id": "pvc:carbide"})
    t["feeds"].append({"input_id": "thf", "output_id": "carbide"})                       # row 8: closes a cycle
    return t


def test_bad_rows_are_rejected_with_reasons_and_reconciled(tmp_path: Path) -> None:
    tables, report = load(write_tables(tmp_path / "bad", bad_tables()))
    assert loaded_counts(report) == TINY_COUNTS
    got = {(r.file, r.row, r.column) for r in report.rejections}
    assert got == {
        ("enterprises.csv", 7, "enterprise_id"),
        ("enterprises.csv", 8, "name"),
        ("produces.csv", 10, "product_id"),
        ("produces.csv", 11, "route_id"),
        ("feeds.csv", 8, "input_id→output_id"),
    }
    for r in report.rejections:
        assert r.reason_zh and r.reason_en and r.reason_zh != r.reason_en
    assert report.totals == {"read": 48, "loaded": 43, "rejected": 5}
    for c in report.counts.values():
        assert c.read == c.loaded + c.rejected
    dup = next(r for r in report.rejections if r.column == "name")
    assert "第2行" in dup.reason_zh and "row 2" in dup.reason_en
    assert set(report.rejected_rows) == {"enterprises", "produces", "feeds"}
    assert report.rejected_rows["produces"]["行号 / row"].tolist() == [10, 11]


def test_cycle_rejects_only_the_closing_row(tmp_path: Path) -> None:
    t = copy.deepcopy(TINY)
    t["feeds"] = [{"input_id": "carbide", "output_id": "acetylene"},
                  {"input_id": "acetylene", "output_id": "carbide"},   # row 3 closes carbide<->acetylene
                  {"input_id": "bdo", "output_id": "bdo"}]            # row 4 is a self-loop
    tables, report = load(write_tables(tmp_path / "cyc", t))
    assert [r.row for r in report.rejections] == [3, 4]
    assert len(tables["feeds"]) == 1


def test_cascade_a_rejected_firm_rejects_its_rows(tmp_path: Path) -> None:
    t = copy.deepcopy(TINY)
    # E1 rejected: its produces and project refer to nothing. It was a leader 'maybe', which since
    # issue 12 (part 3) clears only that cell (see tests/test_bad_cells.py); an empty name rejects the row.
    t["enterprises"][0]["name"] = ""
    _, report = load(write_tables(tmp_path / "cascade", t))
    assert {(r.file, r.row) for r in report.rejections} == {
        ("enterprises.csv", 2), ("produces.csv", 2), ("produces.csv", 3), ("projects.csv", 2)}


def with_regions(*rows: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """TINY (regions at rows 2-5 of regions.csv) plus these regions from row 6 on."""
    t = copy.deepcopy(TINY)
    t["regions"] += [{"name_zh": r["region_id"], "kind": "park", **r} for r in rows]
    return t


def region_rejections(report) -> list[tuple[int, str]]:
    return [(r.row, r.column) for r in report.rejections if r.table == "regions"]


def test_region_with_unknown_parent_is_rejected_with_its_children(tmp_path: Path) -> None:
    t = with_regions({"region_id": "ghost_town", "kind": "town", "parent_id": "nowhere"},   # row 6: no such region
                     {"region_id": "ghost_park", "parent_id": "ghost_town"},                 # row 7: under row 6
                     {"region_id": "hainan_park", "parent_id": "WUHAI_HAINAN"})              # row 8: id in other case
    t["enterprises"].append({"enterprise_id": "E6", "name": "己化工有限公司", "region_id": "ghost_park"})  # row 7
    tables, report = load(write_tables(tmp_path / "orphan", t))
    assert region_rejections(report) == [(6, "parent_id"), (7, "parent_id")]
    unknown, cascade = [r for r in report.rejections if r.table == "regions"]
    assert (unknown.file, unknown.value) == ("regions.csv", "nowhere")
    assert "不存在" in unknown.reason_zh and "not found in table regions" in unknown.reason_en
    assert "第6行" in cascade.reason_zh and "row 6" in cascade.reason_en and "rejected" in cascade.reason_en
    assert [(r.file, r.row, r.column) for r in report.rejections if r.table == "enterprises"] == [
        ("enterprises.csv", 7, "region_id")]
    regions = report.counts["regions"]
    assert (regions.read, regions.loaded, regions.rejected) == (7, 5, 2)
    for c in report.counts.values():
        assert c.read == c.loaded + c.rejected
    assert tables["regions"]["region_id"].tolist() == ["wuhai", "wuhai_hainan", "alxa_wusitai", "beijing", "hainan_park"]
    assert tables["regions"]["parent_id"].tolist()[-1] == "wuhai_hainan"
    locality = enterprise_locality(ChainGraph(tables), "wuhai", 150)  # raised KeyError before the fix
    assert locality["E1"] == "local" and locality["E2"] == "neighbour"


@pytest.mark.parametrize("parent, reason", [
    ({"region_id": "new_city", "kind": "planet"}, (6, "kind")),                       # a bad cell
    ({"region_id": "new_city", "kind": "city", "parent_id": "atlantis"}, (6, "parent_id")),  # its parent unknown
])
def test_region_under_a_rejected_parent_is_rejected_down_the_chain(tmp_path: Path, parent, reason) -> None:
    t = with_regions(parent,
                     {"region_id": "new_district", "kind": "district", "parent_id": "new_city"},  # row 7
                     {"region_id": "new_park", "parent_id": "new_district"})                     # row 8
    tables, report = load(write_tables(tmp_path / "cascade", t))
    assert region_rejections(report) == [reason, (7, "parent_id"), (8, "parent_id")]
    reasons = [r.reason_en for r in report.rejections if r.table == "regions"]
    assert "'new_city' (row 6)" in reasons[1] and "'new_district' (row 7)" in reasons[2]
    assert (report.counts["regions"].read, report.counts["regions"].loaded, report.totals["rejected"]) == (7, 4, 3)
    assert tables["regions"]["region_id"].tolist() == ["wuhai", "wuhai_hainan", "alxa_wusitai", "beijing"]


def test_children_of_a_repeated_region_id_keep_the_first_row_as_parent(tmp_path: Path) -> None:
    t = with_regions({"region_id": "wuhai", "kind": "city"},                  # row 6 repeats row 2: rejected
                     {"region_id": "new_park", "parent_id": "wuhai"})         # row 7: wuhai (row 2) is kept
    tables, report = load(write_tables(tmp_path / "dup", t))
    assert region_rejections(report) == [(6, "region_id")]
    assert tables["regions"]["region_id"].tolist()[-1] == "new_park"


def test_regions_in_a_cycle_are_rejected_and_so_is_the_row_left_without_parent(tmp_path: Path) -> None:
    t = with_regions({"region_id": "a", "parent_id": "b"},   # row 6
                     {"region_id": "b", "parent_id": "a"})   # row 7 closes the cycle; then row 6's parent is gone
    tables, report = load(write_tables(tmp_path / "cycle", t))
    assert region_rejections(report) == [(6, "parent_id"), (7, "region_id→parent_id")]
    assert len(tables["regions"]) == 4


def test_every_reference_points_to_an_earlier_table_or_its_own() -> None:
    """Tables are validated in this order; a reference to a later table could never be checked."""
    order = [t.name for t in TABLES]
    for t in TABLES:
        for c in t.columns:
            if c.ref:
                assert order.index(c.ref) <= order.index(t.name), (t.name, c.id, c.ref)


def test_missing_required_column_rejects_every_row(tmp_path: Path) -> None:
    t = copy.deepcopy(TINY)
    t["chains"] = [{"chain_id": "c1"}, {"chain_id": "c2"}]
    _, report = load(write_tables(tmp_path / "nocol", t))
    chains = [r for r in report.rejections if r.table == "chains"]
    assert [(r.row, r.column) for r in chains] == [(2, "name_zh"), (3, "name_zh")]
    assert "缺少必填列" in chains[0].reason_zh


def test_templates_load_empty_and_clean(tmp_path: Path) -> None:
    written = write_templates(tmp_path / "tpl")
    assert (tmp_path / "tpl" / XLSX_NAME) in written
    for source in (tmp_path / "tpl", tmp_path / "tpl" / XLSX_NAME):
        _, report = load(source)
        assert report.totals == {"read": 0, "loaded": 0, "rejected": 0}
    header = (tmp_path / "tpl" / "enterprises.csv").read_text(encoding="utf-8-sig").splitlines()
    assert header[0].startswith("企业编号,企业名称")
    assert header[1].startswith("# 说明") and header[2].startswith("# 示例")


def test_filled_template_loads(tmp_path: Path) -> None:
    """A planner types rows under the template's comment and example rows: row numbers stay true."""
    write_templates(tmp_path / "tpl")
    path = tmp_path / "tpl" / "chains.csv"
    with path.open("a", encoding="utf-8-sig") as fh:
        fh.write("c9,测试链,,百亿级产业链,,\n,缺编号链,,,,\n")
    tables, report = load(tmp_path / "tpl")
    assert tables["chains"]["chain_id"].tolist() == ["c9"]
    assert [(r.row, r.column) for r in report.rejections] == [(5, "chain_id")]
