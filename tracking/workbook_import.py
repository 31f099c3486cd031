"""`track import`: read the team columns of a target workbook the tool wrote back into tracking.

Rows are matched by the hidden key column, not by position, so a team may sort, filter, delete
other columns and add rows. A row is *changed* when its team columns differ from what the tool
wrote (the hidden as-written column). A change is applied when nobody else changed that entry
since the workbook was written; when another user did, and the values differ, the row is a
conflict: reported, nothing merged. Two rows of one file with the same key and different edits
are a conflict too. Importing a file twice changes nothing (each event carries an idempotency key
made from the row key and the progress text).

read = changed + unchanged + rejected, always; every rejected row is reported with file, row,
column and reason, as the loaders do.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from openpyxl import load_workbook

from loaders.validate import Rejection
from reports.team_columns import (BASE_HEADER, CONTACT, FIELDS, KEY_HEADER, PHONE, PROGRESS, REMARKS, TEAM,
                                  header_key, render_progress)
from tracking import checks
from tracking.errors import InvalidValue, TrackingError
from tracking.firms import FirmIndex, firm_for
from tracking.keys import split_row_key
from tracking.models import Assignment, AuditRecord, Event
from tracking.outreach import assign, log_event, state_of
from tracking.settings import tracking_settings

DATE_IN_TEXT = re.compile(r"^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*")


@dataclass
class ImportReport:
    file: str
    read: int = 0
    changed: int = 0
    unchanged: int = 0
    events_added: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({r.row for r in self.rejections})

    @property
    def conflicts(self) -> list[Rejection]:
        return [r for r in self.rejections if r.reason_en.startswith("conflict")]

    def lines(self) -> list[str]:
        out = [f"{self.file}：读取 {self.read} 行 = 导入 {self.changed} + 未变 {self.unchanged} + 拒绝 {self.rejected}"
               f"（新增进展 {self.events_added} 条） / read {self.read} = imported {self.changed} + unchanged "
               f"{self.unchanged} + rejected {self.rejected} ({self.events_added} events added)"]
        return out + [f"拒绝 / rejected: {r.line()}" for r in self.rejections]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_progress(text: str, stages: list[str]) -> tuple[str, str, str]:
    """'接洽 2023-09-05 电话沟通' -> (stage, date text or '', note). The stage must lead."""
    stage = next((s for s in sorted(stages, key=len, reverse=True) if text.startswith(s)), None)
    if stage is None:
        raise InvalidValue(f"进展“{text}”应以阶段开头（{' / '.join(stages)}），如“接洽 2023-09-05 电话沟通”",
                           f"progress '{text}' must start with a stage ({', '.join(stages)}), e.g. '接洽 2023-09-05 note'",
                           field=PROGRESS, value=text, code="bad-stage")
    rest = text[len(stage):].strip()
    m = DATE_IN_TEXT.match(rest)
    return stage, (m[1] if m else ""), (rest[m.end():] if m else rest).strip()


def _progress_key(key: str, text: str) -> str:
    return hashlib.sha256(f"workbook\x1f{key}\x1f{text}".encode("utf-8")).hexdigest()[:40]


def _find_sheet(wb):
    for ws in wb.worksheets:
        headers = {header_key(c.value): c.column for c in ws[1] if c.value is not None}
        if header_key(KEY_HEADER) in headers:
            return ws, headers
    raise InvalidValue("工作簿中找不到隐藏的“键”列：请用本工具写出的目标企业清单（不要删除隐藏列）",
                       "no hidden key column in the workbook: import a target list the tool wrote "
                       "(do not delete the hidden columns)", field=KEY_HEADER, code="no-key-column")


def _others_changed(a: Assignment | None, user, since: dt.datetime | None) -> bool:
    if a is None:
        return False
    records = AuditRecord.objects.filter(object_key=a.key).exclude(username=user.username)
    return records.filter(at__gt=since).exists() if since else records.exists()


def import_workbook(path: str | Path, user, index: FirmIndex, settings: dict | None = None,
                    today: dt.date | None = None) -> ImportReport:
    """Import the team columns of `path` as `user`; see the module docstring for the rules."""
    s = settings or tracking_settings()
    stages = s["tracking"]["stages"]
    path = Path(path)
    report = ImportReport(path.name)
    ws, headers = _find_sheet(load_workbook(path, data_only=True))
    present = [c for c in (TEAM, CONTACT, PROGRESS, REMARKS, PHONE) if header_key(c) in headers]
    rows: dict[str, list[tuple[int, dict[str, str], dict]]] = {}
    for r in range(2, ws.max_row + 1):
        key = _text(ws.cell(r, headers[header_key(KEY_HEADER)]).value)
        if not key:
            continue
        report.read += 1
        mine = {c: _text(ws.cell(r, headers[header_key(c)]).value) for c in present}
        try:
            base = json.loads(ws.cell(r, headers[header_key(BASE_HEADER)]).value or "{}") \
                if header_key(BASE_HEADER) in headers else {}
        except (TypeError, ValueError):
            base = {}
        rows.setdefault(key, []).append((r, mine, base))

    def reject(r: int, column: str, value: str, zh: str, en: str) -> None:
        report.rejections.append(Rejection("track", path.name, r, column, value, zh, en))

    def edits(mine: dict[str, str], base: dict) -> dict[str, str]:
        return {c: v for c, v in mine.items() if v != _text(base.get(FIELDS[c], ""))}

    for key, copies in rows.items():
        # A (firm, link) on several chains has several rows: only the edited ones count, and they must agree.
        edited_copies = [(r, mine, base) for r, mine, base in copies if edits(mine, base)]
        if len({json.dumps(edits(m, b), sort_keys=True) for _, m, b in edited_copies}) > 1:
            for rr, _, _ in edited_copies:
                reject(rr, KEY_HEADER, key, f"同一企业环节（{key}）在本文件中有多行且填写不一致，请只改一行",
                       f"conflict: rows with the same key {key} in this file disagree; edit one")
            report.unchanged += len(copies) - len(edited_copies)
            continue
        r, mine, base = (edited_copies or copies)[0]
        report.unchanged += len(copies) - 1
        edited = edits(mine, base)
        if not edited:
            report.unchanged += 1
            continue
        firm, product = split_row_key(key)
        try:
            f = firm_for(firm, index, user)
        except TrackingError as e:
            reject(r, KEY_HEADER, key, e.zh, e.en)
            continue
        a = Assignment.objects.filter(firm=f, product_id=product).first()
        theirs = state_of(a).to_json() if a else {}
        current = {TEAM: theirs.get("team", ""), CONTACT: theirs.get("contact_person", ""),
                   PROGRESS: render_progress(theirs), REMARKS: theirs.get("remarks", ""),
                   PHONE: theirs.get("contact_phone", "")}
        pending = {c: v for c, v in edited.items() if v != current[c]
                   and not (c == PROGRESS and Event.objects.filter(idempotency_key=_progress_key(key, v)).exists())}
        if not pending:
            report.unchanged += 1
            continue
        since = dt.datetime.fromisoformat(base["at"]) if base.get("at") else None
        if _others_changed(a, user, since):
            column = next(iter(pending))
            reject(r, column, pending[column],
                   f"冲突：写出此表后，其他人已修改该条（现为“{current[column]}”），未导入；请下载最新清单后再填",
                   f"conflict: someone else changed this entry after the workbook was written (now "
                   f"'{current[column]}'); not imported, download the current list and edit that")
            continue
        try:
            with transaction.atomic():
                updates = {FIELDS[c]: v for c, v in pending.items() if c != PROGRESS}
                a, _ = assign(user, firm, index, product_id=product, **updates)
                if PROGRESS in pending:
                    stage, date, note = parse_progress(pending[PROGRESS], stages)
                    when = checks.parse_date(date, field=PROGRESS, today=today) if date else (today or dt.date.today())
                    _, added = log_event(user, a, when, stage, note=note, source="workbook", settings=s, today=today,
                                         idempotency_key=_progress_key(key, pending[PROGRESS]))
                    report.events_added += int(added)
        except TrackingError as e:
            column = {"team": TEAM, "contact_phone": PHONE, "phone": PHONE, "remarks": REMARKS}.get(e.field, PROGRESS)
            reject(r, column, e.value, e.zh, e.en)
            continue
        report.changed += 1
    return report
