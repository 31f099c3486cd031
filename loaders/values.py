"""Numbers and dates as people type them, read from the distinct cells of a column.

Numbers: full-width digits and signs (`１２３`, `－５`), thousands separators (`1,234`, `1，234`,
`1 234`: groups of three only, so `1,23` is not a number), a full-width decimal point, an
exponent, and a unit written after the number (`20万吨`, `30，000吨/年`), returned as text for the
caller to convert (see `loaders.units`). `%` is returned as a unit like any other; no number column
holds a share, so it is refused there. Dates: `2023-09-01`, `2023/9/1`, `2023.9`, `2023年9月`,
`2023年9月1日`, `20230901`, `2023`, with a time of midnight after them (Excel's date cells), and a
five-digit Excel serial number (20000–80000, i.e. 1954–2119: what WPS gives for a date typed in a
cell formatted as text); four-digit numbers are years. They are stored as `YYYY`, `YYYY-MM` or
`YYYY-MM-DD`, keeping the precision written.

Each function works on an array of distinct cells (see `loaders.columns.per_value`); the plain
cases go through pandas' C parser first, so only odd cells reach Python.

>>> n, u, ok = read_numbers(np.array(["5", "1,234.5", "２０万吨", "inf", "x"], dtype=object))
>>> n.tolist(), u.tolist(), ok.tolist()
([5.0, 1234.5, 20.0, inf, nan], ['', '', '万吨', '', ''], [True, True, True, False, False])
>>> read_dates(np.array(["2023年9月", "2023/09/01", "45170", "2023-02-30"], dtype=object)).tolist()
['2023-09', '2023-09-01', '2023-09-01', None]
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

NUMBER = re.compile(r"([+-]?)\s*(\d{1,3}(?:[,\s]\d{3})+|\d+)?(?:\.(\d+))?(?:e([+-]?\d+))?\s*([^\d\s.,+-].*)?",
                    re.IGNORECASE | re.DOTALL)
DATE = re.compile(r"(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月)?|\s*年)?"
                  r"(?:[\sT]+0{1,2}:00(?::00(?:\.0+)?)?)?")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
SERIAL_RANGE = (20000, 80000)
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
YEARS = (1900, 2100)


def _typed(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def _one_number(text: str) -> tuple[float, str]:
    m = NUMBER.fullmatch(_typed(text))
    if not m or not (m.group(2) or m.group(3)):
        return float("nan"), ""
    sign, whole, frac, exp, unit = m.groups()
    whole = re.sub(r"[,\s]", "", whole or "0")
    return float(f"{sign}{whole}.{frac or '0'}e{exp or '0'}"), (unit or "").strip()


def read_numbers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each (distinct, non-empty) cell: its number (NaN when none), the unit written after it
    ('' when none) and whether it is a usable finite number."""
    number = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    unit = np.full(len(values), "", dtype=object)
    odd = np.flatnonzero(np.isnan(number))
    for i in odd:
        number[i], unit[i] = _one_number(values[i])
    return number, unit, np.isfinite(number)


def _date(text: str) -> str | None:
    t = _typed(text)
    if (m := SERIAL.fullmatch(t)) and SERIAL_RANGE[0] <= int(m.group(1)) <= SERIAL_RANGE[1]:
        return (EXCEL_EPOCH + dt.timedelta(days=int(m.group(1)))).isoformat()
    m = COMPACT_DATE.fullmatch(t) or DATE.fullmatch(t)
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    if not YEARS[0] <= year <= YEARS[1] or (month is not None and not 1 <= month <= 12):
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def read_dates(values: np.ndarray) -> np.ndarray:
    """Each (distinct, non-empty) cell as `YYYY[-MM[-DD]]`, or None when it is not a date."""
    return np.array([_date(v) for v in values], dtype=object)
