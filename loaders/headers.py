"""Match a table's headers, as a planner wrote them, to its columns; name the nearest for the rest.

A header matches a column when it is, after `key`, the column's id, its Chinese label or
`标签(id)`. A header that matches nothing is never dropped silently: the nearest spelling of a
column not already matched is proposed when the two keys are similar enough (difflib's ratio
≥ `CUTOFF`: `龙头` → `龙头企业` is 0.67, `企业名` → `企业名称` 0.86, `capacty` → `capacity` 0.93,
while `负责人` or `联系电话` match nothing in the firm table).

>>> from loaders.tables import TABLES_BY_NAME
>>> m = match_headers(TABLES_BY_NAME["enterprises"], ["企业编号", "企业名", "龙头", "联系电话"])
>>> m.columns, [(u.header, u.nearest) for u in m.unknown]
({'企业编号': 'enterprise_id'}, [('企业名', 'name'), ('龙头', 'leader'), ('联系电话', None)])
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field

from loaders.clean import REMOVED
from loaders.tables import Table

CUTOFF = 0.6


def key(header: str) -> str:
    """Headers compare after NFKC (full-width brackets and letters), without spaces or invisible
    characters, in lower case: '企业名称（name）' = '企业名称(name)'."""
    return "".join(REMOVED.sub("", unicodedata.normalize("NFKC", header)).split()).lower()


def spellings(table: Table) -> dict[str, str]:
    """Each accepted header key and the column it names."""
    return {key(s): col.id for col in table.columns for s in (col.id, col.label, f"{col.label}({col.id})")}


@dataclass(frozen=True)
class Unknown:
    header: str
    nearest: str | None  # a column id, when one is close


@dataclass
class HeaderMatch:
    columns: dict[str, str] = field(default_factory=dict)  # header as written -> column id
    unknown: list[Unknown] = field(default_factory=list)
    repeated: dict[str, list[str]] = field(default_factory=dict)  # column id -> its headers, when > 1


def match_headers(table: Table, headers: list[str]) -> HeaderMatch:
    """Which column each header names; the unknown ones with their nearest column; columns named by
    more than one header (`企业名称` and `name`), for the caller to refuse."""
    known = spellings(table)
    m = HeaderMatch()
    for h in headers:
        if key(h) in known:
            m.columns[h] = known[key(h)]
    named: dict[str, list[str]] = {}
    for h, c in m.columns.items():
        named.setdefault(c, []).append(h)
    m.repeated = {c: hs for c, hs in named.items() if len(hs) > 1}
    free = {k: c for k, c in known.items() if c not in named}
    for h in headers:
        if h not in m.columns:
            close = difflib.get_close_matches(key(h), list(free), n=1, cutoff=CUTOFF)
            m.unknown.append(Unknown(h, free[close[0]] if close else None))
    return m
