"""Bad cells and headers (issue 12, parts 2 and 3): nothing dropped without a word.

Each class of problem has at least two variants and is checked through `loaders.load` and through
the CLI (`chainkg stats`): the exit code, no traceback, the problem's code and both languages of
its message, `read = loaded + rejected`, and the values of the rows that survive, worked out by
hand from the tiny dataset of conftest.py (row numbers count the header as row 1: TINY's produces
rows 2-9 are E1 carbide, E1 acetylene, E2 bdo, E3 bdo, E4 thf, E3 pvc, E5 pvc, E4 pvc_catalyst;
carbide's unit is 万吨/年 and pvc_catalyst's 吨/年).
"""
from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.main import main
from conftest import TINY, write_tables
from loaders import load
from loaders.report import CLEARED_SHEET, REJECTED_FILE, summary_lines

TINY_READ = 43


def tiny() -> dict[str, list[dict[str, str]]]:
    return copy.deepcopy(TINY)


def reconciled(report) -> None:
    for c in report.counts.values():
        assert c.read == c.loaded + c.rejected, c
    t = report.totals
    assert t["read"] == t["loaded"] + t["rejected"]


def run_stats(folder: Path, capsys, monkeypatch, tmp_path: Path, *extra: str) -> tuple[int, dict | None, str]:
    """`chainkg stats --json --data folder`: exit code, the JSON printed, stderr."""
    monkeypatch.chdir(tmp_path)  # the rejected-rows workbook is written here
    try:
        main(["stats", "--json", "--data", str(folder), *extra])
        code = 0
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, (json.loads(out.out) if out.out.strip() else None), out.err


def assert_cli(folder: Path, capsys, monkeypatch, tmp_path: Path, read: int, rejected: int,
               texts: list[str]) -> str:
    code, stats, err = run_stats(folder, capsys, monkeypatch, tmp_path)
    assert code == 0
    assert stats["rows"] == {"read": read, "loaded": read - rejected, "rejected": rejected}
    for text in texts:
        assert text in err, text
    return err


def cleared(report, column: str) -> list:
    return [c for c in report.cleared if c.column == column]


# ---------------------------------------------------------------------------------------- headers

@pytest.mark.parametrize("table, wrong, right, label, others", [
    ("enterprises", "企业名", "name", "企业名称", {"produces": 8, "projects": 1}),   # rows of E1..E5 follow
    ("chains", "产业链名", "name_zh", "产业链名称", {"chain_products": 9}),
])
def test_misspelt_required_header_rejects_the_table_naming_the_nearest(tmp_path, capsys, monkeypatch, table, wrong,
                                                                      right, label, others) -> None:
    t = tiny()
    for row in t[table]:
        row[wrong] = row.pop(right)
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    n = len(TINY[table])
    assert report.counts[table].rejected == n and tables[table].empty
    own = [r for r in report.rejections if r.table == table]
    assert [r.row for r in own] == list(range(2, n + 2))
    assert {r.code for r in own} == {"header-misspelt"}
    assert f"缺少必填列“{label}”" in own[0].reason_zh and f"“{wrong}”是否指“{label}”" in own[0].reason_zh
    assert f"required column '{right}' is missing" in own[0].reason_en and f"'{wrong}' meant to be '{label}'" in own[0].reason_en
    notice = next(w for w in report.warnings if w.code == "header-misspelt")
    assert notice.column == wrong and label in notice.zh and label in notice.en
    for other, count in others.items():  # their rows name rows that were not loaded
        assert report.counts[other].rejected == count
    reconciled(report)
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ, n + sum(others.values()),
               ["header-misspelt", f"是否指“{label}”", f"meant to be '{label}'"])


