"""Assignments (target firm and link → team) and the append-only outreach events.

These functions need `tracking.db.open_tracking` first; tests/test_tracking.py has worked examples.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass

from django.db import transaction

from queries.library import PRIORITY_ORDER

from tracking import checks
from tracking.audit import apply_changes, record
from tracking.errors import InvalidValue, UnknownReference
from tracking.firms import FirmIndex, firm_for
from tracking.models import Assignment, Event
from tracking.people import team as team_named
from tracking.settings import tracking_settings


def _check_product(product_id: str, index: FirmIndex) -> str:
    product_id = (product_id or "").strip()
    if product_id and index.products and product_id not in index.products:
        raise UnknownReference(f"当前数据中没有产品“{product_id}”", f"no product '{product_id}' in the current data",
                               field="product", value=product_id, code="unknown-product")
    return product_id


def find_assignment(firm: str, product_id: str, index: FirmIndex) -> Assignment | None:
    f = firm_for(firm, index)
    return Assignment.objects.filter(firm=f, product_id=(product_id or "").strip()).first()


def assign(user, firm: str, index: FirmIndex, product_id: str = "", team: str | None = None,
           leader: str | None = None, contact_person: str | None = None, contact_phone: str | None = None,
           priority: str | None = None, remarks: str | None = None) -> tuple[Assignment, dict]:
    """Create or update the assignment of (firm, link); only the fields given change.

    Returns the assignment and the changes made ({field: (old, new)}; empty when nothing changed).
    """
    product_id = _check_product(product_id, index)
    values = {}
    if team is not None:
        values["team"] = team_named(team) if team.strip() else None
    for name, value, check in (("leader", leader, str.strip), ("contact_person", contact_person, str.strip),
                               ("contact_phone", contact_phone, checks.phone), ("priority", priority, checks.priority),
                               ("remarks", remarks, str.strip)):
        if value is not None:
            values[name] = check(value)
    with transaction.atomic():
        f = firm_for(firm, index, user)
        a = Assignment.objects.filter(firm=f, product_id=product_id).first()
        if a is None:
            a = Assignment(firm=f, product_id=product_id)
            changes = apply_changes(a, values)
            a.save()
            record(user, "create", a, a.key, {k: v[1] for k, v in changes.items()})
            return a, changes
        changes = apply_changes(a, values)
        if changes:
            a.save()
            record(user, "update", a, a.key, changes)
    return a, changes


def event_key(assignment: Assignment, date: dt.date, stage: str, note: str, next_step: str, problem: str,
              activity: str) -> str:
    """The default idempotency key: the same event logged twice is stored once."""
    text = "\x1f".join([assignment.key, str(date), stage, note, next_step, problem, activity])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def log_event(user, assignment: Assignment, date, stage: str, note: str = "", next_step: str = "",
              problem: str = "", activity: str = "", idempotency_key: str | None = None, source: str = "cli",
              settings: dict | None = None, today: dt.date | None = None) -> tuple[Event, bool]:
    """Append an outreach event; (event, False) when its idempotency key was seen before.

    Validated: the stage is in the bureau's list, no date in the future, going back a stage needs a
    note, the activity (if any) is in the list.
    """
    s = (settings or tracking_settings())["tracking"]
    stage = checks.stage(stage, s["stages"])
    date = checks.parse_date(date, today=today)
    note, next_step, problem, activity = (x.strip() for x in (note, next_step, problem, activity))
    if activity and activity not in s["activities"]:
        raise InvalidValue(f"工作方式“{activity}”应为 {' / '.join(s['activities'])}",
                           f"activity '{activity}' must be one of {', '.join(s['activities'])}", field="activity",
                           value=activity, code="bad-activity")
    key = idempotency_key or event_key(assignment, date, stage, note, next_step, problem, activity)
    with transaction.atomic():
        seen = Event.objects.filter(idempotency_key=key).first()
        if seen:
            return seen, False
        last = assignment.events.order_by("-date", "-id").first()
        checks.stage_order(stage, last.stage if last else None, note, s["stages"])
        e = Event.objects.create(assignment=assignment, date=date, stage=stage, activity=activity, note=note,
                                 next_step=next_step, problem=problem, recorded_by=user, source=source,
                                 idempotency_key=key)
        record(user, "create", e, assignment.key, {"date": date, "stage": stage, "note": note, "source": source})
    return e, True


@dataclass(frozen=True)
class AssignmentState:
    """What a team sees of one assignment: who, how to reach them, where it stands."""

    key: str
    enterprise_id: str
    credit_code: str
    firm_name: str
    firm_missing: bool
    product_id: str
    team: str
    district: str
    leader: str
    contact_person: str
    contact_phone: str
    priority: str
    remarks: str
    stage: str
    stage_date: str
    note: str
    next_step: str
    problem: str
    events: int

    def to_json(self) -> dict:
        return asdict(self)


def state_of(a: Assignment, on: dt.date | None = None) -> AssignmentState:
    """The assignment with its latest event (up to `on`, when given)."""
    events = a.events.all() if on is None else a.events.filter(date__lte=on)
    last = events.order_by("-date", "-id").first()
    return AssignmentState(
        key=a.key, enterprise_id=a.firm.enterprise_id, credit_code=a.firm.credit_code, firm_name=a.firm.name,
        firm_missing=a.firm.missing_since is not None, product_id=a.product_id, team=a.team.name if a.team else "",
        district=a.team.district.name if a.team and a.team.district else "", leader=a.leader,
        contact_person=a.contact_person, contact_phone=a.contact_phone, priority=a.priority, remarks=a.remarks,
        stage=last.stage if last else "", stage_date=str(last.date) if last else "", note=last.note if last else "",
        next_step=last.next_step if last else "", problem=last.problem if last else "", events=events.count())


def status(team: str | None = None, on: dt.date | None = None) -> list[AssignmentState]:
    """Every assignment (of one team, when given), priority first, then firm name: the call list."""
    qs = Assignment.objects.select_related("firm", "team", "team__district")
    if team:
        qs = qs.filter(team=team_named(team))
    states = [state_of(a, on) for a in qs]
    return sorted(states, key=lambda s: (PRIORITY_ORDER.get(s.priority, 4), s.firm_name, s.product_id))


def states_by_key(with_phones: bool = False) -> dict[str, dict]:
    """Every assignment's state as plain dicts keyed by row key, for the workbook writers; contact
    phones are blanked unless asked for."""
    out = {}
    for s in status():
        d = s.to_json()
        if not with_phones:
            d["contact_phone"] = ""
        out[s.key] = d
    return out
