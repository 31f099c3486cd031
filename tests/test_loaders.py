"""Loaders on small hand-made tables: encodings, formats, every kind of bad row, reconciliation."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import TINY, write_tables
from loaders import load
from loaders.read import detect_encoding
from loaders.templates import XLSX_NAME, write_templates

TINY_COUNTS = {"regions": 4, "chains": 2, "products": 7, "chain_products": 9, "feeds": 6,
               "enterprises": 5, "produces": 8, "projects": 1}


def loaded_counts(report) -> dict[str, int]:
    return {name: c.loaded for name, c in report.counts.items()}


def test_good_tables_load_completely(tiny_dir: Path) -> None:
    tables, report = load(tiny_dir)
    assert loaded_counts(report) == TINY_COUNTS
    assert report.totals == {"read": 42, "loaded": 42, "rejected": 0}
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
    t["produces"].append({"enterprise_id": "E4", "product_id": "pbat", "capacity": "十万"})  # row 11: wrong number
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
        ("produces.csv", 11, "capacity"),
        ("feeds.csv", 8, "input_id→output_id"),
    }
    for r in report.rejections:
        assert r.reason_zh and r.reason_en and r.reason_zh != r.reason_en
    assert report.totals == {"read": 47, "loaded": 42, "rejected": 5}
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
    t["enterprises"][0]["leader"] = "maybe"  # E1 rejected: its produces and project refer to nothing
    _, report = load(write_tables(tmp_path / "cascade", t))
    assert {(r.file, r.row) for r in report.rejections} == {
        ("enterprises.csv", 2), ("produces.csv", 2), ("produces.csv", 3), ("projects.csv", 2)}


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
