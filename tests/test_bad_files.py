"""Files as planners really have them (issue 12, part 2): each damaged or unusual file is either read
right (every good row intact, read = loaded + rejected, the caveat a bilingual warning) or refused
with one bilingual line and a stable code, exit 2, never a traceback.

The files are the built-in Wuhai tables, re-encoded, re-shaped or damaged here; each class of
problem has at least two variants.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from cli.main import main
from loaders import BUILTIN, load
from loaders.csv_file import unescape_formulas
from loaders.export import write_tables
from loaders.raw import ROW

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(not SOFFICE and os.environ.get("CI") != "true",
                                   reason="LibreOffice (soffice) is not installed: .xls/.ods fixtures cannot be made "
                                          "(.ci/run installs libreoffice-calc)")


# ---------------------------------------------------------------- helpers

def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the CLI; return exit code, stdout, stderr; no traceback either way."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def loads(capsys, source: Path) -> tuple[dict, str]:
    """`chainkg stats --json --data SOURCE` succeeds and reconciles; its stats and stderr."""
    code, out, err = run(capsys, "stats", "--json", "--data", str(source))
    assert code == 0, err
    stats = json.loads(out)
    rows = stats["rows"]
    assert rows["read"] == rows["loaded"] + rows["rejected"]
    return stats, err


def refused(capsys, source: Path, code: str, zh: str, en: str) -> str:
    """The CLI refuses the source: exit 2, the code, the Chinese and the English text."""
    exit_code, _, err = run(capsys, "stats", "--data", str(source))
    assert exit_code == 2, err
    assert f"错误 [{code}]" in err and f"error [{code}]" in err, err
    assert zh in err and en in err, err
    return err


def original(name: str) -> pd.DataFrame:
    return pd.read_csv(BUILTIN / f"{name}.csv", dtype=str, keep_default_na=False)


def builtin_copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for f in BUILTIN.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    return folder


def csv_text(frame: pd.DataFrame, sep: str = ",") -> str:
    return frame.to_csv(index=False, sep=sep, lineterminator="\r\n")


def ids(tables: dict, name: str, column: str) -> list[str]:
    return tables[name][column].tolist()


def codes(report) -> list[str]:
    return [w.code for w in report.warnings]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the CLI writes its rejected-rows workbook into the working folder


@pytest.fixture(scope="module")
def builtin_tables() -> dict[str, pd.DataFrame]:
    return load()[0]


def builtin_book(path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    return write_tables(tables, path)


@pytest.fixture(scope="module")
def base_book(tmp_path_factory, builtin_tables) -> Path:
    """The built-in tables as one workbook (written by openpyxl, as `chainkg neo4j pull` writes it)."""
    return builtin_book(tmp_path_factory.mktemp("book") / "book.xlsx", builtin_tables)


@pytest.fixture
def book(tmp_path, base_book) -> Path:
    """A fresh copy of `base_book` for a test to damage."""
    return Path(shutil.copy(base_book, tmp_path / "book.xlsx"))


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding, sep", [("utf-16", "\t"), ("utf-16-be", "\t"), ("gb18030", ","),
                                           ("utf-8-sig", ";")])
def test_other_encodings_and_delimiters_read_every_row(tmp_path, capsys, encoding, sep) -> None:
    """Excel's "Unicode text" is UTF-16 with a byte-order mark and tabs; some exports use ';'."""
    folder = builtin_copy(tmp_path / "d")
    firms = original("enterprises")
    data = csv_text(firms, sep).encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (folder / "enterprises.csv").write_bytes(data)
    stats, err = loads(capsys, folder)
    assert stats["rows"]["rejected"] == 0
    tables, report = load(folder)
    assert ids(tables, "enterprises", "name") == firms["name"].tolist()
    assert ids(tables, "enterprises", "note") == firms["note"].tolist()
    if sep != ",":
        assert codes(report) == ["csv-delimiter"]
        word = {"\t": ("制表符", "tab"), ";": ("分号", "semicolon")}[sep]
        assert word[0] in err and word[1] in err
    else:
        assert report.warnings == []