@pytest.mark.parametrize("table, wrong, right, label, column_values", [
    ("enterprises", "龙头", "leader", "龙头企业", [False] * 5),          # E3 and E5 were leaders
    ("produces", "capacty", "capacity", "产能", [math.nan] * 8),
])
def test_unknown_optional_header_close_to_a_column_is_a_warning_with_the_suggestion(
        tmp_path, capsys, monkeypatch, table, wrong, right, label, column_values) -> None:
    t = tiny()
    for row in t[table]:
        row[wrong] = row.pop(right, "")
        row["联系电话"] = "0473-1234567"  # matches nothing at all
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    assert report.totals == {"read": TINY_READ, "loaded": TINY_READ, "rejected": 0}
    got = {w.column: w for w in report.warnings if w.code == "header-unknown"}
    assert set(got) == {wrong, "联系电话"}
    assert got[wrong].zh == f"列“{wrong}”未识别，是否指“{label}”？该列未载入"
    assert f"did you mean '{label}' ({right})" in got[wrong].en
    assert got["联系电话"].zh == "列“联系电话”未识别，该列未载入" and "not recognised" in got["联系电话"].en
    values = tables[table][right].tolist()
    assert [v if v == v else "nan" for v in values] == [v if v == v else "nan" for v in column_values]
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ, 0,
               [f"列“{wrong}”未识别，是否指“{label}”？", f"did you mean '{label}'", "[header-unknown]"])


@pytest.mark.parametrize("table, first, second", [
    ("enterprises", "name", "企业名称"),
    ("chains", "chain_id", "产业链编号（chain_id）"),
])
def test_a_column_named_twice_refuses_the_source(tmp_path, capsys, monkeypatch, table, first, second) -> None:
    """Which of two columns holds the data cannot be told: the reader refuses the source, naming
    both columns (loaders/header_row.py), rather than loading either."""
    from queries.errors import SourceError

    t = tiny()
    for row in t[table]:
        row[second] = row[first]
    folder = write_tables(tmp_path / "d", t)
    with pytest.raises(SourceError) as err:
        load(folder)
    assert err.value.code == "repeated-header" and first in err.value.en and second in err.value.zh
    code, _, text = run_stats(folder, capsys, monkeypatch, tmp_path)
    assert code == 2 and "Traceback" not in text
    assert "错误 [repeated-header]" in text and "error [repeated-header]" in text


# ------------------------------------------------------------------------ optional cells are cleared

@pytest.mark.parametrize("table, index, column, value, code, zh, en, expected", [
    ("produces", 0, "capacity", "十万", "not-number", "“十万”不是有效数字", "'十万' is not a number", math.nan),
    ("produces", 0, "status", "停产", "not-allowed", "“停产”不是允许的取值", "'停产' is not one of the allowed values", ""),
    ("enterprises", 2, "leader", "maybe", "not-allowed", "“maybe”不是允许的取值", "'maybe' is not one of", False),
    ("regions", 0, "lat", "北纬39度", "not-number", "“北纬39度”不是有效数字", "'北纬39度' is not a number", math.nan),
    ("projects", 0, "date", "2023-13", "not-date", "“2023-13”不是有效日期", "'2023-13' is not a date", ""),
    ("enterprises", 0, "credit_code", "91110000100000000X", "bad-credit-code", "不是有效的统一社会信用代码",
     "is not a valid unified social credit code", ""),
    ("produces", 1, "verified_on", "2024-02-30", "not-date", "“2024-02-30”不是有效日期", "is not a date", ""),
])
def test_a_bad_optional_cell_is_cleared_and_its_row_loads(tmp_path, capsys, monkeypatch, table, index, column, value,
                                                         code, zh, en, expected) -> None:
    t = tiny()
    t[table][index][column] = value
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    assert report.totals == {"read": TINY_READ, "loaded": TINY_READ, "rejected": 0}
    [c] = report.cleared
    assert (c.table, c.file, c.row, c.column, c.value, c.code) == (table, f"{table}.csv", index + 2, column, value, code)
    assert zh in c.reason_zh and en in c.reason_en
    assert "该单元格已清空" in c.line() and "cell cleared" in c.line()
    got = tables[table][column].iloc[index]
    assert (math.isnan(got) and math.isnan(expected)) if isinstance(expected, float) else got == expected
    keys = [k for k in ("enterprise_id", "product_id", "region_id", "project_id", "name", "name_zh") if k in TINY[table][0]]
    assert tables[table][keys].to_dict("records") == [{k: r.get(k, "") for k in keys} for r in TINY[table]]
    lines = summary_lines(report)
    assert any(line.startswith(f"已清空 / cleared [{code}]: ") and zh in line for line in lines)
    assert any("[cells-cleared]" in line for line in lines)
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ, 0,
               [zh, en, "该单元格已清空", "cell cleared", f"[{code}]", "[cells-cleared]"])
    book = load_workbook(tmp_path / REJECTED_FILE)
    sheet = book[CLEARED_SHEET]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]]))
    assert (first["行号 / row"], first["列 / column"], first["原值 / value"], first["代码 / code"]) == \
           (index + 2, column, value, code)


