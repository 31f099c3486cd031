"""Empty input templates for planners: one CSV per table and one XLSX with a sheet per table.

Each template has the Chinese header, a comment row explaining every column and one example row.
Both extra rows start with '#' in the first cell, so the loader skips them: a planner who forgets
to delete the example does not load a made-up firm.
"""
from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from loaders.tables import TABLES, Table

XLSX_NAME = "chainkg_template.xlsx"


def template_rows(table: Table) -> list[list[str]]:
    header = [c.label for c in table.columns]
    notes = [c.note for c in table.columns]
    example = [c.example for c in table.columns]
    notes[0] = f"# 说明 / note: {notes[0]}"
    example[0] = f"# 示例 / example: {example[0]}"
    return [header, notes, example]


def write_templates(folder: str | Path) -> list[Path]:
    """Write `<table>.csv` (UTF-8 with BOM, opens cleanly in Excel) per table and one XLSX."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        path = folder / f"{table.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(template_rows(table))
        written.append(path)
    written.append(write_xlsx_template(folder / XLSX_NAME))
    return written


def write_xlsx_template(path: Path) -> Path:
    wb = Workbook()
    guide = wb.active
    guide.title = "说明"
    guide.append(["乌海产业链知识图谱 数据模板 / chainkg data template"])
    guide.append(["每个工作表对应一张表；第1行为表头，以 # 开头的行不会被读取。"
                  " / One sheet per table; row 1 is the header; rows starting with # are not read."])
    guide.append(["表 / sheet", "内容 / content"])
    for table in TABLES:
        guide.append([table.label, table.name])
    grey = Font(italic=True, color="808080")
    head = PatternFill("solid", fgColor="DDEBF7")
    for table in TABLES:
        ws = wb.create_sheet(table.label)
        for row in template_rows(table):
            ws.append(row)
        for i, col in enumerate(table.columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.fill = head
            cell.font = Font(bold=True)
            cell.comment = Comment(f"{col.id}: {col.note}" + ("（必填 / required）" if col.required else ""), "chainkg")
            ws.column_dimensions[get_column_letter(i)].width = max(14, len(col.label) * 2 + 4)
            for r in (2, 3):
                ws.cell(row=r, column=i).font = grey
        ws.freeze_panes = "A2"
    wb.save(path)
    return path