PASTED = "乌海市测试化工有限公司"  # 乌 is CE DA in GBK: CE opens a UTF-8 pair, DA cannot follow it


def _pasted_row(firms: pd.DataFrame, at: int, encoding: str) -> tuple[bytes, int]:
    """UTF-8 CSV of the firms whose row `at` (0-based data row) is in `encoding`, named PASTED; the
    byte offset of the first byte that is not UTF-8: the first byte of the name."""
    firms = firms.copy()
    firms.loc[at, "name"] = PASTED
    lines = csv_text(firms).split("\r\n")
    head = "\r\n".join(lines[:at + 1]).encode("utf-8") + b"\r\n"
    bad = lines[at + 1].encode(encoding)
    assert bad.index(PASTED.encode(encoding)) == len(firms.loc[at, "enterprise_id"]) + 1
    tail = ("\r\n".join(lines[at + 2:])).encode("utf-8")
    return head + bad + b"\r\n" + tail, len(head) + len(firms.loc[at, "enterprise_id"]) + 1


@pytest.mark.parametrize("at, encoding", [(4, "gb18030"), (0, "gbk"), (150, "gb18030")])
def test_a_row_pasted_in_another_encoding_is_rejected_the_rest_kept(tmp_path, capsys, at, encoding) -> None:
    folder = builtin_copy(tmp_path / "d")
    firms = original("enterprises")
    data, offset = _pasted_row(firms.iloc[:200], at, encoding)
    (folder / "enterprises.csv").write_bytes(data)
    stats, err = loads(capsys, folder)
    row = at + 2  # spreadsheet row: header is row 1
    assert f"enterprises.csv 第{row}行" in err and f"row {row}" in err
    assert f"字节偏移 {offset}" in err and f"byte offset {offset}" in err
    tables, report = load(folder)
    rejected = [r for r in report.rejections if r.table == "enterprises"]
    assert {r.row for r in rejected} == {row}
    whole = [r for r in rejected if r.column == "整行 / whole row"]
    assert len(whole) == 1 and "UTF-8" in whole[0].reason_zh and "UTF-8" in whole[0].reason_en
    kept = firms.iloc[:200].drop(index=at)
    assert ids(tables, "enterprises", "enterprise_id") == kept["enterprise_id"].tolist()
    assert report.counts["enterprises"].read == 200 and report.counts["enterprises"].rejected == 1
    assert "bad-bytes" in codes(report)


def test_a_stray_bad_byte_in_an_ascii_file_rejects_only_its_row(tmp_path, capsys) -> None:
    folder = builtin_copy(tmp_path / "d")
    text = (BUILTIN / "chain_products.csv").read_bytes()
    lines = text.split(b"\n")
    lines[3] = lines[3].replace(b",", b"\xe9,", 1)  # a Windows-1252 'é' typed after the chain id
    (folder / "chain_products.csv").write_bytes(b"\n".join(lines))
    loads(capsys, folder)
    tables, report = load(folder)
    rejected = [r for r in report.rejections if r.table == "chain_products"]
    assert {r.row for r in rejected} == {4}
    assert len(tables["chain_products"]) == len(original("chain_products")) - 1


def _traditional() -> pd.DataFrame:
    firms = original("enterprises").iloc[:3].copy()
    firms["name"] = ["台灣塑膠工業股份有限公司", "南亞塑膠工業股份有限公司", "長春人造樹脂廠股份有限公司"]
    firms["short_name"] = ["台塑", "南亞", "長春"]
    firms["province"] = ["臺灣", "臺灣", "臺灣"]
    firms["city"] = ["高雄市", "新北市", "臺北市"]
    firms["source"] = firms["note"] = ["公司官網", "公司年報", "新聞報導"]
    firms["region_id"] = firms["verified_on"] = firms["verified"] = ""  # 待核实's 实 is not in Big5
    return firms


