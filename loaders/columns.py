"""Fast whole-column text operations for the reader and the validator.

Cells are Python strings. pandas' `.str` methods call a Python function per cell; here the
string methods themselves (`str.strip`, `dict.get`, ...) are applied over the column's object
array through numpy ufuncs and `map`, which skips that per-cell Python frame and is several times
faster on million-row columns. Every helper returns exactly what its pandas spelling returns.
"""
from __future__ import annotations

import itertools
from typing import Callable

import numpy as np
import pandas as pd

from queries.names import match_keys

_STRIP = np.frompyfunc(str.strip, 1, 1)
_LSTRIP = np.frompyfunc(str.lstrip, 1, 1)
_LOWER = np.frompyfunc(str.lower, 1, 1)
_STARTSWITH = np.frompyfunc(str.startswith, 2, 1)
_REPLACE = np.frompyfunc(str.replace, 3, 1)


def cells(s: pd.Series) -> np.ndarray:
    """The column's cells as an object array of str (as `s.astype(str)`)."""
    return s.astype(str).to_numpy(dtype=object)


def _like(values: np.ndarray, s: pd.Series) -> pd.Series:
    return pd.Series(values, index=s.index, dtype=s.dtype if pd.api.types.is_string_dtype(s) else object,
                     name=s.name)


def strip(s: pd.Series) -> pd.Series:
    """As `s.astype(str).str.strip()`.

    >>> strip(pd.Series([" a", "b\\u3000", ""], dtype=str)).tolist()
    ['a', 'b', '']
    """
    return _like(_STRIP(cells(s)), s.astype(str))


def empty(s: pd.Series) -> pd.Series:
    """As `s == ""`, for a text column."""
    return pd.Series(s.to_numpy(dtype=object) == "", index=s.index)


def comment_or_blank_head(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """For a first column: cells starting with '#' after leading whitespace, and blank cells."""
    lead = _LSTRIP(cells(s))
    return _STARTSWITH(lead, "#").astype(bool), lead == ""


def per_value(s: pd.Series, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """`fn` applied to each distinct cell once, spread back to every row.

    Columns such as status, unit or capacity hold a few distinct values in millions of rows.
    """
    codes, uniques = pd.factorize(cells(s))
    return np.asarray(fn(np.asarray(uniques, dtype=object)))[codes] if len(s) else fn(cells(s))


def to_number(s: pd.Series) -> pd.Series:
    """As `pd.to_numeric(s.str.replace(",", ""), errors="coerce")`.

    >>> to_number(pd.Series(["1,234", "", "x", "5"], dtype=str)).tolist()
    [1234.0, nan, nan, 5.0]
    """
    values = per_value(s, lambda u: pd.to_numeric(_REPLACE(u, ",", ""), errors="coerce"))
    return pd.Series(values, index=s.index, name=s.name, dtype=float)


def canonical(s: pd.Series, choices: dict[str, str]) -> pd.Series:
    """As `s.str.lower().map(choices)`: NaN where the lower-cased cell is not a key.

    >>> canonical(pd.Series(["Y", "n", "?"], dtype=str), {"y": True, "n": False}).tolist()
    [True, False, nan]
    """
    found = per_value(s, lambda u: np.array([choices.get(v, np.nan) for v in _LOWER(u)], dtype=object))
    return pd.Series(found, index=s.index, name=s.name, dtype=object)


def normalise_names(values: pd.Series) -> pd.Series:
    """Names as the look-ups compare them (`queries.names.match_key`: NFKC, full-width punctuation
    and brackets, whitespace, case), once per distinct value.

    >>> normalise_names(pd.Series(["甲（乌海）公司", "甲(乌海) 公司", "ＡＢ"], dtype=str)).tolist()
    ['甲(乌海)公司', '甲(乌海)公司', 'ab']
    """
    return match_keys(values).astype(values.dtype)


def positions(ids: pd.Series) -> dict[str, int] | None:
    """Each id's row position, or None when ids repeat."""
    id_list = ids.tolist()
    found = dict(zip(id_list, itertools.count()))
    return found if len(found) == len(id_list) else None


def resolve(s: pd.Series, ids: pd.Series, lookup: Callable[[], dict[str, str]],
            position: dict[str, int] | None = None) -> tuple[pd.Series, np.ndarray | None]:
    """Map each cell to the id it names: exact ids by hashing, the rest through `lookup()`.

    Returns the ids (None where unknown) and each row's position in `ids` (-1 where unknown), or
    None for the positions when `ids` repeat. `lookup` builds the dict of other spellings (lower
    case, names, aliases) and is only called when some non-empty cell is not an exact id.
    `position` is `positions(ids)`, passed in when several columns refer to the same ids.
    """
    position = positions(ids) if position is None else position
    if position is None:
        table = lookup()
        mapped = s.map(table)
        return mapped.where(mapped.notna(), s.str.lower().map(table)), None
    values = cells(s)
    pos = np.fromiter(map(position.get, values, itertools.repeat(-1)), dtype=np.int64, count=len(values))
    other = (pos < 0) & (values != "")
    if other.any():
        table = lookup()
        rest = s[other]
        found = rest.map(table)
        found = found.where(found.notna(), rest.str.lower().map(table))
        pos[other] = [position.get(x, -1) if isinstance(x, str) else -1 for x in found]
    mapped = np.full(len(values), None, dtype=object)
    known = pos >= 0
    mapped[known] = ids.to_numpy(dtype=object)[pos[known]]
    return pd.Series(mapped, index=s.index, dtype=object), pos
