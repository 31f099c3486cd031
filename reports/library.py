"""The target-enterprise library (目标企业库) as .xlsx, .csv or .json.

The workbook has the full sheet (one row per firm, filterable), a print sheet (7 columns, A4
landscape) and 说明. Tracking columns (priority, teams, stage) are filled only from the `tracking`
rows passed in (the CLI passes them with --with-tracking).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from loaders.book import Book
from loaders.output import unsupported_kind, writing
from loaders.spreadsheet import write_csv, write_sheet
from reports.print_sheet import add_print_sheets

SHEET = "目标企业库"
PRINT_SHEET = "目标企业库(打印)"


def link_text(link: dict[str, Any]) -> str:
    """'BDO（龙头；现代煤化工、可降解材料）'."""
    return f"{link['product_name']}（{link['role_zh']}；{'、'.join(link['chain_names'])}）"


def library_frame(rows: list[dict[str, Any]], tracking: Mapping[str, list[dict[str, Any]]] | None = None) -> pd.DataFrame:
    """The full sheet; `tracking` maps enterprise_id to that firm's assignment states."""
    tracking = tracking or {}
    out = []
    for r in rows:
        states = tracking.get(r["enterprise_id"], [])
        out.append({
            "企业 / firm": r["name"], "简称 / short name": r["short_name"], "企业编号 / id": r["enterprise_id"],
            "省份 / province": r["province"], "城市 / city": r["city"], "位置 / where": r["locality_zh"],
            "标签 / tags": "、".join(r["tags"]), "最高得分 / best score": r["best_score"],
            "可补环节数 / links": r["link_count"], "可补环节 / links it could fill": "；".join(map(link_text, r["links"])),
            "涉及产业链 / chains": "、".join(r["chain_names"]), "推荐理由 / reasons": r["reason_zh"],
            "优先级 / priority": r["priority"],
            "负责小分队 / teams": "、".join(dict.fromkeys(s["team"] for s in states if s["team"])),
            "进展 / stage": "；".join(f"{s['stage']} {s['stage_date']}" for s in states if s["stage"]),
        })
    return pd.DataFrame(out, columns=["企业 / firm", "简称 / short name", "企业编号 / id", "省份 / province",
                                      "城市 / city", "位置 / where", "标签 / tags", "最高得分 / best score",
                                      "可补环节数 / links", "可补环节 / links it could fill", "涉及产业链 / chains",
                                      "推荐理由 / reasons", "优先级 / priority", "负责小分队 / teams", "进展 / stage"])


def print_frame(full: pd.DataFrame) -> pd.DataFrame:
    """Seven columns for paper."""
    return pd.DataFrame({
        "企业 / firm": full["企业 / firm"], "所在地 / where": full["省份 / province"] + full["城市 / city"],
        "标签 / tags": full["标签 / tags"], "得分 / score": full["最高得分 / best score"],
        "可补环节 / links": full["可补环节 / links it could fill"], "优先级 / priority": full["优先级 / priority"],
        "小分队·进展 / team, stage": (full["负责小分队 / teams"] + " " + full["进展 / stage"]).str.strip(),
    })


WIDTHS = {"可补环节 / links it could fill": 60, "推荐理由 / reasons": 60}  # the full sheet's long columns
PRINT_WIDTHS = {"企业 / firm": 24, "所在地 / where": 12, "标签 / tags": 16, "得分 / score": 7,
                "可补环节 / links": 45, "优先级 / priority": 7, "小分队·进展 / team, stage": 18}


def notes_frame() -> pd.DataFrame:
    return pd.DataFrame([
        ("一企一行 / one row per firm", "缺链清单中同一企业可能出现在多个环节、多条链上；目标企业库每家企业只列一次，"
         "列出它可补的全部环节（产品），每个环节注明角色（龙头/配套）和所属产业链"),
        ("最高得分 / best score", "该企业在各环节得分中的最高值；得分规则见目标企业清单的“说明”"),
        ("优先级 / priority", "由招商局在跟踪记录中设定（A / B / C / 本季度），加 --with-tracking 时写出"),
        ("数据 / data", "内置数据为公开信息整理的演示数据；正式名单请用模板导入"),
    ], columns=["项目 / item", "说明 / meaning"])


def write_library(rows: list[dict[str, Any]], path: str | Path, bureau: str = "", data_date: str | None = None,
                  tracking: Mapping[str, list[dict[str, Any]]] | None = None,
                  rows_per_sheet: int | None = None) -> Path:
    """Write the library as .xlsx (full, print and notes sheets), .csv (UTF-8 with BOM) or .json."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv", ".xlsx"):
        raise unsupported_kind(path, ".xlsx/.csv/.json")
    full = library_frame(rows, tracking)
    if suffix == ".json":
        payload = [dict(r, tracking=(tracking or {}).get(r["enterprise_id"], [])) if tracking else r for r in rows]
        with writing(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    elif suffix == ".csv":
        write_csv(full, path)
    else:
        extra = {"rows_per_sheet": rows_per_sheet} if rows_per_sheet else {}
        with Book(path) as book:
            write_sheet(book, SHEET, full, widths=WIDTHS)
            add_print_sheets(book, PRINT_SHEET, print_frame(full), bureau, data_date or dt.date.today().isoformat(),
                             widths=PRINT_WIDTHS, **extra)
            write_sheet(book, "说明", notes_frame(), widths={"说明 / meaning": 90})
    return path
