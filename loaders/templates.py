"""Input templates for planners: one CSV per table and one XLSX with a sheet per table, empty or
filled with the current data (`tables`), so a planner extends the data instead of starting blank.

Each template has the Chinese header, a comment row explaining every column and one example row.
Both extra rows start with '#' in the first cell, so the loader skips them: a planner who forgets
to delete the example does not load a made-up firm. Data rows follow them.

>>> [row[0] for row in template_rows(TABLES[1])]
['产业链编号', '# 说明 / note: 唯一编号 / unique id', '# 示例 / example: degradable']
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from loaders.export import readable
from loaders.output import save_workbook
from loaders.spreadsheet import is_formula_like, write_csv
from loaders.tables import TABLES, Table

XLSX_NAME = "chainkg_template.xlsx"


def template_rows(table: Table) -> list[list[str]]:
    header = [c.label for c in table.columns]
    notes = [c.note for c in table.columns]
    example = [c.example for c in table.columns]
    notes[0] = f"# 说明 / note: {notes[0]}"
    example[0] = f"# 示例 / example: {example[0]}"
    return [header, notes, example]


def template_paths(folder: str | Path) -> list[Path]:
    """The files `write_templates(folder)` writes."""
    folder = Path(folder)
    return [folder / f"{t.name}.csv" for t in TABLES] + [folder / XLSX_NAME]


def _filled(table: Table, tables: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """The comment rows, then the table's rows as a planner would type them, under the Chinese header."""
    header, *comments = template_rows(table)
    rows = pd.DataFrame(comments, columns=header, dtype=object)
    if tables is None:
        return rows
    data = readable(table.name, tables[table.name]).astype(object)
    data.columns = header
    return pd.concat([rows, data.where(data.notna(), None)], ignore_index=True)


def write_templates(folder: str | Path, tables: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write `<table>.csv` (UTF-8 with BOM, opens cleanly in Excel) per table and one XLSX; with
    `tables` (e.g. `loaders.load()[0]`), their rows under the comment rows. The files written."""
    paths = template_paths(folder)
    for table, path in zip(TABLES, paths):
        write_csv(_filled(table, tables), path, option="DIR")
    write_xlsx_template(paths[-1], tables)
    return paths


def write_xlsx_template(path: Path, tables: dict[str, pd.DataFrame] | None = None) -> Path:
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
        frame = _filled(table, tables)
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append(list(row))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"  # text, never a formula
        for i, col in enumerate(table.columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.fill = head
            cell.font = Font(bold=True)
            cell.comment = Comment(f"{col.id}: {col.note}" + ("（必填 / required）" if col.required else ""), "chainkg")
            ws.column_dimensions[get_column_letter(i)].width = max(14, len(col.label) * 2 + 4)
            for r in (2, 3):
                ws.cell(row=r, column=i).font = grey
        ws.freeze_panes = "A2"
    return save_workbook(wb, path, option="DIR")
