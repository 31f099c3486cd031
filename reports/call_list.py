"""A team's call list (whom to call, where each stands) as .xlsx (full and print sheets) or .csv."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from loaders.book import Book
from loaders.output import unsupported_kind
from loaders.spreadsheet import write_csv, write_sheet
from reports.print_sheet import add_print_sheets

COLUMNS = {"priority": "优先级 / priority", "firm_name": "企业 / firm", "product_id": "环节 / link",
           "team": "小分队 / team", "leader": "包联领导 / leader", "contact_person": "联系人 / contact",
           "contact_phone": "联系电话 / phone", "stage": "阶段 / stage", "stage_date": "日期 / date",
           "next_step": "下一步 / next step", "problem": "困难问题 / problems", "remarks": "备注 / remarks"}


def call_list_frame(states: list[dict[str, Any]], with_phones: bool = False) -> pd.DataFrame:
    columns = [c for c in COLUMNS if with_phones or c != "contact_phone"]
    frame = pd.DataFrame([{COLUMNS[c]: s[c] for c in columns} for s in states], columns=[COLUMNS[c] for c in columns])
    flag = [("（企业已不在当前数据中）" if s["firm_missing"] else "") for s in states]
    frame[COLUMNS["firm_name"]] = frame[COLUMNS["firm_name"]] + pd.Series(flag, dtype=object)
    return frame


def write_call_list(states: list[dict[str, Any]], path: str | Path, bureau: str, with_phones: bool = False,
                    data_date: str | None = None) -> Path:
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise unsupported_kind(path, ".xlsx/.csv")
    full = call_list_frame(states, with_phones)
    if path.suffix.lower() == ".csv":
        return write_csv(full, path)
    with Book(path) as book:
        write_sheet(book, "联系清单", full)
        paper = pd.DataFrame({
            "优先级 / priority": full[COLUMNS["priority"]], "企业·环节 / firm, link": full[COLUMNS["firm_name"]] + "·"
            + full[COLUMNS["product_id"]], "小分队 / team": full[COLUMNS["team"]],
            "联系人 / contact": full[COLUMNS["contact_person"]] + (" " + full[COLUMNS["contact_phone"]] if with_phones else ""),
            "阶段 / stage": full[COLUMNS["stage"]] + " " + full[COLUMNS["stage_date"]],
            "下一步 / next step": full[COLUMNS["next_step"]], "困难问题 / problems": full[COLUMNS["problem"]]})
        add_print_sheets(book, "联系清单(打印)", paper, bureau, data_date or dt.date.today().isoformat(),
                         widths={"优先级 / priority": 8, "企业·环节 / firm, link": 30, "小分队 / team": 14,
                                 "联系人 / contact": 16, "阶段 / stage": 16, "下一步 / next step": 24,
                                 "困难问题 / problems": 22})
    return path