@pytest.mark.parametrize("codec", ["cp950", "big5"])
def test_big5_is_read_with_a_warning(tmp_path, capsys, codec) -> None:
    folder = builtin_copy(tmp_path / "d")
    firms = _traditional()
    (folder / "enterprises.csv").write_bytes(csv_text(firms).encode(codec))
    (folder / "produces.csv").write_text(csv_text(original("produces").iloc[:0]), encoding="utf-8")
    _, err = loads(capsys, folder)
    assert "Big5" in err and "繁体中文" in err and "traditional Chinese" in err
    tables, report = load(folder)
    assert ids(tables, "enterprises", "name") == firms["name"].tolist()
    assert "encoding-big5" in codes(report)


@pytest.mark.parametrize("text, codec", [
    ("enterprise_id,name\nJ1,株式会社カネカ\nJ2,信越化学工業株式会社\nJ3,三菱ケミカル株式会社\n", "shift_jis"),
    ("enterprise_id,name\nF1,Société Générale\nF2,Müller Chemie GmbH\nF3,Ørsted Energi\nF4,Solvay Société\n", "cp1252"),
])
def test_an_encoding_that_cannot_be_told_is_refused_naming_what_was_tried(tmp_path, capsys, text, codec) -> None:
    folder = builtin_copy(tmp_path / "d")
    (folder / "enterprises.csv").write_bytes(text.encode(codec))
    refused(capsys, folder, "encoding-unknown", "已尝试 UTF-8、GB18030（GBK）和 Big5", "UTF-8, GB18030 (GBK) and Big5 were tried")


# ---------------------------------------------------------------- what the file really is

def _xlsx_bytes(tables) -> bytes:
    buf = io.BytesIO()
    wb = Workbook()
    wb.active.append(["enterprise_id", "name"])
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("content, zh, en", [
    ("xlsx", "Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)"),
    ("ole2", "旧版 Excel 工作簿（.xls）", "an old Excel workbook (.xls)"),
    ("pdf", "PDF 文件", "a PDF file"),
    ("nul", "二进制文件", "a binary file"),
])
def test_a_binary_file_renamed_csv_is_refused_saying_what_it_is(tmp_path, capsys, content, zh, en) -> None:
    folder = builtin_copy(tmp_path / "d")
    data = {"xlsx": _xlsx_bytes(None), "ole2": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "nul": bytes(range(256)) * 40}[content]
    (folder / "enterprises.csv").write_bytes(data)
    err = refused(capsys, folder, "not-text", zh, en)
    assert "enterprises.csv" in err and "另存为" in err and "Save as" in err


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \r\n"])
def test_an_empty_file_loads_as_an_empty_table_with_a_warning(tmp_path, capsys, content) -> None:
    folder = builtin_copy(tmp_path / "d")
    (folder / "projects.csv").write_bytes(content)
    stats, err = loads(capsys, folder)
    assert "projects.csv" in err and "文件是空的" in err and "the file is empty" in err
    tables, report = load(folder)
    assert len(tables["projects"]) == 0 and report.counts["projects"].read == 0
    assert report.totals["rejected"] == 0 and codes(report) == ["file-empty"]
    assert ids(tables, "enterprises", "enterprise_id") == original("enterprises")["enterprise_id"].tolist()


@pytest.mark.parametrize("kind", ["csv", "csv-template", "xlsx"])
def test_a_header_only_table_loads_empty_with_a_warning(tmp_path, capsys, builtin_tables, kind) -> None:
    if kind == "xlsx":
        tables = dict(builtin_tables, projects=builtin_tables["projects"].iloc[:0])
        source = builtin_book(tmp_path / "book.xlsx", tables)
        where = "book.xlsx:projects"
    else:
        source = builtin_copy(tmp_path / "d")
        header = ",".join(original("projects").columns)
        extra = "\r\n# 说明 / note: 唯一编号\r\n" if kind == "csv-template" else "\r\n"
        (source / "projects.csv").write_text(header + extra, encoding="utf-8-sig")
        where = "projects.csv"
    _, err = loads(capsys, source)
    assert where in err and "表头下没有数据行" in err and "no data rows under the header" in err
    tables, report = load(source)
    assert len(tables["projects"]) == 0 and "no-data-rows" in codes(report)
    assert len(tables["enterprises"]) == len(original("enterprises"))


# ---------------------------------------------------------------- the shape of the rows

