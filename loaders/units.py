"""The small unit table: which units a number cell may carry and how they convert.

A unit is an optional Chinese multiplier (千, 万, 亿, ...), a base unit (吨, 元, 台, km, GW ...)
and an optional period (/年, /日, /h). Two units convert when their bases measure the same thing
and their periods agree; a unit written without a period takes the column's (`20万吨` in a 吨/年
column is 200,000 吨/年), but 吨/日 never becomes 吨/年 (a plant's days in a year are unknown).
A bare multiplier counts the column's own base unit: `5000万` in a 亿元 column is 0.5 亿元.

>>> factor(parse("万吨"), parse("吨/年"))
10000.0
>>> factor(parse("万元"), parse("亿元"))
0.0001
>>> factor(parse("台"), parse("万吨/年")) is None
True
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MULTIPLIERS = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8}

# base spelling (lower case) -> (what it measures, size in that measure's reference unit)
BASES: dict[str, tuple[str, float]] = {
    "吨": ("mass", 1.0), "t": ("mass", 1.0), "公斤": ("mass", 1e-3), "kg": ("mass", 1e-3), "克": ("mass", 1e-6),
    "元": ("money", 1.0),
    "米": ("length", 1.0), "m": ("length", 1.0), "公里": ("length", 1e3), "km": ("length", 1e3),
    "平方米": ("area", 1.0), "m2": ("area", 1.0), "㎡": ("area", 1.0),
    "立方米": ("volume", 1.0), "m3": ("volume", 1.0), "方": ("volume", 1.0),
    "nm3": ("gas", 1.0), "标方": ("gas", 1.0), "标立方米": ("gas", 1.0),
    "瓦": ("power", 1.0), "w": ("power", 1.0), "kw": ("power", 1e3), "mw": ("power", 1e6), "gw": ("power", 1e9),
    "瓦时": ("energy", 1.0), "wh": ("energy", 1.0), "kwh": ("energy", 1e3), "mwh": ("energy", 1e6),
    "gwh": ("energy", 1e9), "twh": ("energy", 1e12),
    "°": ("angle", 1.0), "度": ("angle", 1.0),
    **{count: (count, 1.0) for count in ("台", "辆", "套", "件", "片", "只", "座", "个", "块", "条", "根", "克拉")},
}
PERIODS = {"年": "year", "a": "year", "yr": "year", "y": "year", "日": "day", "天": "day", "d": "day",
           "小时": "hour", "时": "hour", "h": "hour"}


@dataclass(frozen=True)
class Unit:
    """`measure` None is a bare multiplier (`万`): so many of whatever the column counts."""
    measure: str | None
    size: float  # multiplier times base size
    base_size: float  # base size alone (吨 for 万吨/年)
    period: str | None


def key(text: str) -> str:
    """Units compare after NFKC, without spaces, in lower case: '万吨 / 年' = '万吨/年', 'T/A' = 't/a'."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def parse(text: str) -> Unit | None:
    """The unit a text names, or None when it is not in the table (`%`, `吨以上`, `Nm3/h` is in it).

    >>> parse("万吨/年")
    Unit(measure='mass', size=10000.0, base_size=1.0, period='year')
    """
    k = key(text)
    base, _, period = k.partition("/")
    if not base or (period and period not in PERIODS):
        return None
    per = PERIODS.get(period)
    if base in MULTIPLIERS:
        return Unit(None, MULTIPLIERS[base], 1.0, per)
    for prefix in sorted(MULTIPLIERS, key=len, reverse=True) + [""]:
        if base.startswith(prefix) and base[len(prefix):] in BASES:
            measure, size = BASES[base[len(prefix):]]
            return Unit(measure, MULTIPLIERS.get(prefix, 1.0) * size, size, per)
    return None


def factor(source: Unit | None, target: Unit | None) -> float | None:
    """What a number in `source` units is multiplied by to be in `target` units; None when they do not
    convert (different measures or periods, or either unit unknown)."""
    if source is None or target is None or target.measure is None:
        return None
    if source.period is not None and source.period != target.period:
        return None
    if source.measure is None:
        return source.size * target.base_size / target.size
    if source.measure != target.measure:
        return None
    return source.size / target.size