def test_cleared_cells_of_a_rejected_row_are_among_its_reasons(tmp_path) -> None:
    t = tiny()
    t["produces"].append({"enterprise_id": "E3", "product_id": "xyz", "capacity": "十万"})  # row 10
    tables, report = load(write_tables(tmp_path / "d", t))
    assert report.cleared == []
    assert {(r.row, r.column, r.code) for r in report.rejections} == {
        (10, "product_id", "unknown-reference"), (10, "capacity", "not-number")}
    assert report.totals == {"read": 44, "loaded": 43, "rejected": 1}
    reason = report.rejected_rows["produces"]["错误原因 / reason"].iloc[0]
    assert "xyz" in reason and "十万" in reason


@pytest.mark.parametrize("table, index, column, value, code", [
    ("regions", 0, "kind", "planet", "not-allowed"),             # required choice
    ("chain_products", 0, "segment", "侧游", "not-allowed"),
    ("chains", 1, "name_zh", "", "required-empty"),
])
def test_a_bad_required_cell_still_rejects_its_row(tmp_path, table, index, column, value, code) -> None:
    t = tiny()
    t[table][index][column] = value
    _, report = load(write_tables(tmp_path / "d", t))
    first = next(r for r in report.rejections if r.table == table)
    assert (first.row, first.column, first.code) == (index + 2, column, code)
    assert report.cleared == []
    reconciled(report)


@pytest.mark.parametrize("table, index, column, value", [
    ("enterprises", 0, "region_id", "nowhere"),     # E1 would silently turn from local to elsewhere
    ("produces", 5, "route_id", "pvc:nope"),        # a route that does not exist
    ("projects", 0, "product_ids", "thf|unobtainium"),
])
def test_an_unknown_optional_reference_rejects_the_row_not_the_cell(tmp_path, capsys, monkeypatch, table, index,
                                                                    column, value) -> None:
    t = tiny()
    t[table][index][column] = value
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    first = next(r for r in report.rejections if r.table == table)
    assert (first.row, first.column, first.code) == (index + 2, column, "unknown-reference")
    assert "不存在" in first.reason_zh and "not found in table" in first.reason_en
    assert report.cleared == []
    reconciled(report)
    cascade = {"enterprises": 3, "produces": 0, "projects": 0}[table]  # E1's two produces rows and P1 follow it
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ, 1 + cascade,
               ["[unknown-reference]", value.split("|")[-1], "不存在", "not found in table"])


# ------------------------------------------------------------------------------ numbers as typed

@pytest.mark.parametrize("index, cell, unit, expected, row_unit", [
    (0, "１２", "", 12.0, ""),                    # full-width digits, carbide in 万吨/年
    (7, "1,234", "", 1234.0, ""),                 # pvc_catalyst in 吨/年
    (7, "1，234", "", 1234.0, ""),                # full-width comma
    (7, "1 234", "", 1234.0, ""),
    (0, "１．５", "", 1.5, ""),                    # full-width decimal point
    (0, "20万吨", "吨/年", 200000.0, "吨/年"),      # the row's own unit wins
    (0, "30，000吨/年", "", 3.0, ""),              # to the product's 万吨/年
    (0, "20万吨", "", 20.0, ""),
    (7, "２０万吨", "", 200000.0, ""),             # pvc_catalyst: 吨/年
    (7, "0.5万吨/年", "", 5000.0, ""),
    (7, "3万", "", 30000.0, ""),                   # a bare 万: that many 吨
])
def test_capacity_typed_with_separators_and_units(tmp_path, index, cell, unit, expected, row_unit) -> None:
    t = tiny()
    t["produces"][index].update(capacity=cell, unit=unit)
    tables, report = load(write_tables(tmp_path / "d", t))
    assert report.rejections == [] and report.cleared == []
    row = tables["produces"].iloc[index]
    assert row["capacity"] == pytest.approx(expected) and row["unit"] == row_unit
    assert tables["produces"]["capacity"].iloc[2] == 5.0  # the others untouched


