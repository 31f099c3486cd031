"""Checks every tracking write passes: dates (none in the future), money, stages, priority, phone.

Each returns the clean value or raises a `TrackingError` with a stable code.

>>> parse_date("2023/9/5")
datetime.date(2023, 9, 5)
>>> money("10.00")
Decimal('10.00')
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from tracking.errors import InvalidValue, StageBackwards

DATE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")
PHONE = re.compile(r"^\+?[\d\s()（）-]{7,20}(转\d{1,6})?$")
PRIORITY_SPELLINGS = {"a": "A", "b": "B", "c": "C", "本季度": "本季度", "this quarter": "本季度", "q": "本季度"}


def parse_date(value: str | dt.date | None, field: str = "date", today: dt.date | None = None,
               required: bool = True) -> dt.date | None:
    """A calendar date, not after today (an event or a payment cannot have happened yet)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidValue("日期为空", "date is empty", field=field, code="bad-date")
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = str(value).strip()
        m = DATE.match(text)
        try:
            value = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
        except ValueError:
            value = None
        if value is None:
            raise InvalidValue(f"“{text}”不是有效日期（YYYY-MM-DD）", f"'{text}' is not a date (YYYY-MM-DD)",
                               field=field, value=text, code="bad-date")
    if value > (today or dt.date.today()):
        raise InvalidValue(f"日期 {value} 晚于今天", f"date {value} is in the future", field=field, value=value,
                           code="future-date")
    return value


def money(value: str | float | Decimal | None, field: str = "amount", required: bool = True) -> Decimal | None:
    """A non-negative amount in 亿元."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidValue("金额为空", "amount is empty", field=field, code="bad-money")
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise InvalidValue(f"金额“{value}”不是数字", f"amount '{value}' is not a number", field=field, value=value,
                           code="bad-money") from None
    if not amount.is_finite():
        raise InvalidValue(f"金额“{value}”不是数字", f"amount '{value}' is not a number", field=field, value=value,
                           code="bad-money")
    if amount < 0:
        raise InvalidValue(f"金额 {value} 为负数", f"amount {value} is negative", field=field, value=value,
                           code="negative-money")
    return amount


def stage(value: str, stages: list[str]) -> str:
    value = (value or "").strip()
    if value not in stages:
        raise InvalidValue(f"阶段“{value}”不在阶段列表（{' → '.join(stages)}）中",
                           f"stage '{value}' is not one of {' -> '.join(stages)}", field="stage", value=value,
                           code="bad-stage")
    return value


def stage_order(new: str, last: str | None, note: str, stages: list[str]) -> None:
    """Going back (e.g. 洽谈 → 接洽) is allowed only with a note saying why."""
    if last and stages.index(new) < stages.index(last) and not note.strip():
        raise StageBackwards(f"阶段从“{last}”退回“{new}”，请在说明中写明原因",
                             f"stage goes back from '{last}' to '{new}': give a note saying why",
                             field="stage", value=new, code="stage-backwards")


def priority(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    found = PRIORITY_SPELLINGS.get(text.lower())
    if not found:
        raise InvalidValue(f"优先级“{text}”应为 A / B / C / 本季度", f"priority '{text}' must be A, B, C or 本季度",
                           field="priority", value=text, code="bad-priority")
    return found


def phone(value: str | None) -> str:
    text = (value or "").strip()
    if text and not PHONE.match(text):
        raise InvalidValue(f"电话“{text}”不是有效号码", f"phone '{text}' is not a phone number", field="phone",
                           value=text, code="bad-phone")
    return text
