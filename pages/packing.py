"""Lists of records packed by column for a page's embedded JSON: keys written once, repeated strings once.

At a million firms the target map carries about 40,000 targets whose product names and reasons
repeat; as plain dicts they weigh 16 MB. Packed, the keys are written once, the `dictionary`
columns hold an index into their distinct values, and the `split` columns (text made of parts, like
a reason "龙头企业；生产X；上市公司") hold a list of indices into their distinct parts. The page
unpacks them with the few lines of `unpack` in its script (the same shape).

>>> p = pack([{"a": 1, "r": "甲；乙"}, {"a": 2, "r": "甲"}], dictionary=("a",), split={"r": "；"})
>>> p
{'columns': ['a', 'r'], 'rows': [[0, [0, 1]], [1, [0]]], 'dicts': {'a': [1, 2], 'r': ['甲', '乙']}, 'split': {'r': '；'}}
>>> unpack(p) == [{"a": 1, "r": "甲；乙"}, {"a": 2, "r": "甲"}]
True
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def pack(records: Sequence[Mapping[str, Any]], dictionary: Iterable[str] = (),
         split: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Column names, one row (list) per record, the distinct values of the `dictionary` columns and
    the distinct parts of the `split` columns (column -> separator), both in first-seen order."""
    split = dict(split or {})
    columns = list(dict.fromkeys(k for r in records for k in r))
    index: dict[str, dict[Any, int]] = {c: {} for c in [*dictionary, *split] if c in columns}
    rows = []
    for r in records:
        row = []
        for c in columns:
            value = r.get(c)
            if c in split:
                value = [index[c].setdefault(part, len(index[c])) for part in str(value or "").split(split[c])]
            elif c in index:
                value = index[c].setdefault(value, len(index[c]))
            row.append(value)
        rows.append(row)
    return {"columns": columns, "rows": rows, "dicts": {c: list(v) for c, v in index.items()},
            "split": {c: s for c, s in split.items() if c in columns}}


def unpack(packed: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The records back (what the page's script does)."""
    columns, dicts, split = packed["columns"], packed["dicts"], packed["split"]

    def value(c: str, v: Any) -> Any:
        if c in split:
            return split[c].join(dicts[c][i] for i in v)
        return dicts[c][v] if c in dicts else v

    return [{c: value(c, v) for c, v in zip(columns, row)} for row in packed["rows"]]