def test_capacity_with_a_unit_and_no_unit_anywhere_takes_that_unit(tmp_path) -> None:
    t = tiny()
    t["products"][1]["unit"] = ""                                      # acetylene: no unit
    t["produces"][1].update(capacity="2000吨/年")
    tables, _ = load(write_tables(tmp_path / "d", t))
    assert (tables["produces"]["capacity"].iloc[1], tables["produces"]["unit"].iloc[1]) == (2000.0, "吨/年")


@pytest.mark.parametrize("cell, expected", [("3000万元", 0.3), ("5亿元", 5.0), ("5亿", 5.0), ("50000万", 5.0),
                                            ("１２．５亿元", 12.5), ("1,200,000,000元", 12.0)])
def test_amount_is_kept_in_yi_yuan(tmp_path, cell, expected) -> None:
    t = tiny()
    t["projects"][0]["amount"] = cell
    tables, report = load(write_tables(tmp_path / "d", t))
    assert report.cleared == [] and tables["projects"]["amount"].iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize("table, index, column, cell, unit, code, zh, en", [
    ("produces", 0, "capacity", "5台", "", "unit-mismatch", "“5台”中的单位不能换算为“万吨/年”",
     "the unit in '5台' does not convert to '万吨/年'"),
    ("produces", 0, "capacity", "3万吨/日", "", "unit-mismatch", "“3万吨/日”中的单位不能换算为“万吨/年”",
     "does not convert to '万吨/年'"),
    ("produces", 7, "capacity", "50%", "", "unit-unknown", "“50%”中的单位不在单位表中（本列应为“吨/年”",
     "expected '吨/年'"),
    ("produces", 0, "capacity", "20万吨", "台/年", "unit-mismatch", "不能换算为“台/年”", "does not convert to '台/年'"),
    ("projects", 0, "amount", "5美元", "", "unit-unknown", "（本列应为“亿元”", "expected '亿元'"),
    ("produces", 0, "capacity", "约20万吨", "", "not-number", "“约20万吨”不是有效数字", "is not a number"),
    ("produces", 0, "capacity", "1,23", "", "not-number", "“1,23”不是有效数字", "is not a number"),
])
def test_a_unit_that_is_not_in_the_table_or_does_not_convert_clears_the_cell(
        tmp_path, capsys, monkeypatch, table, index, column, cell, unit, code, zh, en) -> None:
    t = tiny()
    t[table][index][column] = cell
    if unit:
        t[table][index]["unit"] = unit
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    [c] = report.cleared
    assert (c.row, c.column, c.code, c.value) == (index + 2, column, code, cell)
    assert zh in c.reason_zh and en in c.reason_en
    assert math.isnan(tables[table][column].iloc[index])
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ, 0, [zh, en])


@pytest.mark.parametrize("table, index, column, cell, code", [
    ("produces", 0, "capacity", "inf", "not-finite"),
    ("produces", 0, "capacity", "1e400", "not-finite"),          # overflows to infinity
    ("produces", 0, "capacity", "NaN", "not-number"),
    ("produces", 0, "capacity", "1e308", "above-maximum"),
    ("produces", 0, "capacity", "-5", "below-minimum"),
    ("produces", 0, "capacity", "－5万吨", "below-minimum"),
    ("regions", 0, "lat", "900", "above-maximum"),
    ("regions", 0, "lon", "-200", "below-minimum"),
    ("projects", 0, "amount", "1e9", "above-maximum"),           # 10 亿亿元
])
def test_infinite_and_absurd_numbers_are_cleared(tmp_path, capsys, monkeypatch, table, index, column, cell,
                                                 code) -> None:
    t = tiny()
    t[table][index][column] = cell
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    [c] = report.cleared
    assert (c.row, c.column, c.code) == (index + 2, column, code)
    assert f"“{cell}”" in c.reason_zh and f"'{cell}'" in c.reason_en
    assert math.isnan(tables[table][column].iloc[index])
    assert report.totals["rejected"] == 0
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ, 0, [f"“{cell}”", f"'{cell}'"])


def test_numbers_from_a_json_source(tmp_path) -> None:
    t = tiny()
    t["produces"][0]["capacity"] = 1e308     # a JSON number, read as the text '1e+308'
    t["produces"][2]["capacity"] = "２０万吨"
    js = tmp_path / "t.json"
    js.write_text(json.dumps(t, ensure_ascii=False), encoding="utf-8")
    tables, report = load(js)
    assert [(c.row, c.code) for c in report.cleared] == [(1, "above-maximum")]  # JSON records count from 1
    assert tables["produces"]["capacity"].iloc[2] == 20.0


