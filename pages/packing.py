"""Lists of records packed by column for a page's embedded JSON: keys written once, repeated strings once.

At 100,000 firms the target map carries about 10,000 targets whose chain names, product names and
reasons repeat; as plain dicts they weigh 5 MB, packed about a third of it. The page unpacks them
with the few lines of `unpack` in its script (the same shape: columns, rows, per-column dictionaries).

>>> p = pack([{"a": 1, "r": "同"}, {"a": 2, "r": "同"}, {"a": 3, "r": "异"}], dictionary=("r",))
>>> p
{'columns': ['a', 'r'], 'rows': [[1, 0], [2, 0], [3, 1]], 'dicts': {'r': ['同', '异']}}
>>> unpack(p) == [{"a": 1, "r": "同"}, {"a": 2, "r": "同"}, {"a": 3, "r": "异"}]
True
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def pack(records: Sequence[dict[str, Any]], dictionary: Iterable[str] = ()) -> dict[str, Any]:
    """Column names, one row (list) per record, and for the `dictionary` columns the distinct
    values in first-seen order with each row holding an index into them."""
    columns = list(dict.fromkeys(k for r in records for k in r))
    coded = [c for c in dictionary if c in columns]
    index: dict[str, dict[Any, int]] = {c: {} for c in coded}
    rows = []
    for r in records:
        row = []
        for c in columns:
            value = r.get(c)
            if c in index:
                value = index[c].setdefault(value, len(index[c]))
            row.append(value)
        rows.append(row)
    return {"columns": columns, "rows": rows, "dicts": {c: list(index[c]) for c in coded}}


def unpack(packed: dict[str, Any]) -> list[dict[str, Any]]:
    """The records back (what the page's script does)."""
    columns, dicts = packed["columns"], packed["dicts"]
    return [{c: (dicts[c][v] if c in dicts else v) for c, v in zip(columns, row)} for row in packed["rows"]]
