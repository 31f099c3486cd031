"""Tables packed by column for a page's data: keys written once, repeated texts once, empty lists left out.

A national site carries about 50,000 gaps and 50,000 targets; as lists of dicts their keys, the
firm and product names and the reasons repeat in every record. Packed, a table is its columns
(`cols`: one list of values per column, all of the same length `n`); a column named in `codes`
holds indices into its own few distinct values (`codes[column]`: a kind, a role, a province), a
column named in `text` references into the data file's one list of distinct texts (`Texts`:
names), a column named in `sparse` only its non-empty list values as [row, value] pairs, and a
column named in `reason` the packed reasons of `pages.reasons`, with the ending its sentences
close with. The page scripts
read tables through `chainkgPacked.records` (lib/packed.js), which gives back the records.

>>> texts = Texts()
>>> t = table([{"id": "a", "province": "北京市", "tags": []}, {"id": "b", "province": "北京市", "tags": ["上市"]}],
...           texts, text=("province", "tags"), sparse=("tags",))
>>> t, texts.values  # doctest: +NORMALIZE_WHITESPACE
({'n': 2, 'cols': {'id': ['a', 'b'], 'province': [0, 0], 'tags': [[1, [1]]]}, 'codes': {}, 'text': ['province', 'tags'],
  'sparse': ['tags'], 'reason': {}}, ['北京市', '上市'])
>>> table([{"role": "leader"}, {"role": "supporting"}, {"role": "leader"}], texts, codes=("role",))["cols"]
{'role': [0, 1, 0]}
>>> records(t, texts.values) == [{"id": "a", "province": "北京市", "tags": []}, {"id": "b", "province": "北京市", "tags": ["上市"]}]
True
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pages.reasons import intern, render


class Texts:
    """The distinct texts of one data file, each written once; `ref` gives a text's index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[str] = []

    def ref(self, text: Any) -> int:
        """The index of `text` (None reads as ""), added on first use."""
        at = self.index.get(text)
        if at is None:
            text = "" if text is None else str(text)
            at = self.index.get(text)
            if at is None:
                at = self.index[text] = len(self.values)
                self.values.append(text)
        return at


def table(rows: Sequence[Mapping[str, Any]], texts: Texts, text: Iterable[str] = (), sparse: Iterable[str] = (),
          reason: Mapping[str, str] | None = None, columns: Sequence[str] | None = None,
          codes: Iterable[str] = ()) -> dict[str, Any]:
    """`rows` (dicts with the same keys; `columns` when there may be none) packed by column: `text`
    columns (a string or a list of strings per row) as references into `texts`, `sparse` columns
    (a list per row, mostly empty) as [row, list] pairs of the rows with one, `reason` columns
    (symbolic reasons of `pages.reasons`, column -> the ending of its sentences) interned, `codes`
    columns (one of a few values per row) as indices into their distinct values."""
    text, sparse, coded = list(text), list(sparse), list(codes)
    names = list(columns if columns is not None else (rows[0] if rows else ()))
    cols: dict[str, list[Any]] = {}
    distinct: dict[str, list[Any]] = {}
    for c in names:
        values = [r[c] for r in rows]
        if c in coded:
            index: dict[Any, int] = {}
            values = [index.setdefault(v, len(index)) for v in values]
            distinct[c] = list(index)
        if reason and c in reason:
            values = [intern(v, texts.ref) for v in values]
        if c in text:
            values = [[texts.ref(x) for x in v] if isinstance(v, (list, tuple)) else texts.ref(v) for v in values]
        if c in sparse:
            values = [[i, v] for i, v in enumerate(values) if v]
        cols[c] = values
    return {"n": len(rows), "cols": cols, "codes": distinct, "text": [c for c in names if c in text],
            "sparse": [c for c in names if c in sparse], "reason": dict(reason or {})}


def records(packed: Mapping[str, Any], texts: Sequence[str], templates: list[list[Any]] = ()) -> list[dict[str, Any]]:
    """The rows of a packed table back, reasons written out with the data's `templates` (what
    `chainkgPacked.records` does in the page)."""
    n, cols = packed["n"], packed["cols"]
    out: list[dict[str, Any]] = [{} for _ in range(n)]
    for c, values in cols.items():
        if c in packed["sparse"]:
            full: list[Any] = [[] for _ in range(n)]
            for i, v in values:
                full[i] = v
            values = full
        if c in packed["codes"]:
            values = [packed["codes"][c][v] for v in values]
        if c in packed["text"]:
            values = [[texts[x] for x in v] if isinstance(v, list) else texts[v] for v in values]
        if c in packed["reason"]:
            values = [render(v, texts.__getitem__, list(templates), packed["reason"][c]) for v in values]
        for r, v in zip(out, values):
            r[c] = v
    return out