# ----------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize("cell, expected", [
    ("2023年9月", "2023-09"), ("2023.9", "2023-09"), ("2023/09/01", "2023-09-01"), ("2023-9-1", "2023-09-01"),
    ("2023年9月1日", "2023-09-01"), ("45170", "2023-09-01"), ("2023-09-01 00:00:00", "2023-09-01"),
    ("20230901", "2023-09-01"), ("2023", "2023"), ("２０２３年９月", "2023-09"),
])
def test_dates_as_typed_are_stored_in_one_form(tmp_path, cell, expected) -> None:
    t = tiny()
    t["projects"][0]["date"] = cell
    t["produces"][0]["verified_on"] = cell
    tables, report = load(write_tables(tmp_path / "d", t))
    assert report.cleared == []
    assert tables["projects"]["date"].iloc[0] == expected and tables["produces"]["verified_on"].iloc[0] == expected


@pytest.mark.parametrize("cell", ["2023-02-30", "1850-01", "12345", "下个月"])
def test_impossible_dates_are_cleared(tmp_path, cell) -> None:
    t = tiny()
    t["projects"][0]["date"] = cell
    tables, report = load(write_tables(tmp_path / "d", t))
    assert [(c.column, c.code, c.value) for c in report.cleared] == [("date", "not-date", cell)]
    assert tables["projects"]["date"].iloc[0] == "" and len(tables["projects"]) == 1


# ------------------------------------------------------------------------- characters in cells

@pytest.mark.parametrize("dirty, shown", [("E1\u200b", "E1\\u200b"), ("\ufeffE1", "\\ufeffE1"),
                                          ("E\u20601", "E\\u20601")])
def test_invisible_characters_are_stripped_from_ids_so_references_match(tmp_path, capsys, monkeypatch, dirty,
                                                                        shown) -> None:
    t = tiny()
    t["enterprises"][0]["enterprise_id"] = dirty            # E1 as written in the firm table
    t["produces"][1]["product_id"] = "acetylene\u200d"      # and a reference with a zero-width joiner
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    assert report.totals == {"read": TINY_READ, "loaded": TINY_READ, "rejected": 0}
    assert tables["enterprises"]["enterprise_id"].iloc[0] == "E1"
    assert tables["produces"]["product_id"].iloc[1] == "acetylene"
    got = {(w.file, w.row, w.column): w for w in report.warnings if w.code == "invisible-character"}
    assert set(got) == {("enterprises.csv", 2, "enterprise_id"), ("produces.csv", 3, "product_id")}
    assert f"“{shown}”含不可见字符" in got["enterprises.csv", 2, "enterprise_id"].zh
    assert f"'{shown}' holds invisible characters" in got["enterprises.csv", 2, "enterprise_id"].en
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ, 0, [shown, "[invisible-character]"])


@pytest.mark.parametrize("column, dirty, clean, shown", [
    ("name", "乙化学\x00有限公司", "乙化学有限公司", "乙化学\\x00有限公司"),
    ("note", "电话\x07待查\x1b", "电话待查", "电话\\x07待查\\x1b"),
])
def test_control_characters_are_removed_with_a_notice(tmp_path, capsys, monkeypatch, column, dirty, clean,
                                                      shown) -> None:
    t = tiny()
    t["enterprises"][1][column] = dirty
    t["enterprises"].append({"enterprise_id": "", "name": "坏\x00行"})  # row 7, rejected: the workbook takes it
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    assert tables["enterprises"][column].iloc[1] == clean
    [w] = [w for w in report.warnings if w.code == "control-character" and w.row == 3]
    assert (w.file, w.column) == ("enterprises.csv", column)
    assert f"“{shown}”含控制字符" in w.zh and f"'{shown}' holds control characters" in w.en
    reconciled(report)
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ + 1, 1, [shown, "[control-character]"])
    book = load_workbook(tmp_path / REJECTED_FILE)  # openpyxl refuses a NUL: it was removed first
    assert "坏行" in [c.value for c in book["企业"][2]]


