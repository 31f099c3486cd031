"""Cell values, column by column: required values, numbers with their units, choices, dates, codes.

The boundary: a bad cell in a required column rejects its row; a bad cell in an optional value
column (a number, a choice, a yes/no, a date, a credit code) is cleared, read as if it were empty
(NaN, "", the column's default), and reported as a `Cleared` record, so the row loads. References
are not checked here: an unknown reference, even an optional one, rejects the row (see
`loaders.validate`), since clearing it would change what the row says (a local firm without its
region becomes a firm elsewhere, and a gap to fill).

Numbers are read as typed (`loaders.values`) and converted to the column's unit (`loaders.units`):
a fixed unit (`Column.unit`, e.g. 亿元) or the row's own (`Column.unit_from`: a capacity in its row's
unit, else its product's). Every check runs on the column's distinct values.
"""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from loaders.units import factor as unit_factor, key as unit_key, parse as parse_unit
from loaders.checker import Checker
from loaders.columns import canonical, empty as is_empty, per_value
from loaders.credit_code import is_valid as valid_credit_code
from loaders.tables import (BOOL, CREDIT_CODE, DATE, ENUM, LIST, LIST_SEPARATOR, NUMBER, TABLES_BY_NAME, Column,
                            Table)
from loaders.values import read_dates, read_numbers

LIST_SPLIT = r"\s*[|｜;；、]\s*"


def _bad(ck: Checker, col: Column, mask: pd.Series, zh: str, en: str, code: str, values: pd.Series,
         extra: pd.Series | None = None) -> pd.Series:
    """Reject the rows (required column) or clear the cells (optional one) in `mask`; returns the
    cells to clear (none for a required column)."""
    if col.required:
        ck.reject(mask, col.id, zh, en, values=values, extra=extra, code=code)
        return pd.Series(False, index=mask.index)
    return ck.clear(mask, col.id, zh, en, code, values=values, extra=extra)


def check_cells(ck: Checker, table: Table, missing: list[str]) -> None:
    """Every column but the references' targets: values read, checked, made canonical."""
    f = ck.frame
    for col in table.columns:
        s = f[col.id]
        empty = is_empty(s)
        if col.required and col.id not in missing:
            ck.reject(empty, col.id, "必填项为空", "required value is empty", code="required-empty")
        if col.kind == NUMBER:
            _read_numbers(ck, col, s, empty)
        elif col.kind in (ENUM, BOOL):
            choices = {unicodedata.normalize("NFKC", k).lower(): v for k, v in col.choices.items()}
            canon = canonical(s, choices)
            allowed = " / ".join(dict.fromkeys(col.choices.values()).keys()) if col.kind == ENUM else "是 / 否"
            _bad(ck, col, ~empty & canon.isna(), f"“{{v}}”不是允许的取值（{allowed}）",
                 f"'{{v}}' is not one of the allowed values ({allowed})", "not-allowed", s)
            f[col.id] = canon.where(canon.notna(), False if col.kind == BOOL else col.default)
            f[col.id] = f[col.id].astype(bool) if col.kind == BOOL else f[col.id].astype(str)
        elif col.kind == DATE:
            dates = pd.Series(per_value(s, read_dates), index=s.index, dtype=object)
            _bad(ck, col, ~empty & dates.isna(), "“{v}”不是有效日期（如 2023-09、2023-09-01、2023年9月）",
                       "'{v}' is not a date (e.g. 2023-09, 2023-09-01)", "not-date", s)
            f[col.id] = dates.where(dates.notna(), "").astype(str)
        elif col.kind == CREDIT_CODE:
            code = pd.Series(per_value(s, lambda u: np.array([unicodedata.normalize("NFKC", c).upper() for c in u],
                                                              dtype=object)), index=s.index)
            distinct = pd.unique(code[~empty])
            wrong = [c for c in distinct if not valid_credit_code(c)]  # checked once per distinct code
            bad = _bad(ck, col, ~empty & code.isin(wrong), "“{v}”不是有效的统一社会信用代码（18位，末位校验码按 GB 32100）",
                       "'{v}' is not a valid unified social credit code (18 characters, GB 32100 check digit)",
                       "bad-credit-code", s)
            f[col.id] = code.where(~bad, "").astype(str)
        elif col.kind == LIST:
            f[col.id] = s.str.split(LIST_SPLIT, regex=True).map(lambda xs: LIST_SEPARATOR.join(x for x in xs if x))


def _read_numbers(ck: Checker, col: Column, s: pd.Series, empty: pd.Series) -> None:
    """The number in each cell, NaN where none; the units written in cells wait in `ck.units` for
    `check_units` (a capacity's unit comes from its product, known once references resolve)."""
    codes, uniques = pd.factorize(s.to_numpy(dtype=object))
    number, unit, finite = read_numbers(np.asarray(uniques, dtype=object)) if len(uniques) else (
        np.array([]), np.array([], dtype=object), np.array([], dtype=bool))
    number, unit, finite = (pd.Series(a[codes], index=s.index) for a in (number, unit, finite))
    not_number = ~empty & number.isna()
    infinite = ~empty & ~not_number & ~finite.astype(bool)
    cleared = _bad(ck, col, not_number, "“{v}”不是有效数字", "'{v}' is not a number", "not-number", s)
    cleared |= _bad(ck, col, infinite, "“{v}”不是有限的数", "'{v}' is not a finite number", "not-finite", s)
    ck.frame[col.id] = number.where(~(cleared | not_number | infinite)).astype(float)
    ck.units[col.id] = (unit.where(~(cleared | not_number | infinite), ""), s)