def test_an_unquoted_comma_rejects_the_row_naming_the_extra_cells(tmp_path, capsys) -> None:
    """The first data row too: pandas' header=0 would shift every row by one column there."""
    folder = builtin_copy(tmp_path / "d")
    firms = original("enterprises").iloc[:50]
    lines = csv_text(firms).split("\r\n")
    for at in (1, 30):  # spreadsheet rows 2 and 31
        name = firms["name"].iloc[at - 1]
        changed = lines[at].replace(name, name.replace("有限公司", "有限公司,乌海分公司"), 1)
        assert changed != lines[at]
        lines[at] = changed
    (folder / "enterprises.csv").write_text("\r\n".join(lines), encoding="utf-8")
    _, err = loads(capsys, folder)
    assert "enterprises.csv 第2行" in err and "enterprises.csv 第31行" in err
    assert "多于表头的13列" in err and "more than the 13 columns of the header" in err
    tables, report = load(folder)
    rejected = [r for r in report.rejections if r.table == "enterprises"]
    assert {r.row for r in rejected} == {2, 31}
    extra = [r for r in rejected if r.column == "N"]  # the first column beyond the header's 13 (A-M)
    assert [r.row for r in extra] == [2, 31]
    assert all("本行有14个单元格" in r.reason_zh and "the row has 14 cells" in r.reason_en for r in extra)
    assert all("逗号" in r.reason_zh and "comma" in r.reason_en for r in extra)
    kept = firms.drop(index=[0, 29])
    assert ids(tables, "enterprises", "enterprise_id") == kept["enterprise_id"].tolist()
    assert ids(tables, "enterprises", "name") == kept["name"].tolist()
    assert ids(tables, "enterprises", "verified") == kept["verified"].tolist()


def test_a_row_with_a_filled_extra_cell_is_rejected_among_trailing_commas(tmp_path, capsys) -> None:
    folder = builtin_copy(tmp_path / "d")
    lines = (BUILTIN / "chains.csv").read_text(encoding="utf-8").splitlines()
    body = [line + ",," for line in lines[1:]]
    body[2] = lines[3] + ",,备注写在表外"  # row 4
    (folder / "chains.csv").write_text("\n".join([lines[0]] + body) + "\n", encoding="utf-8")
    _, err = loads(capsys, folder)
    assert "chains.csv 第4行" in err and "“备注写在表外”" in err and "'备注写在表外'" in err
    tables, report = load(folder)
    assert [r.row for r in report.rejections if r.table == "chains"] == [4]
    assert ids(tables, "chains", "chain_id") == original("chains")["chain_id"].drop(index=2).tolist()


def test_trailing_empty_cells_are_not_extra_cells(tmp_path, capsys) -> None:
    """Excel writes ',,' after the last column when cells beyond it were once formatted."""
    folder = builtin_copy(tmp_path / "d")
    lines = (BUILTIN / "chains.csv").read_text(encoding="utf-8").splitlines()
    (folder / "chains.csv").write_text("\n".join([lines[0]] + [line + ",,," for line in lines[1:]]) + "\n",
                                       encoding="utf-8")
    stats, _ = loads(capsys, folder)
    tables, report = load(folder)
    assert report.totals["rejected"] == 0 and report.warnings == []
    assert ids(tables, "chains", "name_zh") == original("chains")["name_zh"].tolist()


@pytest.mark.parametrize("title", [["乌海市重点企业名录（2024）"], ["乌海市重点企业名录", "", "制表：招商局"], ["导出时间：2024-05-20", ""]])
def test_title_rows_above_the_header_are_skipped_and_row_numbers_stay_true(tmp_path, capsys, title) -> None:
    folder = builtin_copy(tmp_path / "d")
    firms = original("enterprises").iloc[:20].copy()
    firms.loc[5, "name"] = ""  # a row rejected (empty required name), to see its row number
    (folder / "enterprises.csv").write_text("\r\n".join(t + "," * 12 if t else "" for t in title) + "\r\n"
                                            + csv_text(firms), encoding="utf-8-sig")
    _, err = loads(capsys, folder)
    header_row = len(title) + 1
    assert f"表头在第{header_row}行" in err and f"the header is on row {header_row}" in err
    tables, report = load(folder)
    assert [r.row for r in report.rejections if r.table == "enterprises"] == [header_row + 6]
    assert ids(tables, "enterprises", "enterprise_id") == firms.drop(index=5)["enterprise_id"].tolist()
    assert "title-row" in codes(report)


