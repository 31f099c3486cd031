"""The audit trail: one record per change, who and when, written in the change's transaction."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tracking.models import AuditRecord


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return getattr(value, "name", value) if hasattr(value, "pk") else value


def record(user, action: str, obj, key: str, changes: dict[str, tuple[Any, Any]] | dict[str, Any]) -> AuditRecord:
    """Record `changes` ({field: (old, new)} for an update, {field: value} for a create)."""
    plain = {k: [_plain(v[0]), _plain(v[1])] if isinstance(v, tuple) else _plain(v) for k, v in changes.items()}
    return AuditRecord.objects.create(user=user, username=getattr(user, "username", ""), action=action,
                                      model=type(obj).__name__, object_key=key, changes=plain)


def apply_changes(obj, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set the fields whose value differs; return {field: (old, new)} for those."""
    changed = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = (old, new)
            setattr(obj, field, new)
    return changed