def _target_units(ck: Checker, col: Column, clean: dict[str, pd.DataFrame], rows: pd.Series) -> pd.Series:
    """The unit each of `rows` (a mask) must be in: the column's, or the row's own, else the referenced row's."""
    f = ck.frame
    if not col.unit_from:
        return pd.Series(col.unit, index=f.index[rows], dtype=object)
    own, ref, theirs = col.unit_from
    target = f.loc[rows, own].astype(str)
    target_table = TABLES_BY_NAME[ck.raw.table.column(ref).ref]
    theirs_unit = clean[target_table.name][theirs]
    pos = ck.codes.get(ref)
    if pos is not None:
        p = pos[rows.to_numpy()]
        referenced = np.where(p >= 0, theirs_unit.to_numpy(dtype=object)[np.maximum(p, 0)], "")
    else:
        units_of = dict(zip(clean[target_table.name][target_table.key[0]], theirs_unit))
        referenced = f.loc[rows, ref].map(units_of).fillna("").to_numpy(dtype=object)
    return target.where(target != "", pd.Series(referenced, index=target.index, dtype=object))


def check_units(ck: Checker, table: Table, clean: dict[str, pd.DataFrame]) -> None:
    """Convert each number written with a unit to its column's unit, then check the bounds.

    A unit not in the table, or one that does not convert (万吨 where the row counts 台, 吨/日 in a
    吨/年 row), loses the cell, naming the unit expected. A capacity written with a unit where neither
    the row nor its product names one keeps its number and gives the row that unit."""
    f = ck.frame
    for col in table.columns:
        if col.id not in ck.units:
            continue
        unit, text = ck.units[col.id]
        has_unit = unit != ""
        if has_unit.any():
            target = _target_units(ck, col, clean, has_unit)
            written = unit[has_unit]
            pairs = pd.MultiIndex.from_arrays([written.map(unit_key), target.map(unit_key)])
            codes, distinct = pd.factorize(pairs)
            verdicts = [_convert(a, b) for a, b in distinct]  # once per distinct (written, target) pair
            factor = pd.Series(np.array([v[0] for v in verdicts], dtype=float)[codes], index=written.index)
            problem = pd.Series(np.array([v[1] for v in verdicts], dtype=object)[codes], index=written.index)
            adopt = problem == "adopt"
            if adopt.any() and col.unit_from:
                f.loc[adopt[adopt].index, col.unit_from[0]] = written[adopt]
            wanted = target.where(target != "", "—")
            for code, zh, en in (
                    ("unit-unknown", "“{v}”中的单位不在单位表中（本列应为“{w}”或可换算的单位）",
                     "the unit in '{v}' is not in the unit table; expected '{w}' or a unit that converts to it"),
                    ("unit-mismatch", "“{v}”中的单位不能换算为“{w}”", "the unit in '{v}' does not convert to '{w}'")):
                mask = (problem == code).reindex(f.index, fill_value=False)
                bad = _bad(ck, col, mask, zh, en, code, text, extra=wanted.reindex(f.index, fill_value=""))
                f.loc[bad, col.id] = np.nan
            converted = f.loc[written.index, col.id] * factor.fillna(1.0)
            f.loc[written.index, col.id] = converted.where(problem.isin(["", "adopt"]), np.nan)
        _check_bounds(ck, col, text)


def _convert(written: str, target: str) -> tuple[float, str]:
    """The factor from the written unit to the target one, and the problem ('' none, 'adopt' when
    there is no target unit to convert to)."""
    if not target:
        unit = parse_unit(written)
        return 1.0, "adopt" if unit is not None and unit.measure is not None else "unit-unknown"
    if written == target:
        return 1.0, ""
    source, goal = parse_unit(written), parse_unit(target)
    if source is None:
        return np.nan, "unit-unknown"
    factor = unit_factor(source, goal)
    return (factor, "") if factor is not None else (np.nan, "unit-mismatch")


def _check_bounds(ck: Checker, col: Column, text: pd.Series) -> None:
    f = ck.frame
    num = f[col.id]
    if col.minimum is not None:
        bad = _bad(ck, col, num < col.minimum, f"“{{v}}”小于允许的最小值 {col.minimum:g}",
                   f"'{{v}}' is below the minimum {col.minimum:g}", "below-minimum", text)
        f.loc[bad, col.id] = np.nan
    if col.maximum is not None:
        bad = _bad(ck, col, num > col.maximum, f"“{{v}}”大于允许的最大值 {col.maximum:g}",
                   f"'{{v}}' is above the maximum {col.maximum:g}", "above-maximum", text)
        f.loc[bad, col.id] = np.nan