def test_odd_spaces_become_plain_spaces(tmp_path) -> None:
    t = tiny()
    t["enterprises"][0]["short_name"] = "甲\u00a0化工"
    t["enterprises"][1]["enterprise_id"] = "E2\u3000"
    tables, report = load(write_tables(tmp_path / "d", t))
    assert tables["enterprises"]["short_name"].iloc[0] == "甲 化工"
    assert tables["enterprises"]["enterprise_id"].iloc[1] == "E2"
    assert report.totals["rejected"] == 0


@pytest.mark.parametrize("table, index, column, length, code", [
    ("enterprises", 0, "name", 300, "name-too-long"),
    ("products", 0, "name_zh", 201, "name-too-long"),
    ("enterprises", 0, "note", 40000, "cell-too-long"),
])
def test_overlong_cells_are_kept_with_a_warning(tmp_path, capsys, monkeypatch, table, index, column, length,
                                                code) -> None:
    t = tiny()
    t[table][index][column] = "长" * length
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    assert len(tables[table][column].iloc[index]) == length  # kept as written
    [w] = [w for w in report.warnings if w.code == code]
    assert (w.row, w.column) == (index + 2, column) and len(w.zh) < 300  # the value is shown cut
    assert ("200" in w.zh and "200" in w.en) if code == "name-too-long" else ("32767" in w.zh and "32767" in w.en)
    assert report.totals == {"read": TINY_READ, "loaded": TINY_READ, "rejected": 0}
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ, 0, [f"[{code}]"])


# ------------------------------------------------------------------------- ambiguous references

@pytest.mark.parametrize("index, alias, other", [
    (3, "PBAT", "pbat"),          # thf's alias is product pbat's name
    (3, "pvc", "pvc"),            # thf's alias is product pvc's id
    (2, "聚氯乙烯", "pvc"),        # bdo's alias is pvc's Chinese name
])
def test_an_alias_naming_another_product_is_dropped_with_a_notice(tmp_path, capsys, monkeypatch, index, alias,
                                                                  other) -> None:
    t = tiny()
    own = t["products"][index]
    own["aliases"] = "|".join(a for a in (own["aliases"], alias) if a)
    t["produces"].append({"enterprise_id": "E2", "product_id": alias})  # row 10: still means `other`
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    products = tables["products"].set_index("product_id")
    assert products.loc[own["product_id"], "aliases"] == TINY["products"][index]["aliases"]
    [w] = [w for w in report.warnings if w.code == "alias-ambiguous"]
    assert (w.row, w.column) == (index + 2, "aliases")
    assert f"别名“{alias}”也指产品 {other}" in w.zh and f"alias '{alias}' also names product {other}" in w.en
    assert tables["produces"]["product_id"].iloc[-1] == other
    assert report.totals == {"read": TINY_READ + 1, "loaded": TINY_READ + 1, "rejected": 0}
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ + 1, 0, [f"别名“{alias}”也指产品", "[alias-ambiguous]"])


def test_an_alias_two_products_share_is_dropped_from_both(tmp_path) -> None:
    t = tiny()
    t["products"][3]["aliases"] = "THF|溶剂"     # thf, row 5
    t["products"][4]["aliases"] = "溶剂"         # pbat, row 6
    t["produces"].append({"enterprise_id": "E2", "product_id": "溶剂"})  # row 10: names neither
    tables, report = load(write_tables(tmp_path / "d", t))
    products = tables["products"].set_index("product_id")
    assert (products.loc["thf", "aliases"], products.loc["pbat", "aliases"]) == ("THF", "")
    assert sorted((w.row, w.zh) for w in report.warnings if w.code == "alias-ambiguous") == [
        (5, "别名“溶剂”也指产品 pbat，无法确定所指，已去掉该别名"), (6, "别名“溶剂”也指产品 thf，无法确定所指，已去掉该别名")]
    [r] = report.rejections
    assert (r.table, r.row, r.column, r.code) == ("produces", 10, "product_id", "unknown-reference")
    reconciled(report)


