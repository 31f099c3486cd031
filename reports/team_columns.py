"""The team columns of the target workbook (负责小分队 / 联系人 / 进展 / 备注), kept across reruns.

Each row of 目标企业清单 gets two hidden columns: the row's key (firm and link, so an import matches
rows by key, not by position) and what the team columns held when the tool wrote them (so an
import can tell a team's edit from the state it started from). With tracking rows passed in, the
team columns carry the current tracking state, so a rerun never loses an entry.

`team_sheets` also gives the 目标企业库 sheet and the print sheets of the workbook. Tracking rows are
plain dicts (`tracking.outreach.AssignmentState.to_json()`), keyed by row key; no Django here.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from queries.analysis import firm_tracking, target_library
from reports.library import library_frame
from tracking.keys import row_key

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


def credit_codes(tables: Mapping[str, pd.DataFrame], ids: Collection[str] | None = None) -> dict[str, str]:
    """Enterprise id -> credit code, for the firms that have one (of `ids` only, if given)."""
    firms = tables["enterprises"]
    if "credit_code" not in firms:
        return {}
    if ids is not None:
        firms = firms[firms["enterprise_id"].isin(list(ids))]
    codes = firms["credit_code"].fillna("").astype(str)
    has = (codes != "").to_numpy()
    return dict(zip(firms["enterprise_id"][has].tolist(), codes[has].tolist()))


def target_row_key(t: Mapping[str, Any], codes: Mapping[str, str]) -> str:
    return row_key(t["enterprise_id"], t.get("product_id", t.get("product", "")), codes.get(t["enterprise_id"], ""))


def _with_ids(t: Mapping[str, Any]) -> dict[str, Any]:
    """Targets with the key names of issue 10 (chain_id, product_id), whichever they carry now."""
    d = dict(t)
    d.setdefault("chain_id", d.get("chain"))
    d.setdefault("product_id", d.get("product"))
    return d


HIDDEN = (KEY_HEADER, BASE_HEADER)
PER_GAP_WIDTHS = {"产业链·环节 / chain, link": 30, "缺口 / gap": 7, "角色 / role": 8, "企业 / firm": 30,
                  "所在地 / where": 14, "得分 / score": 7, "小分队·进展 / team, stage": 30}


@dataclass(frozen=True)
class TeamSheets:
    """What the team columns add to the target workbook: `columns` (one row per target, in order:
    the team columns filled from tracking, then the hidden key and as-written columns), the
    目标企业库 sheet (`library`, one row per firm) and the per-gap print sheet (`per_gap`)."""

    columns: pd.DataFrame
    library: pd.DataFrame
    per_gap: pd.DataFrame


def team_sheets(tables: Mapping[str, pd.DataFrame], data: Mapping[str, Any],
                tracking: Mapping[str, Mapping[str, Any]] | None = None, with_phones: bool = False) -> TeamSheets:
    """The team columns of 目标企业清单 for the targets of `data` (`Analysis.to_json()`), filled from
    `tracking` (row key -> state), and the library and per-gap print frames."""
    tracking = tracking or {}
    targets = [_with_ids(t) for t in data["targets"]]
    codes = credit_codes(tables, {t["enterprise_id"] for t in targets})
    keys = [target_row_key(t, codes) for t in targets]
    written_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    names = [TEAM, CONTACT, PROGRESS, REMARKS] + ([PHONE] if with_phones else [])
    values = [team_values(tracking.get(key), with_phones) for key in keys]
    columns = pd.DataFrame({
        **{c: [v[c] for v in values] for c in names}, KEY_HEADER: keys,
        BASE_HEADER: [json.dumps({"at": written_at, **{FIELDS[c]: v[c] for c in names}}, ensure_ascii=False)
                      for v in values]}, columns=[*names, *HIDDEN])
    by_firm, priorities = firm_tracking(list(tracking.values()))
    library = library_frame(target_library([_with_ids(g) for g in data["gaps"]], targets, priorities), by_firm)
    per_gap = pd.DataFrame([{
        "产业链·环节 / chain, link": f"{t['chain_name']}·{t['product_name']}",
        "缺口 / gap": t["kind_zh"], "角色 / role": f"{t['role_zh']}{t['rank']}", "企业 / firm": t["name"],
        "所在地 / where": f"{t['province']}{t['city']}", "得分 / score": t["score"],
        "小分队·进展 / team, stage": " ".join(x for x in (v[TEAM], v[PROGRESS]) if x),
    } for t, v in zip(targets, values)], columns=list(PER_GAP_WIDTHS))
    return TeamSheets(columns, library, per_gap)