def test_a_title_row_in_a_workbook_is_skipped(tmp_path, capsys, book) -> None:
    wb = load_workbook(book)
    ws = wb["enterprises"]
    ws.insert_rows(1, 2)
    ws["A1"] = "乌海市重点企业名录（2024）"
    ws.merge_cells("A1:M1")
    wb.save(book)
    _, err = loads(capsys, book)
    assert "表头在第3行" in err and "the header is on row 3" in err
    tables, report = load(book)
    assert ids(tables, "enterprises", "enterprise_id") == original("enterprises")["enterprise_id"].tolist()
    assert "merged-cells" not in codes(report)  # the title's merge lies above the header


@pytest.mark.parametrize("headers, columns", [(("name", "name"), ("B", "N")), (("name", "企业名称"), ("B", "N")),
                                              (("企业名称（name）", " 企业名称 "), ("B", "N"))])
def test_a_repeated_header_is_refused_naming_both_columns(tmp_path, capsys, headers, columns) -> None:
    folder = builtin_copy(tmp_path / "d")
    firms = original("enterprises").iloc[:10].rename(columns={"name": headers[0]})
    lines = csv_text(firms).split("\r\n")
    lines = [lines[0] + "," + headers[1]] + [line + ",别的名称" for line in lines[1:] if line]
    (folder / "enterprises.csv").write_text("\r\n".join(lines), encoding="utf-8")
    refused(capsys, folder, "repeated-header", f"第{columns[0]}列", f"column {columns[1]}")


def test_a_repeated_header_in_a_workbook_is_refused(tmp_path, capsys, book) -> None:
    wb = load_workbook(book)
    wb["chains"]["G1"] = "产业链名称"
    wb.save(book)
    refused(capsys, book, "repeated-header", "第B列“name_zh”和第G列“产业链名称”", "column B 'name_zh' and column G")


def test_an_empty_header_over_data_is_a_warning_and_an_unknown_repeated_header_too(tmp_path, capsys) -> None:
    folder = builtin_copy(tmp_path / "d")
    lines = csv_text(original("chains")).split("\r\n")
    lines = [lines[0] + ",内部,内部,"] + [line + ",a,b,x" for line in lines[1:] if line]
    (folder / "chains.csv").write_text("\r\n".join(lines), encoding="utf-8")
    _, err = loads(capsys, folder)
    tables, report = load(folder)
    assert {"header-empty", "header-repeated"} <= set(codes(report))
    assert "第I列没有表头" in err and "column(s) I have no header" in err
    assert "第G列和第H列的表头都是“内部”" in err and "columns G and H both have the header '内部'" in err
    assert ids(tables, "chains", "name_zh") == original("chains")["name_zh"].tolist()


# ---------------------------------------------------------------- workbooks

