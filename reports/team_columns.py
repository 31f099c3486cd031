"""The team columns of the target workbook (负责小分队 / 联系人 / 进展 / 备注), kept across reruns.

Each row of 目标企业清单 gets two hidden columns: the row's key (firm and link, so an import matches
rows by key, not by position) and what the team columns held when the tool wrote them (so an
import can tell a team's edit from the state it started from). With tracking rows passed in, the
team columns carry the current tracking state, so a rerun never loses an entry.

The same hook adds the 目标企业库 sheet and the print sheets to the workbook. Tracking rows are
plain dicts (`tracking.outreach.AssignmentState.to_json()`), keyed by row key; no Django here.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from openpyxl.workbook import Workbook

from queries.analysis import firm_tracking, target_library
from reports.library import PRINT_WIDTHS, SHEET as LIBRARY_SHEET, library_frame, print_frame
from reports.print_sheet import add_print_sheets
from tracking.keys import row_key
from tracking.settings import tracking_settings

TARGET_SHEET = "目标企业清单"
TEAM = "负责小分队 / team"
CONTACT = "联系人 / contact"
PROGRESS = "进展 / progress"
REMARKS = "备注 / remarks"
PHONE = "联系电话 / phone"
FIELDS = {TEAM: "team", CONTACT: "contact_person", PROGRESS: "progress", REMARKS: "remarks", PHONE: "contact_phone"}
KEY_HEADER = "键 / key（勿改 do not edit）"
BASE_HEADER = "原值 / as written（勿改 do not edit）"
PRINT_TARGETS = "目标企业清单(打印)"


def header_key(text: object) -> str:
    """Headers compare without spaces, case or full-width brackets."""
    return re.sub(r"\s+", "", str(text or "")).lower().replace("（", "(").replace("）", ")")


def render_progress(state: Mapping[str, Any] | None) -> str:
    """'接洽 2023-09-05 电话沟通' from the latest event."""
    if not state or not state.get("stage"):
        return ""
    return " ".join(x for x in (state["stage"], state.get("stage_date", ""), state.get("note", "")) if x)


def team_values(state: Mapping[str, Any] | None, with_phones: bool = False) -> dict[str, str]:
    """The team columns' text for one row, from its tracking state ('' when none)."""
    s = state or {}
    values = {TEAM: s.get("team", ""), CONTACT: s.get("contact_person", ""), PROGRESS: render_progress(s),
              REMARKS: s.get("remarks", "")}
    if with_phones:
        values[PHONE] = s.get("contact_phone", "")
    return values


def credit_codes(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    firms = tables["enterprises"]
    if "credit_code" not in firms:
        return {}
    return {e: c for e, c in zip(firms["enterprise_id"], firms["credit_code"].fillna("").astype(str)) if c}


def target_row_key(t: Mapping[str, Any], codes: Mapping[str, str]) -> str:
    return row_key(t["enterprise_id"], t.get("product_id", t.get("product", "")), codes.get(t["enterprise_id"], ""))


def _with_ids(t: Mapping[str, Any]) -> dict[str, Any]:
    """Targets with the key names of issue 10 (chain_id, product_id), whichever they carry now."""
    d = dict(t)
    d.setdefault("chain_id", d.get("chain"))
    d.setdefault("product_id", d.get("product"))
    return d


def add_team_columns(wb: Workbook, tables: Mapping[str, pd.DataFrame], data: Mapping[str, Any],
                     tracking: Mapping[str, Mapping[str, Any]] | None = None, with_phones: bool = False,
                     bureau: str = "", data_date: str | None = None) -> None:
    """Fill the team columns of 目标企业清单 from `tracking` (row key -> state), add the hidden key
    and as-written columns, then the 目标企业库 sheet and the print sheets."""
    tracking = tracking or {}
    bureau = bureau or tracking_settings()["tracking"]["bureau_name"]
    ws = wb[TARGET_SHEET]
    headers = {header_key(c.value): c.column for c in ws[1]}
    codes = credit_codes(tables)
    targets = [_with_ids(t) for t in data["targets"]]
    written_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    columns = [TEAM, CONTACT, PROGRESS, REMARKS] + ([PHONE] if with_phones else [])
    if with_phones and header_key(PHONE) not in headers:
        headers[header_key(PHONE)] = ws.max_column + 1
        ws.cell(1, headers[header_key(PHONE)], PHONE)
    key_col, base_col = ws.max_column + 1, ws.max_column + 2
    ws.cell(1, key_col, KEY_HEADER)
    ws.cell(1, base_col, BASE_HEADER)
    for i, t in enumerate(targets, start=2):
        key = target_row_key(t, codes)
        values = team_values(tracking.get(key), with_phones)
        for column in columns:
            cell = ws.cell(i, headers[header_key(column)], values[column] or None)
            cell.data_type = "s" if values[column] else cell.data_type
        ws.cell(i, key_col, key).data_type = "s"
        ws.cell(i, base_col, json.dumps({"at": written_at, **{FIELDS[c]: values[c] for c in columns}},
                                        ensure_ascii=False)).data_type = "s"
    for col in (key_col, base_col):
        ws.column_dimensions[ws.cell(1, col).column_letter].hidden = True
    _add_library_and_print(wb, data, targets, tracking, codes, bureau, data_date or dt.date.today().isoformat())


def _add_library_and_print(wb: Workbook, data: Mapping[str, Any], targets: list[dict[str, Any]],
                           tracking: Mapping[str, Mapping[str, Any]], codes: Mapping[str, str], bureau: str,
                           data_date: str) -> None:
    from loaders.spreadsheet import write_sheet

    by_firm, priorities = firm_tracking(list(tracking.values()))
    rows = target_library([_with_ids(g) for g in data["gaps"]], targets, priorities)
    full = library_frame(rows, by_firm)
    position = wb.sheetnames.index(TARGET_SHEET) + 1
    ws = wb.create_sheet(LIBRARY_SHEET, position)
    write_sheet(ws, full, widths={"可补环节 / links it could fill": 60, "推荐理由 / reasons": 60})
    def team_and_stage(t: Mapping[str, Any]) -> str:
        values = team_values(tracking.get(target_row_key(t, codes)))
        return " ".join(x for x in (values[TEAM], values[PROGRESS]) if x)

    per_gap = pd.DataFrame([{
        "产业链·环节 / chain, link": f"{t['chain_name']}·{t['product_name']}",
        "缺口 / gap": t["kind_zh"], "角色 / role": f"{t['role_zh']}{t['rank']}", "企业 / firm": t["name"],
        "所在地 / where": f"{t['province']}{t['city']}", "得分 / score": t["score"],
        "小分队·进展 / team, stage": team_and_stage(t),
    } for t in targets], columns=["产业链·环节 / chain, link", "缺口 / gap", "角色 / role", "企业 / firm",
                                  "所在地 / where", "得分 / score", "小分队·进展 / team, stage"])
    add_print_sheets(wb, PRINT_TARGETS, per_gap, bureau, data_date,
                     widths={"产业链·环节 / chain, link": 30, "缺口 / gap": 7, "角色 / role": 8, "企业 / firm": 30,
                             "所在地 / where": 14, "得分 / score": 7, "小分队·进展 / team, stage": 30})
    add_print_sheets(wb, LIBRARY_SHEET + "(打印)", print_frame(full), bureau, data_date, widths=PRINT_WIDTHS)
