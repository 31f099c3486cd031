"""Firm identity across reloads: the credit code when known, else the data's enterprise_id.

Tracking creates a `Firm` row the first time it refers to a firm of the current data. After a
reload, `sync_firms` matches every tracked firm to the new data (credit code first); a firm the data
no longer has is kept and flagged (`missing_since`), never deleted.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from django.db import transaction

from queries.errors import InputError
from queries.names import Names, firm_names
from tracking import credit_code
from tracking.audit import apply_changes, record
from tracking.errors import UnknownReference
from tracking.models import Firm


@dataclass
class FirmIndex:
    """The current data's firms: enterprise_id -> (credit code, name), credit code -> enterprise_id."""

    by_id: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_code: dict[str, str] = field(default_factory=dict)
    products: set[str] = field(default_factory=set)
    names: Names | None = None  # full and short names, matched as people type them (queries.names)

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> FirmIndex:
        firms = tables["enterprises"]
        codes = firms["credit_code"] if "credit_code" in firms else pd.Series("", index=firms.index)
        codes = codes.fillna("").astype(str).str.strip().str.upper()
        ids = firms["enterprise_id"].astype(str)
        by_id = dict(zip(ids, zip(codes, firms["name"].astype(str))))
        by_code = {c: i for c, i in zip(codes, ids) if c}
        return cls(by_id, by_code, set(tables["products"]["product_id"]) if "products" in tables else set(),
                   firm_names(firms) if len(firms) else None)


def firm_for(identifier: str, index: FirmIndex, user=None) -> Firm:
    """The tracked firm named by a key, an enterprise_id or a credit code; created from the current
    data on first reference. Unknown everywhere: UnknownReference (unknown-firm)."""
    text = (identifier or "").strip()
    kind, _, value = text.partition(":") if text.startswith(("uscc:", "id:")) else ("", "", text)
    code = value.upper() if kind == "uscc" or (not kind and credit_code.is_valid(value)) else ""
    eid = value if kind != "uscc" else index.by_code.get(code, "")
    found = (Firm.objects.filter(credit_code=code).first() if code else None) or \
        (Firm.objects.filter(enterprise_id=eid).first() if eid else None)
    if found:
        return found
    if code and code in index.by_code:
        eid = index.by_code[code]
    if eid not in index.by_id and not code and index.names is not None:
        eid = _named(index.names, text)
    if eid in index.by_id:
        data_code, name = index.by_id[eid]
        with transaction.atomic():
            firm = Firm.objects.create(enterprise_id=eid, credit_code=credit_code.normalise(data_code), name=name)
            record(user, "create", firm, firm.key, {"enterprise_id": eid, "credit_code": firm.credit_code, "name": name})
        return firm
    raise UnknownReference(f"当前数据中没有企业“{text}”", f"no firm '{text}' in the current data", field="firm",
                           value=text, code="unknown-firm")


def _named(names: Names, text: str) -> str:
    """The enterprise_id a full or short name means; unknown: the closest names, as a tracking error."""
    try:
        return names.resolve(text)
    except InputError as e:
        raise UnknownReference(e.zh, e.en, field="firm", value=text, code=e.code) from None


def sync_firms(index: FirmIndex, user=None, today: dt.date | None = None) -> dict[str, int]:
    """Match every tracked firm to the current data; flag those gone, unflag those back.

    Returns counts: matched, updated (id, code or name changed), missing (newly flagged), back.
    """
    today = today or dt.date.today()
    counts = {"matched": 0, "updated": 0, "missing": 0, "back": 0}
    with transaction.atomic():
        for firm in Firm.objects.all():
            eid = index.by_code.get(firm.credit_code) if firm.credit_code else None
            if eid is None and firm.enterprise_id in index.by_id:
                data_code = index.by_id[firm.enterprise_id][0]
                eid = firm.enterprise_id if not firm.credit_code or not data_code else None
            if eid is None:
                if firm.missing_since is None:
                    firm.missing_since = today
                    firm.save()
                    record(user, "flag", firm, firm.key, {"missing_since": today})
                    counts["missing"] += 1
                continue
            data_code, name = index.by_id[eid]
            changes = apply_changes(firm, {"enterprise_id": eid, "name": name, "missing_since": None,
                                           "credit_code": firm.credit_code or credit_code.normalise(data_code)})
            counts["matched"] += 1
            if changes:
                counts["back" if "missing_since" in changes else "updated"] += 1
                firm.save()
                record(user, "update", firm, firm.key, changes)
    return counts