@pytest.mark.parametrize("added, name, number, id_column, first", [
    ({"product_id": "BDO", "name_zh": "另一种丁二醇", "unit": "万吨/年"}, "products", 9, "product_id", 4),
    ({"enterprise_id": "e1", "name": "另一家企业", "source": "test"}, "enterprises", 7, "enterprise_id", 2),
    ({"region_id": "ＷＵＨＡＩ", "name_zh": "全角乌海", "kind": "city"}, "regions", 6, "region_id", 2),
])
def test_ids_differing_only_in_case_or_width_reject_the_later_row(tmp_path, capsys, monkeypatch, added, name, number,
                                                                  id_column, first) -> None:
    t = tiny()
    t[name].append(added)
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    [r] = report.rejections
    assert (r.table, r.row, r.column, r.code) == (name, number, id_column, "id-case-duplicate")
    assert "只差大小写或全半角" in r.reason_zh and "only in case or width" in r.reason_en
    assert f"第{first}行" in r.reason_zh and f"row {first}" in r.reason_en
    assert len(tables[name]) == len(TINY[name])
    reconciled(report)
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ + 1, 1,
               ["[id-case-duplicate]", "只差大小写或全半角", "only in case or width"])


@pytest.mark.parametrize("written, column", [("企业名称\u200b", "name"), ("ＮＡＭＥ", "name"),
                                             ("企业名称（name）", "name"), ("龙头企业 ( leader )", "leader")])
def test_headers_match_through_width_case_spaces_and_invisible_characters(tmp_path, written, column) -> None:
    t = tiny()
    for row in t["enterprises"]:
        row[written] = row.pop(column)
    tables, report = load(write_tables(tmp_path / "d", t))
    assert report.totals["rejected"] == 0 and not [w for w in report.warnings if w.code.startswith("header")]
    assert tables["enterprises"][column].tolist() == [r[column] if column == "name" else r[column] == "是"
                                                      for r in TINY["enterprises"]]


@pytest.mark.parametrize("name, other, meant", [("PVC", "pvc", "pvc"),      # 'PVC' is pvc's id in upper case
                                               ("ＴＨＦ", "thf", "x1")])     # full width: only x1's name matches
def test_a_product_name_that_is_another_products_id_is_reported(tmp_path, capsys, monkeypatch, name, other,
                                                                meant) -> None:
    t = tiny()
    t["products"].append({"product_id": "x1", "name_zh": name, "unit": "吨/年"})  # row 9
    t["produces"].append({"enterprise_id": "E2", "product_id": name})              # row 10
    folder = write_tables(tmp_path / "d", t)
    tables, report = load(folder)
    [w] = [w for w in report.warnings if w.code == "name-is-other-id"]
    assert (w.row, w.column) == (9, "name_zh")
    assert f"与产品 {other} 的编号只差大小写或全半角" in w.zh and f"differs from the id of product {other}" in w.en
    assert tables["produces"]["product_id"].iloc[-1] == meant
    assert report.totals == {"read": TINY_READ + 2, "loaded": TINY_READ + 2, "rejected": 0}
    assert_cli(folder, capsys, monkeypatch, tmp_path, TINY_READ + 2, 0,
               ["[name-is-other-id]", "只差大小写或全半角", "differs from the id of"])


def test_excel_date_cells_and_numbers_in_a_workbook(tmp_path, capsys, monkeypatch) -> None:
    """Real Excel cells: a date cell, a date typed as text, a serial number in a text cell, numbers
    stored as numbers and as text with a unit."""
    import datetime as dt

    import pandas as pd

    t = tiny()
    book = tmp_path / "t.xlsx"
    with pd.ExcelWriter(book) as xw:
        for name, rows in t.items():
            frame = pd.DataFrame(rows).astype(object)
            if name == "projects":
                frame.loc[0, "date"] = dt.datetime(2023, 9, 1)   # a date cell
                frame.loc[0, "amount"] = "3000万元"
            if name == "produces":
                frame.loc[0, "verified_on"] = "45170"             # a serial typed in a text cell
                frame.loc[0, "capacity"] = 40                      # a number cell
                frame.loc[2, "capacity"] = "5万吨"                  # text with a unit
            frame.to_excel(xw, sheet_name=name, index=False)
    tables, report = load(book)
    assert report.cleared == [] and report.totals["rejected"] == 0
    assert tables["projects"]["date"].iloc[0] == "2023-09-01"
    assert tables["projects"]["amount"].iloc[0] == pytest.approx(0.3)
    assert tables["produces"]["verified_on"].iloc[0] == "2023-09-01"
    assert tables["produces"]["capacity"].iloc[[0, 2]].tolist() == [40.0, 5.0]
    code, stats, _ = run_stats(book, capsys, monkeypatch, tmp_path)
    assert code == 0 and stats["rows"] == {"read": TINY_READ, "loaded": TINY_READ, "rejected": 0}
