"""Tables packed by column for a page's data: keys written once, repeated texts and clauses once, empty
lists left out.

A national site carries about 50,000 gaps and 50,000 targets; as lists of dicts their keys, the
firm and product names and the reasons repeat in every record. Packed, a table is its columns
(`cols`: one list of values per column, all of the same length `n`); a column named in `codes`
holds indices into its own few distinct values (`codes[column]`: a kind, a role, a province), a
column named in `text` references into the data file's one list of distinct texts (`texts`:
names), a column named in `sparse` only its non-empty list values as [row, value] pairs, and a
column named in `reason` packed reasons (`pages.reasons`), with the ending their sentences close
with: a reason is a text reference, or a list of references into the file's `clauses`, each
clause written once (the most used first, so with the shortest numbers) as a text reference or
[template, argument, ...] with text references for names. A `Packer` packs the tables of one data
file; the page scripts read them with `chainkgPacked.records` (lib/packed.js), `records` here.

>>> pk = Packer()
>>> t = pk.table([{"id": "a", "province": "北京市", "tags": []}, {"id": "b", "province": "北京市", "tags": ["上市"]}],
...              text=("province", "tags"), sparse=("tags",))
>>> t  # doctest: +NORMALIZE_WHITESPACE
{'n': 2, 'cols': {'id': ['a', 'b'], 'province': [0, 0], 'tags': [[1, [1]]]}, 'codes': {}, 'text': ['province', 'tags'],
 'sparse': ['tags'], 'reason': {}}
>>> pk.table([{"role": "leader"}, {"role": "supporting"}, {"role": "leader"}], codes=("role",))["cols"]
{'role': [0, 1, 0]}
>>> data = pk.finish({"firms": t})
>>> data["texts"], records(data["firms"], data) == [{"id": "a", "province": "北京市", "tags": []},
...                                                 {"id": "b", "province": "北京市", "tags": ["上市"]}]
(['北京市', '上市'], True)
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pages.reasons import intern_clause, render


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


def _frozen(c: Any) -> Any:
    """A symbolic clause as a dictionary key (its lists as tuples)."""
    return tuple(map(_frozen, c)) if isinstance(c, list) else c


class Packer:
    """The texts and clauses of one data file, and its tables packed with them.

    >>> pk = Packer()
    >>> rows = [{"reason": ["龙头企业", [0, "甲"]]}, {"reason": [[0, "甲"]]}, {"reason": "一句话"}]
    >>> data = pk.finish({"t": pk.table(rows, reason={"reason": ""})})
    >>> data["t"]["cols"]["reason"], data["clauses"], data["texts"]
    ([[1, 0], [0], 2], [[0, 1], 0], ['龙头企业', '甲', '一句话'])
    >>> [r["reason"] for r in records(data["t"], {**data, "templates": [["生产", 0]]})]
    ['龙头企业；生产甲', '生产甲', '一句话']
    """

    def __init__(self) -> None:
        self.texts = Texts()
        self._clause_at: dict[Any, int] = {}
        self._clauses: list[Any] = []
        self._uses: list[int] = []
        self._reason_tables: list[dict[str, Any]] = []

    def reason(self, symbolic: Any) -> Any:
        """A symbolic reason as a text reference (one text) or a list of clause numbers."""
        if not isinstance(symbolic, list):
            return self.texts.ref(symbolic)
        out = []
        for c in symbolic:
            key = _frozen(c)
            at = self._clause_at.get(key)
            if at is None:
                at = self._clause_at[key] = len(self._clauses)
                self._clauses.append(intern_clause(c, self.texts.ref))
                self._uses.append(0)
            self._uses[at] += 1
            out.append(at)
        return out

    def table(self, rows: Sequence[Mapping[str, Any]], text: Iterable[str] = (), sparse: Iterable[str] = (),
              reason: Mapping[str, str] | None = None, columns: Sequence[str] | None = None,
              codes: Iterable[str] = ()) -> dict[str, Any]:
        """`rows` (dicts with the same keys; `columns` when there may be none) packed by column:
        `codes` columns (one of a few values per row) as indices into their distinct values, `text`
        columns (a string or a list of strings per row) as text references, `reason` columns
        (symbolic reasons of `pages.reasons`, column -> the ending of its sentences) as
        `Packer.reason`, `sparse` columns (a list per row, mostly empty) as [row, list] pairs of
        the rows with one."""
        text, sparse, coded = list(text), list(sparse), list(codes)
        names = list(columns if columns is not None else (rows[0] if rows else ()))
        cols: dict[str, list[Any]] = {}
        distinct: dict[str, list[Any]] = {}
        ref = self.texts.ref
        for c in names:
            values = [r[c] for r in rows]
            if c in coded:
                index: dict[Any, int] = {}
                values = [index.setdefault(v, len(index)) for v in values]
                distinct[c] = list(index)
            if reason and c in reason:
                values = [self.reason(v) for v in values]
            if c in text:
                values = [[ref(x) for x in v] if isinstance(v, (list, tuple)) else ref(v) for v in values]
            if c in sparse:
                values = [[i, v] for i, v in enumerate(values) if v]
            cols[c] = values
        packed = {"n": len(rows), "cols": cols, "codes": distinct, "text": [c for c in names if c in text],
                  "sparse": [c for c in names if c in sparse], "reason": dict(reason or {})}
        if packed["reason"]:
            self._reason_tables.append(packed)
        return packed

    def finish(self, tables: Mapping[str, Any]) -> dict[str, Any]:
        """The data file: `tables` with the clauses numbered by use (the most used first) and the
        file's `clauses` and `texts`."""
        order = sorted(range(len(self._clauses)), key=lambda k: -self._uses[k])
        new = [0] * len(order)
        for i, k in enumerate(order):
            new[k] = i
        for packed in self._reason_tables:
            for c in packed["reason"]:
                column = packed["cols"][c]
                for i, v in enumerate(column):
                    if isinstance(v, list):
                        column[i] = [new[k] for k in v]
        return {**tables, "clauses": [self._clauses[k] for k in order], "texts": self.texts.values}


def records(packed: Mapping[str, Any], data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of a packed table back, with the `texts`, `clauses` and `templates` of its data
    file `data` (what `chainkgPacked.records` does in the page)."""
    n, cols, texts = packed["n"], packed["cols"], data["texts"]
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
            values = [render(v, texts.__getitem__, data["templates"], packed["reason"][c], data["clauses"])
                      for v in values]
        for r, v in zip(out, values):
            r[c] = v
    return out