@needs_soffice
@pytest.mark.parametrize("target", ["xls", "ods"])
def test_old_xls_and_ods_workbooks_read_like_xlsx(tmp_path, capsys, book, builtin_tables, target) -> None:
    done = subprocess.run([SOFFICE, "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(book)],
                          capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    converted = tmp_path / f"book.{target}"
    assert converted.exists(), done.stderr
    stats, _ = loads(capsys, converted)
    assert stats["rows"]["rejected"] == 0
    tables, report = load(converted)
    for name in ("enterprises", "produces", "chains"):
        assert len(tables[name]) == len(builtin_tables[name])
    assert ids(tables, "enterprises", "name") == builtin_tables["enterprises"]["name"].tolist()
    assert tables["produces"]["capacity"].fillna(-1).tolist() == builtin_tables["produces"]["capacity"].fillna(-1).tolist()
    # renamed .xlsx, it is still read for what it is, with a warning
    renamed = tmp_path / "renamed.xlsx"
    shutil.copy(converted, renamed)
    _, err = loads(capsys, renamed)
    assert "该文件实际上是" in err and "the file is really" in err
    assert len(load(renamed)[0]["enterprises"]) == len(builtin_tables["enterprises"])


@pytest.mark.parametrize("damage, code, zh, en", [
    ("csv", "workbook-kind", "这不是工作簿，而是文本文件", "this is not a workbook but a text file"),
    ("truncated", "workbook-damaged", "工作簿已损坏或不完整", "the workbook is damaged or incomplete"),
    ("no-workbook-part", "workbook-kind", "压缩包", "a zip archive"),
    ("broken-xml", "workbook-damaged", "工作簿已损坏或不完整", "the workbook is damaged or incomplete"),
])
def test_a_corrupt_or_mislabelled_xlsx_is_refused(tmp_path, capsys, base_book, damage, code, zh, en) -> None:
    good = base_book.read_bytes()
    path = tmp_path / "book.xlsx"
    if damage == "csv":
        path.write_bytes((BUILTIN / "enterprises.csv").read_bytes())
    elif damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    else:
        src = zipfile.ZipFile(io.BytesIO(good))
        with zipfile.ZipFile(path, "w") as out:
            for item in src.infolist():
                body = src.read(item)
                if damage == "no-workbook-part" and item.filename == "xl/workbook.xml":
                    continue
                if damage == "broken-xml" and item.filename == "xl/worksheets/sheet1.xml":
                    body = body[: len(body) // 2]
                out.writestr(item, body)
    refused(capsys, path, code, zh, en)


def test_hidden_sheets_are_ignored_never_preferred(tmp_path, capsys, book) -> None:
    wb = load_workbook(book)
    old = wb.create_sheet("企业")  # an old copy of the firms, hidden, listed before the visible one
    wb.move_sheet(old, offset=-len(wb.sheetnames) + 1)
    old.append(["enterprise_id", "name"])
    old.append(["OLD1", "旧数据化工有限公司"])
    old.sheet_state = "hidden"
    wb["projects"].sheet_state = "veryHidden"  # the only copy of a table, hidden
    wb.save(book)
    _, err = loads(capsys, book)
    assert "隐藏的工作表“企业”" in err and "hidden sheet '企业'" in err
    assert "隐藏的工作表“projects”" in err and "hidden sheet 'projects'" in err
    tables, report = load(book)
    assert ids(tables, "enterprises", "enterprise_id") == original("enterprises")["enterprise_id"].tolist()
    assert len(tables["projects"]) == 0 and report.counts["projects"].read == 0
    assert codes(report).count("hidden-sheet") == 2


def test_only_hidden_table_sheets_means_no_tables(tmp_path, capsys, book, builtin_tables) -> None:
    wb = load_workbook(book)
    wb.create_sheet("说明").append(["数据说明"])
    for name in builtin_tables:
        wb[name].sheet_state = "hidden"
    wb.save(book)
    refused(capsys, book, "no-tables", "隐藏的工作表不会被读取", "hidden sheets are not read")


@pytest.mark.parametrize("sheet, column, formula", [("produces", "C", "=10*2"), ("enterprises", "B", '=A5&"化工"')])
def test_a_formula_without_saved_value_is_not_loaded_as_empty(tmp_path, capsys, book, builtin_tables, sheet, column,
                                                              formula) -> None:
    wb = load_workbook(book)  # written by openpyxl: formulas get no cached values
    wb[sheet][f"{column}5"] = formula
    wb.save(book)
    _, err = loads(capsys, book)
    assert f"单元格{column}5是公式" in err and f"cell {column}5 is the formula" in err
    assert "没有保存的计算结果" in err and "no saved value" in err
    tables, report = load(book)
    rows = [r for r in report.rejections if r.table == sheet and r.row == 5]
    assert rows and formula in rows[0].reason_zh
    assert report.counts[sheet].rejected >= 1 and len(tables[sheet]) <= len(builtin_tables[sheet]) - 1
    assert "formula-uncached" in codes(report)


@needs_soffice
def test_a_formula_saved_by_a_spreadsheet_program_loads_its_value(tmp_path, capsys, book) -> None:
    wb = load_workbook(book)
    wb["produces"]["C5"] = "=10*2"
    wb.save(book)
    out = tmp_path / "saved"
    subprocess.run([SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(book)],
                   capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    tables, report = load(out / "book.xlsx")
    assert "formula-uncached" not in codes(report)
    assert tables["produces"]["capacity"].iloc[3] == 20


@pytest.mark.parametrize("ranges", [["A2:A40"], ["A2:A10", "C12:C30"]])
def test_merged_cells_give_their_value_to_every_row(tmp_path, capsys, book, builtin_tables, ranges) -> None:
    cp = builtin_tables["chain_products"]
    wb = load_workbook(book)
    ws = wb["chain_products"]
    expected = cp.copy()
    for ref in ranges:
        col = "chain_id" if ref.startswith("A") else "segment"
        first, last = (int(x[1:]) for x in ref.split(":"))
        ws.merge_cells(ref)  # openpyxl empties every cell but the top-left one, as Excel does
        expected.loc[first - 2:last - 2, col] = expected.loc[first - 2, col]
    wb.save(book)
    _, err = loads(capsys, book)
    assert all(ref in err for ref in ranges)
    assert "合并单元格" in err and "merged cells" in err
    tables, report = load(book)
    got = tables["chain_products"]
    # rows whose (chain, product) now repeats are rejected as duplicates; every other row is as filled
    assert report.counts["chain_products"].read == len(cp)
    kept = expected.drop_duplicates(["chain_id", "product_id"])
    assert got[["chain_id", "product_id", "segment"]].values.tolist() == \
        kept[["chain_id", "product_id", "segment"]].values.tolist()


def test_date_and_number_cells_read_as_a_planner_sees_them(tmp_path, capsys, book) -> None:
    wb = load_workbook(book)
    ws = wb["projects"]
    header = [c.value for c in ws[1]]
    date_col, amount_col = header.index("date") + 1, header.index("amount") + 1
    ws.cell(row=2, column=date_col).value = dt.datetime(2023, 9, 1)
    ws.cell(row=3, column=date_col).value = dt.date(2024, 1, 15)
    ws.cell(row=2, column=amount_col).value = 10
    ws.cell(row=3, column=amount_col).value = 2.5
    firms = wb["enterprises"]
    fh = [c.value for c in firms[1]]
    firms.cell(row=2, column=fh.index("listed_code") + 1).value = 600516
    firms.cell(row=3, column=fh.index("note") + 1).value = 13912345678
    firms.cell(row=4, column=fh.index("verified_on") + 1).value = dt.datetime(2024, 5, 20)
    wb.save(book)
    loads(capsys, book)
    tables, report = load(book)
    projects, firms_t = tables["projects"], tables["enterprises"]
    assert projects["date"].iloc[:2].tolist() == ["2023-09-01", "2024-01-15"]
    assert projects["amount"].iloc[:2].tolist() == [10.0, 2.5]
    assert firms_t["listed_code"].iloc[0] == "600516"
    assert firms_t["note"].iloc[1] == "13912345678"
    assert firms_t["verified_on"].iloc[2] == "2024-05-20"
    assert report.totals["rejected"] == 0


# ---------------------------------------------------------------- what is not read

def test_files_not_read_are_listed(tmp_path, capsys) -> None:
    folder = builtin_copy(tmp_path / "d")
    (folder / "说明.docx").write_bytes(b"PK\x03\x04")
    shutil.copy(folder / "enterprises.csv", folder / "企业 (1).csv")
    (folder / "notes.txt").write_text("备忘", encoding="utf-8")
    (folder / "旧数据").mkdir()
    _, err = loads(capsys, folder)
    for name in ("说明.docx", "企业 (1).csv", "notes.txt", "旧数据/"):
        assert name in err
    assert "以下文件未读取" in err and "these files were not read" in err
    _, report = load(folder)
    assert codes(report) == ["file-not-read"]


def test_sheets_not_read_are_listed(tmp_path, capsys, book) -> None:
    wb = load_workbook(book)
    wb.create_sheet("说明").append(["本工作簿由招商局整理"])
    wb.create_sheet("Sheet2")
    wb.save(book)
    _, err = loads(capsys, book)
    assert "“说明”" in err and "Sheet2" in err and "不对应任何表" in err and "match no table" in err


@pytest.mark.parametrize("kind", ["folder", "xlsx", "json"])
def test_a_source_with_no_table_is_refused_listing_the_tables(tmp_path, capsys, kind) -> None:
    if kind == "folder":
        source = tmp_path / "d"
        source.mkdir()
        (source / "企业名单.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    elif kind == "xlsx":
        source = tmp_path / "book.xlsx"
        wb = Workbook()
        wb.active.title = "Sheet1"
        wb.save(source)
    else:
        source = tmp_path / "data.json"
        source.write_text(json.dumps({"firms": []}), encoding="utf-8")
    refused(capsys, source, "no-tables", "企业（enterprises）", "enterprises (企业)")


# ---------------------------------------------------------------- CSV the tool wrote, JSON

def test_unescape_takes_off_only_the_formula_apostrophe() -> None:
    cells = ["'=SUM(A1:A2)", "'+86 139 0000 0000", "'-", "'@home", "'\tx", "'\rx", "'abc", "''=x", "-", "", "'"]
    frame = pd.DataFrame({"note": cells, ROW: range(len(cells))})
    assert unescape_formulas(frame)["note"].tolist() == [
        "=SUM(A1:A2)", "+86 139 0000 0000", "-", "@home", "\tx", "\rx", "'abc", "'=x", "-", "", "'"]


def test_the_loader_unescapes_csv_but_not_workbooks(tmp_path, capsys, builtin_tables) -> None:
    folder = builtin_copy(tmp_path / "d")
    firms = original("enterprises").iloc[:4].copy()
    firms["note"] = ["'=HYPERLINK(\"x\")", "'+86 139 1234 5678", "'乌海", "'-"]
    (folder / "enterprises.csv").write_text(csv_text(firms), encoding="utf-8")
    (folder / "produces.csv").write_text(csv_text(original("produces").iloc[:0]), encoding="utf-8")
    loads(capsys, folder)
    tables, _ = load(folder)
    assert ids(tables, "enterprises", "note") == ['=HYPERLINK("x")', "+86 139 1234 5678", "'乌海", "-"]
    firms_t = builtin_tables["enterprises"].iloc[:4].assign(note=["'=x", "'+86", "'乌海", "-"])
    book = builtin_book(tmp_path / "book.xlsx", dict(builtin_tables, enterprises=firms_t,
                                                      produces=builtin_tables["produces"].iloc[:0]))
    tables, _ = load(book)
    assert ids(tables, "enterprises", "note") == ["'=x", "'+86", "'乌海", "-"]


@pytest.mark.parametrize("text, line, col", [
    ('{"chains": [{"chain_id": "c1", "name_zh": "甲"}\n {"chain_id": "c2"}]}', 2, 2),
    ('{"chains": [\n  {"chain_id": "c1", "name_zh": "甲"},\n]}', 3, 1),
    ('{"chains": [{"chain_id": "c1", "name_zh": "甲\n"}]}', 1, 45),
])
def test_malformed_json_is_refused_with_line_and_column(tmp_path, capsys, text, line, col) -> None:
    path = tmp_path / "data.json"
    path.write_text(text, encoding="utf-8")
    refused(capsys, path, "json-syntax", f"第{line}行第{col}列", f"line {line}, column {col}")


def test_json_in_gb18030_or_utf16_is_read_and_bad_bytes_refused(tmp_path, capsys) -> None:
    data = {"chains": original("chains").to_dict("records")}
    for codec in ("gb18030", "utf-16"):
        path = tmp_path / f"{codec}.json"
        path.write_bytes(json.dumps(data, ensure_ascii=False).encode(codec))
        stats, _ = loads(capsys, path)
        assert stats["rows"]["loaded"] == len(original("chains"))
    bad = tmp_path / "bad.json"
    text = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    bad.write_bytes(text.replace("现代煤化工".encode("utf-8"), "现代煤化工".encode("gbk"), 1))
    refused(capsys, bad, "json-encoding", "不是 UTF-8 编码的字节", "bytes that are not UTF-8")
