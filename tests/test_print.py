"""The print sheets, rendered to PDF by LibreOffice headless: A4 landscape, the header row and the
page header on every page, every column on the page (fits at 100 %), 第 N 页 / 共 M 页."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from reports.print_sheet import MAX_COLUMNS


def _tools():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftotext") or not shutil.which("pdfinfo"):
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice and poppler-utils (pdftotext, pdfinfo) are required under CI")
        pytest.skip("LibreOffice or poppler-utils missing: apt-get install libreoffice-calc poppler-utils")
    return soffice


def to_pdf(xlsx, keep: str, tmp_path):
    """Keep only the sheet `keep`, convert to PDF, return (pages' text, pages' sizes in points)."""
    soffice = _tools()
    wb = load_workbook(xlsx)
    for ws in list(wb.worksheets):
        if ws.title != keep:
            wb.remove(ws)
    only = tmp_path / f"{abs(hash(keep))}.xlsx"
    wb.save(only)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo_profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(only)], check=True, capture_output=True, timeout=300)
    pdf = only.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [tuple(map(float, m)) for m in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()], sizes


def check(pages, sizes, headers, bureau="乌海市投资促进局"):
    assert len(pages) >= 2, "the test needs a sheet longer than one page"
    assert len(sizes) == len(pages)
    assert all(abs(w - 841.9) < 2 and abs(h - 595.3) < 2 for w, h in sizes), sizes[:3]  # A4 landscape
    for n, page in enumerate(pages, start=1):
        flat = re.sub(r"\s+", "", page)
        assert bureau in flat, f"page {n}: no page header"
        for h in headers:  # the header row repeated, and no column pushed onto another page
            assert re.sub(r"\s+", "", h.split(" / ")[0]) in flat, f"page {n}: header {h} missing"
        assert f"第{n}页/共{len(pages)}页" in flat, f"page {n}: footer"


@pytest.fixture(scope="module")
def builtin_workbook(tmp_path_factory):
    from graph import ChainGraph
    from loaders import load
    from queries.analysis import analyse
    from reports.target_list import write_target_list

    tables, _ = load()
    return write_target_list(analyse(ChainGraph(tables)), tmp_path_factory.mktemp("print") / "清单.xlsx")


@pytest.mark.parametrize("sheet", ["目标企业库(打印)", "目标企业清单(打印)"])
def test_target_workbook_print_sheets(builtin_workbook, sheet, tmp_path):
    ws = load_workbook(builtin_workbook)[sheet]
    headers = [c.value for c in ws[1]]
    fit = ws.sheet_properties.pageSetUpPr
    # at 100 %, not shrunk to fit: no scale attribute means 100 (ECMA-376's default, which Excel and
    # xlsxwriter leave out)
    assert (ws.page_setup.scale or 100) == 100 and not (fit and fit.fitToPage)
    assert len(headers) <= MAX_COLUMNS and ws.print_title_rows == "$1:$1"
    assert isinstance(ws["F2" if sheet.startswith("目标企业清单") else "D2"].value, (int, float))  # numbers stay numbers
    if sheet.startswith("目标企业清单"):  # 1,400 rows: render the first pages' worth only, to keep the test short
        wb = load_workbook(builtin_workbook)
        wb[sheet].delete_rows(150, wb[sheet].max_row)
        builtin_workbook = tmp_path / "短.xlsx"
        wb.save(builtin_workbook)
    pages, sizes = to_pdf(builtin_workbook, sheet, tmp_path)
    check(pages, sizes, headers)


def test_call_list_and_bulletin_print_sheets(tmp_path):
    from reports.bulletin import write_bulletin
    from reports.call_list import write_call_list
    from tracking.bulletin import bulletin, parse_period
    from tracking.settings import tracking_settings

    states = [{"key": f"id:E{i}|bdo", "enterprise_id": f"E{i}", "credit_code": "", "firm_name": f"第{i}号化工有限公司",
               "firm_missing": False, "product_id": "bdo", "team": "第一小分队", "district": "", "leader": "",
               "contact_person": "联系人", "contact_phone": "", "priority": "A", "remarks": "", "stage": "接洽",
               "stage_date": "2023-09-05", "note": "", "next_step": "月底上门拜访，带去园区用地和蒸汽价格资料",
               "problem": "", "events": 1} for i in range(80)]
    xlsx = write_call_list(states, tmp_path / "联系清单.xlsx", "乌海市投资促进局")
    pages, sizes = to_pdf(xlsx, "联系清单(打印)", tmp_path)
    check(pages, sizes, [c.value for c in load_workbook(xlsx)["联系清单(打印)"][1]])
    b = bulletin(parse_period("2023-07"), [], [], [], [], tracking_settings())
    xlsx = write_bulletin(b, tmp_path / "通报.xlsx", "乌海市投资促进局")
    ws = load_workbook(xlsx)["通报(打印)"]
    assert ws.page_setup.orientation == "landscape" and ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"
