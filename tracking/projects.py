"""The project library (项目库): projects, their status dates, 五个一 fields and dated money entries."""
from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import transaction

from tracking import checks
from tracking.audit import apply_changes, record
from tracking.errors import Duplicate, InvalidValue, UnknownReference
from tracking.firms import FirmIndex, firm_for
from tracking.models import MONEY_KINDS, MoneyEntry, Project
from tracking.people import district as district_named

DATES = ("signed_on", "started_on", "resumed_on", "operating_on")
AMOUNTS = ("total_investment", "agreement_investment")
TEXTS = ("name", "investor_name", "region_id", "park", "leader", "task_force", "plan", "note")
FLAGS = ("key_project", "new_build")
MONEY_KIND_SPELLINGS = {"domestic": "domestic", "国内": "domestic", "国内到位": "domestic", "国内到位资金": "domestic",
                        "foreign": "foreign", "外资": "foreign", "外资到位": "foreign", "外资到位资金": "foreign",
                        "completed": "completed", "完成投资": "completed", "完成": "completed"}


def project(code: str) -> Project:
    found = Project.objects.filter(code=(code or "").strip()).first()
    if not found:
        raise UnknownReference(f"项目库中没有项目“{code}”", f"no project '{code}' in the project library",
                               field="project", value=code, code="unknown-project")
    return found


def _values(fields: dict[str, Any], index: FirmIndex | None, user, today: dt.date | None) -> dict[str, Any]:
    """Validate the given fields into model values."""
    unknown = set(fields) - {*DATES, *AMOUNTS, *TEXTS, *FLAGS, "investor", "products", "district", "plan_year"}
    if unknown:
        raise InvalidValue(f"未知字段：{'、'.join(sorted(unknown))}", f"unknown fields: {', '.join(sorted(unknown))}",
                           field=sorted(unknown)[0], code="unknown-field")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:
            continue
        if name in DATES:
            out[name] = checks.parse_date(value, field=name, today=today, required=False)
        elif name in AMOUNTS:
            out[name] = checks.money(value, field=name, required=False)
        elif name in TEXTS:
            out[name] = str(value).strip()
        elif name in FLAGS:
            out[name] = bool(value)
        elif name == "plan_year":
            out[name] = int(value) if str(value).strip() else None
        elif name == "district":
            out[name] = district_named(value) if str(value).strip() else None
        elif name == "products":
            items = value if isinstance(value, (list, tuple)) else str(value).replace("、", "|").split("|")
            items = [p.strip() for p in items if p.strip()]
            if index and index.products:
                bad = [p for p in items if p not in index.products]
                if bad:
                    raise UnknownReference(f"当前数据中没有产品“{bad[0]}”", f"no product '{bad[0]}' in the current data",
                                           field="products", value=bad[0], code="unknown-product")
            out[name] = "|".join(items)
        elif name == "investor":  # a firm of the data, else recorded as a new investor's name
            text = str(value).strip()
            firm = None
            if text and index is not None:
                try:
                    firm = firm_for(text, index, user)
                except UnknownReference:
                    firm = None
            out["investor_firm"], out["investor_name"] = firm, ("" if firm else text)
    return out


def add_project(user, code: str, name: str, index: FirmIndex | None = None, today: dt.date | None = None,
                **fields: Any) -> Project:
    """A new project; `investor` names a firm of the data (id, credit code) or a new investor."""
    code = (code or "").strip()
    if not code or not (name or "").strip():
        raise InvalidValue("项目编号和名称必填", "project code and name are required", field="code", code="bad-project")
    if Project.objects.filter(code=code).exists():
        raise Duplicate(f"项目“{code}”已存在，请用 project update", f"project '{code}' exists; use project update",
                        field="code", value=code, code="duplicate-project")
    values = _values({"name": name, **fields}, index, user, today)
    with transaction.atomic():
        p = Project(code=code)
        changes = apply_changes(p, values)
        p.save()
        record(user, "create", p, code, {k: v[1] for k, v in changes.items()})
    return p


def update_project(user, code: str, index: FirmIndex | None = None, today: dt.date | None = None,
                   **fields: Any) -> dict:
    """Change the given fields; returns {field: (old, new)}."""
    p = project(code)
    values = _values(fields, index, user, today)
    with transaction.atomic():
        changes = apply_changes(p, values)
        if changes:
            p.save()
            record(user, "update", p, p.code, changes)
    return changes


def add_money(user, code: str, date, kind: str, amount, note: str = "", idempotency_key: str | None = None,
              today: dt.date | None = None) -> tuple[MoneyEntry, bool]:
    """Append a dated money entry (亿元): 国内/外资 到位资金 or 完成投资; (entry, False) if seen before."""
    p = project(code)
    kind_id = MONEY_KIND_SPELLINGS.get((kind or "").strip().lower())
    if not kind_id:
        raise InvalidValue(f"资金类型“{kind}”应为 {' / '.join(z for _, z in MONEY_KINDS)}",
                           f"money kind '{kind}' must be domestic, foreign or completed", field="kind", value=kind,
                           code="bad-money-kind")
    date = checks.parse_date(date, today=today)
    amount = checks.money(amount)
    key = idempotency_key or hashlib.sha256(f"{p.code}\x1f{date}\x1f{kind_id}\x1f{amount}\x1f{note}".encode()
                                            ).hexdigest()[:40]
    with transaction.atomic():
        seen = MoneyEntry.objects.filter(idempotency_key=key).first()
        if seen:
            return seen, False
        m = MoneyEntry.objects.create(project=p, date=date, kind=kind_id, amount=amount, note=note.strip(),
                                      recorded_by=user, idempotency_key=key)
        record(user, "create", m, p.code, {"date": date, "kind": kind_id, "amount": amount})
    return m, True


def list_projects() -> list[dict[str, Any]]:
    """Every project with its money summed by kind (plain rows, for tables and the CLI)."""
    rows = []
    for p in Project.objects.select_related("district", "investor_firm").prefetch_related("money").order_by("code"):
        sums = {k: sum((m.amount for m in p.money.all() if m.kind == k), start=Decimal(0)) for k, _ in MONEY_KINDS}
        rows.append({"code": p.code, "name": p.name,
                     "investor": p.investor_firm.name if p.investor_firm else p.investor_name,
                     "district": p.district.name if p.district else "", "products": p.products,
                     "total_investment": p.total_investment, "agreement_investment": p.agreement_investment,
                     "key_project": p.key_project, "plan_year": p.plan_year, "new_build": p.new_build,
                     **{d: p.__dict__[d] for d in DATES}, "leader": p.leader, "task_force": p.task_force,
                     "plan": p.plan, **{f"money_{k}": v for k, v in sums.items()}})
    return rows
