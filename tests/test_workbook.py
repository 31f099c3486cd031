"""The workbooks as written (`loaders.book`, xlsxwriter row by row): text stays text on every sheet,
the fingerprint matches what a reader sees, and the target list keeps its print settings, hidden
key columns and data banner. Files are read back with openpyxl, as `track import` and a rerun do."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from conftest import TINY, write_tables
from loaders.book import MAX_TEXT, Book
from loaders.output import untouched

HOSTILE = ['=HYPERLINK("http://x","y")', "+86 139 0000 0000", "-5", "@home", "\tx", "{=A1}", "http://x.cn"]


@pytest.fixture(scope="module")
def hostile_list(tmp_path_factory) -> tuple[Path, object]:
    """The tiny data with formula-like firm names and short names, written as the target list."""
    from graph import ChainGraph
    from loaders import load
    from queries.analysis import analyse
    from reports.target_list import write_target_list

    tables = {k: [dict(r) for r in v] for k, v in TINY.items()}
    firms = {f["enterprise_id"]: f for f in tables["enterprises"]}
    firms["E3"]["name"], firms["E5"]["name"] = HOSTILE[0], HOSTILE[1]
    firms["E4"]["short_name"], firms["E2"]["short_name"] = HOSTILE[2], HOSTILE[3]
    folder = write_tables(tmp_path_factory.mktemp("hostile") / "data", tables)
    loaded, report = load(folder)
    assert report.totals["rejected"] == 0
    analysis = analyse(ChainGraph(loaded))
    return write_target_list(analysis, folder.parent / "清单.xlsx"), analysis


def test_formula_like_names_are_text_on_every_sheet(hostile_list):
    path, _ = hostile_list
    wb = load_workbook(path)
    found: dict[str, set[str]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if cell.value in HOSTILE[:4]:
                    assert cell.data_type == "s"
                    found.setdefault(ws.title, set()).add(cell.value)
    # firm names on the list, the library and both print sheets; short names where they are shown
    for sheet in ("目标企业清单", "目标企业库", "目标企业清单(打印)", "目标企业库(打印)"):
        assert set(HOSTILE[:2]) <= found.get(sheet, set()), sheet
    assert set(HOSTILE[2:4]) <= found["目标企业清单"] and set(HOSTILE[2:4]) <= found["目标企业库"]


def test_list_sheets_print_landscape_one_page_wide_with_the_header_on_every_page(hostile_list):
    path, _ = hostile_list
    wb = load_workbook(path)
    for name in ("概览", "缺链清单", "目标企业清单", "说明"):
        ws = wb[name]
        setup = ws.page_setup
        assert setup.orientation == "landscape" and ws.print_title_rows == "$1:$1", name
        # fit to 1 page wide, any number of pages tall (no fitToWidth attribute means 1)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0
        assert ws.freeze_panes == "A2"
        header = ws[1]
        assert all(c.font.b and c.fill.fgColor.rgb.endswith("DDEBF7") for c in header), name


def test_target_sheet_wraps_reasons_and_hides_the_key_columns(hostile_list):
    from reports.team_columns import BASE_HEADER, KEY_HEADER

    path, analysis = hostile_list
    ws = load_workbook(path)["目标企业清单"]
    header = [c.value for c in ws[1]]
    assert header[-2:] == [KEY_HEADER, BASE_HEADER]
    letters = [ws.cell(1, i).column_letter for i in range(1, len(header) + 1)]
    hidden = [ws.column_dimensions[x].hidden for x in letters]
    assert hidden == [False] * (len(header) - 2) + [True, True]
    # the filter covers the hidden key columns too, so a sort moves each row's key with it
    assert ws.auto_filter.ref == f"A1:{letters[-1]}{len(analysis.targets) + 1}"
    reasons = header.index("推荐理由 / reasons") + 1
    assert all(ws.cell(r, reasons).alignment.wrap_text for r in range(2, ws.max_row + 1))
    assert ws.max_row == len(analysis.targets) + 1


def test_the_data_banner_is_merged_under_the_overview(hostile_list):
    path, analysis = hostile_list
    ws = load_workbook(path)["概览"]
    columns = len([c for c in ws[1] if c.value])
    chains = len(analysis.completeness)
    lines = analysis.banner.lines()
    assert len(lines) == 2
    first = chains + 3  # header, one row per chain, an empty row
    assert all(ws.cell(chains + 2, c).value is None for c in range(1, columns + 1))
    merged = sorted(str(r) for r in ws.merged_cells.ranges)
    last = ws.cell(1, columns).column_letter
    assert merged == [f"A{first}:{last}{first}", f"A{first + 1}:{last}{first + 1}"]
    for i, text in enumerate(lines):
        cell = ws.cell(first + i, 1)
        assert cell.value == text and cell.alignment.wrap_text and cell.font.b == (i == 0)
        assert ws.row_dimensions[first + i].height == 75


# -- loaders.book on its own ---------------------------------------------------------------------

ODD = ["=SUM(A1:A2)", "+86 139", "-", "@x", "\tx", "\rx", "a\r\nb", "_x0041_", "ctrl\x01char", " lead", "trail ",
       "{=A1}", "mailto:a@b.cn", "1e5", "长" * (MAX_TEXT + 10)]


def test_odd_values_keep_their_meaning_and_the_fingerprint_matches_what_openpyxl_reads(tmp_path):
    path = tmp_path / "odd.xlsx"
    numbers = [0.1 + 0.2, 1 / 3, 1e20, 2 ** 53 + 1, -5, np.int64(7), np.float64(2.5)]
    with Book(path) as book:
        sheet = book.sheet("文本")
        sheet.row(ODD)
        sheet.row(["", None, float("nan"), float("inf"), True, np.bool_(False)])
        other = book.sheet("数字")
        other.row(numbers)
    assert untouched(path)
    wb = load_workbook(path)
    text = list(wb["文本"].iter_rows())
    assert all(c.data_type == "s" for c in text[0])
    plain = [v for v in ODD if "\r" not in v and "\x01" not in v and "_x" not in v and len(v) < 100]
    assert [c.value for c in text[0] if c.value in plain] == plain  # stored as given, none a formula
    assert text[0][len(ODD) - 1].value == "长" * MAX_TEXT  # what a cell holds
    assert [c.value for c in text[1][:6]] == [None, None, None, None, True, False]  # NaN and inf: empty
    read = [c.value for c in next(wb["数字"].iter_rows())]
    assert all(math.isclose(a, float(b), rel_tol=1e-15) for a, b in zip(read, numbers))  # 16 digits kept
    assert [type(v) for v in read[4:6]] == [int, int]


def test_a_typed_in_cell_breaks_the_fingerprint(tmp_path):
    path = tmp_path / "a.xlsx"
    with Book(path) as book:
        book.sheet("表").row(["企业", 10])
    wb = load_workbook(path)
    wb["表"]["B1"] = 11
    wb.save(path)
    assert not untouched(path)


def test_rows_go_sheet_after_sheet(tmp_path):
    book = Book(tmp_path / "a.xlsx")
    first = book.sheet("一")
    book.sheet("二")
    with pytest.raises(RuntimeError):
        first.row(["late"])


def test_an_error_inside_the_block_leaves_no_file(tmp_path):
    path = tmp_path / "a.xlsx"
    with pytest.raises(ZeroDivisionError):
        with Book(path) as book:
            book.sheet("表").row(["企业"])
            1 / 0
    assert not path.exists()


def test_a_sheet_longer_than_excel_holds_is_a_clear_error(tmp_path, monkeypatch):
    import pandas as pd

    import loaders.book
    from loaders.spreadsheet import write_workbook
    from queries.errors import InputError

    monkeypatch.setattr(loaders.book, "SHEET_ROWS", 3)  # header + 2 rows fit; the third is one too many
    write_workbook(tmp_path / "ok.xlsx", {"表": pd.DataFrame({"a": [1, 2]})})
    with pytest.raises(InputError) as e:
        write_workbook(tmp_path / "long.xlsx", {"表": pd.DataFrame({"a": [1, 2, 3]})})
    assert e.value.code == "out-too-many-rows" and "CSV" in e.value.line()
    assert (tmp_path / "ok.xlsx").exists() and not (tmp_path / "long.xlsx").exists()


def test_a_full_disk_while_writing_rows_is_a_clear_error(tmp_path, monkeypatch):
    import errno

    from xlsxwriter.worksheet import Worksheet

    from queries.errors import InputError

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Worksheet, "write_row", full)
    with pytest.raises(InputError) as e:
        with Book(tmp_path / "a.xlsx") as book:
            book.sheet("表").row(["企业"])
    assert e.value.code == "out-disk-full"
