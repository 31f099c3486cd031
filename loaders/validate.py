"""Validate raw tables against their specs: keep every good row, reject every bad one with a reason.

Checks run per table in dependency order (regions, chains, products, ... projects), each one a
vectorised mask over the frame, so a million-row table costs a few column passes, not a Python
loop. A row may fail several checks; it is rejected once and every reason is reported.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from loaders.columns import canonical, empty as is_empty, normalise_names, positions, resolve, strip, to_number
from loaders.read import ROW, RawTable
from loaders.credit_code import is_valid as valid_credit_code
from queries.errors import Notice
from loaders.tables import (BOOL, CREDIT_CODE, DATE, ENUM, LIST, LIST_SEPARATOR, NUMBER, TABLES, TABLES_BY_NAME, Column,
                            Table)

DATE_PATTERN = r"^\d{4}([-/.]\d{1,2}([-/.]\d{1,2})?)?$"
LIST_SPLIT = re.compile(r"\s*[|;；、]\s*")


@dataclass(frozen=True)
class Rejection:
    table: str
    file: str
    row: int
    column: str
    value: str
    reason_zh: str
    reason_en: str

    def line(self) -> str:
        return (f"{self.file} 第{self.row}行 [{self.column}] {self.reason_zh} / "
                f"{self.file} row {self.row} [{self.column}]: {self.reason_en}")


@dataclass
class TableCount:
    table: str
    file: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0


@dataclass
class LoadReport:
    counts: dict[str, TableCount] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    rejected_rows: dict[str, pd.DataFrame] = field(default_factory=dict)  # original cells + reasons
    warnings: list[Notice] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        return {k: sum(getattr(c, k) for c in self.counts.values()) for k in ("read", "loaded", "rejected")}


def normalise_name(s: pd.Series) -> pd.Series:
    """Compare firm and product names ignoring spaces, case and full-width brackets."""
    return normalise_names(s)


def _header_key(header: str) -> str:
    """Headers compare without case, spaces or full-width brackets: '企业名称（name）' = '企业名称(name)'."""
    return re.sub(r"\s+", "", header).lower().replace("（", "(").replace("）", ")")


def _header_map(table: Table, headers: list[str]) -> dict[str, str]:
    """Map the headers as written (English id, Chinese label or '标签 (id)') to column ids."""
    known = {_header_key(spelling): col.id for col in table.columns
             for spelling in (col.id, col.label, f"{col.label}({col.id})")}
    keys = {h: _header_key(h) for h in headers}
    return {h: known[k] for h, k in keys.items() if k in known}


class _Checker:
    """Collects the reasons for one table; `bad` marks rows rejected so far."""

    def __init__(self, raw: RawTable, frame: pd.DataFrame, cache: dict[str, dict[str, int] | None] | None = None):
        self.raw, self.frame = raw, frame
        self.positions = {} if cache is None else cache  # table -> {id: row position}, shared across tables
        self.bad = pd.Series(False, index=frame.index)
        self.codes: dict[str, np.ndarray | None] = {}  # ref column -> row's position in the target table
        self.found: list[Rejection] = []

    def reject(self, mask: pd.Series, column: str, zh: str, en: str, values: pd.Series | None = None,
               extra: pd.Series | None = None) -> None:
        """Reject the rows in `mask`; `{v}` in the reasons is the cell value, `{w}` the `extra` value."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        self.bad |= mask
        rows = self.frame.loc[mask, ROW]
        vals = (values if values is not None else self.frame.get(column, pd.Series("", index=self.frame.index)))
        vals = vals[mask].astype(str)
        extras = extra[mask].astype(str) if extra is not None else [""] * len(vals)
        t = self.raw.table.name
        self.found.extend(Rejection(t, self.raw.file, int(r), column, v, zh.format(v=v, w=w), en.format(v=v, w=w))
                          for r, v, w in zip(rows, vals, extras))


def _check_cells(ck: _Checker, table: Table, missing: list[str]) -> None:
    """Required values, numbers, choices and dates, column by column."""
    f = ck.frame
    for col in table.columns:
        s = f[col.id]
        empty = is_empty(s)
        if col.required and col.id not in missing:
            ck.reject(empty, col.id, "必填项为空", "required value is empty")
        if col.kind == NUMBER:
            num = to_number(s)
            ck.reject(~empty & num.isna(), col.id, "“{v}”不是有效数字", "'{v}' is not a number")
            if col.minimum is not None:
                ck.reject(num < col.minimum, col.id, f"“{{v}}”小于允许的最小值 {col.minimum:g}",
                          f"'{{v}}' is below the minimum {col.minimum:g}")
            if col.maximum is not None:
                ck.reject(num > col.maximum, col.id, f"“{{v}}”大于允许的最大值 {col.maximum:g}",
                          f"'{{v}}' is above the maximum {col.maximum:g}")
            f[col.id] = num
        elif col.kind in (ENUM, BOOL):
            canon = canonical(s, {k.lower(): v for k, v in col.choices.items()})
            allowed = " / ".join(dict.fromkeys(col.choices.values()).keys()) if col.kind == ENUM else "是 / 否"
            ck.reject(~empty & canon.isna(), col.id, f"“{{v}}”不是允许的取值（{allowed}）",
                      f"'{{v}}' is not one of the allowed values ({allowed})")
            f[col.id] = canon.where(~empty, False if col.kind == BOOL else col.default)
            if col.kind == BOOL:
                f[col.id] = f[col.id].fillna(False).astype(bool)
            else:
                f[col.id] = f[col.id].fillna("").astype(str)
        elif col.kind == DATE:
            ck.reject(~empty & ~s.str.match(DATE_PATTERN), col.id, "“{v}”不是有效日期（YYYY-MM 或 YYYY-MM-DD）",
                      "'{v}' is not a date (YYYY-MM or YYYY-MM-DD)")
            f[col.id] = s.str.replace(r"[/.]", "-", regex=True)
        elif col.kind == CREDIT_CODE:
            code = s.str.upper()
            distinct = pd.unique(code[~empty])
            bad = [c for c in distinct if not valid_credit_code(c)]  # checked once per distinct code
            ck.reject(~empty & code.isin(bad), col.id,
                      "“{v}”不是有效的统一社会信用代码（18位，末位校验码按 GB 32100）",
                      "'{v}' is not a valid unified social credit code (18 characters, GB 32100 check digit)")
            f[col.id] = code
        elif col.kind == LIST:
            f[col.id] = s.str.split(LIST_SPLIT).map(lambda xs: LIST_SEPARATOR.join(x for x in xs if x))


def spellings(clean: dict[str, pd.DataFrame], target: str) -> dict[str, str]:
    """Spellings (exact, and lower-cased) that may name a row of `target`: its id, and for products
    its Chinese name and aliases. Ids win over names."""
    frame = clean[target]
    ids = frame[TABLES_BY_NAME[target].key[0]].tolist()
    lookup: dict[str, str] = {}
    if target == "products":
        for pid, zh, aliases in zip(ids, frame["name_zh"], frame["aliases"]):
            for spelling in [zh, *aliases.split(LIST_SEPARATOR)]:
                if spelling:
                    lookup.setdefault(spelling.lower(), pid)
    lookup.update({i.lower(): i for i in ids})
    lookup.update({i: i for i in ids})
    return lookup


def _resolve_own(ck: _Checker, table: Table, column: str) -> None:
    """A reference into the table's own rows (a region's parent): rejected, like any unknown
    reference, when no row of the file has that id; otherwise rewritten to the id as spelled there.
    Whether that row is itself kept is known only after the other checks (`_check_orphans`)."""
    f, key = ck.frame, table.key[0]
    rows = f.loc[f[key] != ""].drop_duplicates(key)
    s = f[column]
    mapped, _ = resolve(s, rows[key], functools.partial(spellings, {table.name: rows}, table.name))
    ck.reject((s != "") & mapped.isna(), column, f"引用了“{table.label}”表中不存在的“{{v}}”",
              f"refers to '{{v}}', not found in table {table.name}")
    f[column] = mapped.astype(object).where(mapped.notna(), s)


def _check_refs(ck: _Checker, table: Table, clean: dict[str, pd.DataFrame]) -> None:
    """References to the tables validated before (`clean`) and to the table's own rows."""
    f = ck.frame
    for col in table.columns:
        if not col.ref:
            continue
        if col.ref == table.name:
            _resolve_own(ck, table, col.id)
            continue
        target = TABLES_BY_NAME[col.ref].label
        lookup = functools.partial(spellings, clean, col.ref)
        if col.kind == LIST:
            lookup = lookup()
            items = f[col.id].str.split(LIST_SEPARATOR).explode()
            items = items[items != ""]
            mapped = items.map(lambda v: lookup.get(v, lookup.get(v.lower())))
            unknown = mapped.isna()
            bad_rows = unknown.groupby(level=0).any().reindex(f.index, fill_value=False)
            first_bad = items[unknown].groupby(level=0).first().reindex(f.index, fill_value="")
            ck.reject(bad_rows, col.id, f"引用了“{target}”表中不存在的“{{v}}”",
                      f"refers to '{{v}}', not found in table {col.ref}", values=first_bad)
            f[col.id] = mapped.dropna().groupby(level=0).agg(LIST_SEPARATOR.join).reindex(f.index, fill_value="")
            if col.excludes:
                own = items.index.map(f[col.excludes])
                selfish = (mapped == own).groupby(level=0).any().reindex(f.index, fill_value=False)
                ck.reject(selfish, col.id, "不能包含本行的“{w}”（会形成循环）",
                          "must not name the row's own '{w}' (a cycle)", extra=f[col.excludes])
        else:
            s = f[col.id]
            ids = clean[col.ref][TABLES_BY_NAME[col.ref].key[0]]
            if col.ref not in ck.positions:
                ck.positions[col.ref] = positions(ids)
            mapped, ck.codes[col.id] = resolve(s, ids, lookup, ck.positions[col.ref])
            ck.reject((s != "") & mapped.isna(), col.id, f"引用了“{target}”表中不存在的“{{v}}”",
                      f"refers to '{{v}}', not found in table {col.ref}")
            f[col.id] = mapped.astype(object).where(mapped.notna(), s)
            _check_referenced_row(ck, col, clean[col.ref], target)


def _check_referenced_row(ck: _Checker, col: Column, target: pd.DataFrame, target_label: str) -> None:
    """The referenced row's own values: its `ref_match` column must equal this row's (a route of
    this very product), its `ref_kind` column must hold the value asked for (FEEDS joins materials)."""
    pos = ck.codes.get(col.id)
    if pos is None or not (col.ref_match or col.ref_kind):
        return
    f, found = ck.frame, pos >= 0
    if col.ref_match:
        own, theirs = col.ref_match
        value = np.full(len(pos), "", dtype=object)
        value[found] = target[theirs].to_numpy(dtype=object)[pos[found]]
        ck.reject(pd.Series(found & (value != f[own].to_numpy(dtype=object)), index=f.index), col.id,
                  f"“{{v}}”属于“{{w}}”，与本行的{own}不符",
                  f"'{{v}}' belongs to '{{w}}', not to this row's {own}", extra=pd.Series(value, index=f.index))
    if col.ref_kind:
        column, wanted = col.ref_kind
        value = np.full(len(pos), wanted, dtype=object)
        value[found] = target[column].to_numpy(dtype=object)[pos[found]]
        ck.reject(pd.Series(value != wanted, index=f.index), col.id,
                  f"“{{v}}”在“{target_label}”表中是“{{w}}”，此处只接受“{wanted}”",
                  f"'{{v}}' is '{{w}}' in table {target_label}; only '{wanted}' is accepted here",
                  extra=pd.Series(value, index=f.index))


def _repeats(f: pd.DataFrame, values: list[pd.Series], valid: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Among the `valid` rows, those repeating an earlier row's values, and that earlier row's number."""
    sub = pd.DataFrame({i: v[valid] for i, v in enumerate(values)})
    dup = pd.Series(False, index=f.index)
    dup[sub.index] = sub.duplicated(keep="first").to_numpy()
    first = pd.Series(0, index=f.index)
    if dup.any():
        first[sub.index] = f.loc[valid, ROW].groupby([sub[c] for c in sub.columns]).transform("first").to_numpy()
    return dup, first


def _combine(codes: list[np.ndarray], index: pd.Index) -> pd.Series:
    """One integer per row standing for the tuple of its reference positions."""
    key = np.zeros(len(index), dtype=np.int64)
    for c in codes:
        key = key * (int(c.max(initial=-1)) + 2) + (c + 1)
    return pd.Series(key, index=index)


def _check_duplicates(ck: _Checker, table: Table) -> None:
    """Reject a row whose key, or whose name, repeats an earlier kept row."""
    f = ck.frame
    parts = [f[k].astype(str) for k in table.key]
    key_valid = ~is_empty(parts[0]) if len(parts) == 1 else pd.Series(True, index=f.index)
    codes = [ck.codes.get(k) for k in table.key]
    key = [_combine(codes, f.index)] if len(codes) > 1 and all(c is not None for c in codes) else parts
    checks = [("+".join(table.key), key, key_valid, "重复的“{v}”（首次出现在第{w}行）",
               "duplicate '{v}' (first at row {w})")]
    for c in table.unique_names:
        name = normalise_name(f[c].astype(str))
        checks.append((c, [name], ~is_empty(name), "重复的名称“{v}”（首次出现在第{w}行）",
                       "duplicate name '{v}' (first at row {w})"))
    for column, values, valid, zh, en in checks:
        dup, first = _repeats(f, values, ~ck.bad & valid)
        if dup.any():
            if column == "+".join(table.key):
                shown = pd.Series("", index=f.index, dtype=object)
                shown[dup] = parts[0][dup].str.cat([p[dup] for p in parts[1:]], sep=" + ")
            else:
                shown = f[column]
            ck.reject(dup, column, zh, en, values=shown, extra=first.astype(str))


def _given_edges(table: Table, clean: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """Edges of another, already validated table that the cycle check of `table` counts too (a
    route's captive intermediates lead to its product, as FEEDS rows do)."""
    if not table.acyclic_with or table.acyclic_with[0] not in clean:
        return []
    other, sources, target = table.acyclic_with
    rows = clean[other]
    return [(a, b) for xs, b in zip(rows[sources], rows[target]) for a in xs.split(LIST_SEPARATOR) if a]


def _check_acyclic(ck: _Checker, table: Table, given: list[tuple[str, str]] = ()) -> None:
    """Reject, in row order, each edge that would close a cycle among the `given` edges and the
    rows kept so far."""
    src, dst = table.acyclic
    f = ck.frame[~ck.bad]
    f = f[(f[src] != "") & (f[dst] != "")]
    g = nx.DiGraph(list(zip(f[dst], f[src]) if table.name == "regions" else zip(f[src], f[dst])))
    g.add_edges_from(given)
    cyclic = [c for c in nx.strongly_connected_components(g) if len(c) > 1] + \
             [{n} for n in nx.nodes_with_selfloops(g)]
    if not cyclic:
        return
    in_cycle = set().union(*cyclic)
    kept = nx.DiGraph(list(given))
    closing = pd.Series(False, index=ck.frame.index)
    for idx, a, b in zip(f.index, f[src], f[dst]):
        u, v = (b, a) if table.name == "regions" else (a, b)
        if u not in in_cycle or v not in in_cycle:
            continue
        if u == v or (kept.has_node(v) and kept.has_node(u) and nx.has_path(kept, v, u)):
            closing[idx] = True
        else:
            kept.add_edge(u, v)
    ck.reject(closing, f"{src}→{dst}", "“{v}”会形成循环（环路），已拒绝此行", "'{v}' would close a cycle; row rejected",
              values=ck.frame[src].astype(str) + " → " + ck.frame[dst].astype(str))


def _check_orphans(ck: _Checker, table: Table) -> None:
    """Reject each row whose own-table reference names a rejected row, and so on down the chain
    (a park under a district under a rejected city); runs once every other check has run."""
    f, key = ck.frame, table.key[0]
    for col in (c for c in table.columns if c.ref == table.name):
        row_of = dict(zip(f[key][::-1], f[ROW][::-1]))  # each id's first row in the file
        while True:
            orphan = ~ck.bad & (f[col.id] != "") & ~f[col.id].isin(f.loc[~ck.bad, key])
            if not orphan.any():
                break
            ck.reject(orphan, col.id, "引用的“{v}”（第{w}行）已被拒绝", "refers to '{v}' (row {w}), which was rejected",
                      extra=f[col.id].map(row_of).fillna(0).astype(int))


def validate_table(raw: RawTable, clean: dict[str, pd.DataFrame], cache: dict | None = None
                   ) -> tuple[pd.DataFrame, list[Rejection], pd.DataFrame]:
    """Validate one raw table against the clean tables it refers to.

    Returns the clean frame (typed, canonical values, no `_row`), the rejections, and the rejected
    rows as read, with a reason column, for the planner to fix.
    """
    table = raw.table
    headers = [c for c in raw.frame.columns if c != ROW]
    mapping = _header_map(table, headers)
    frame = raw.frame.rename(columns=mapping)
    frame = frame[[ROW, *[c for c in mapping.values()]]].copy()
    ck = _Checker(raw, frame, cache)
    raw.reject_unreadable(ck)  # rows the reader could not read right (loaders.raw)
    missing = [c for c in table.required if c not in frame.columns]
    for col in table.columns:
        if col.id not in frame.columns:
            frame[col.id] = ""
        elif frame[col.id].dtype == object or pd.api.types.is_string_dtype(frame[col.id]):
            frame[col.id] = strip(frame[col.id])
    for col_id in missing:
        ck.reject(pd.Series(True, index=frame.index), col_id,
                  f"缺少必填列“{table.column(col_id).label}”（{col_id}）",
                  f"required column '{col_id}' is missing", values=pd.Series("", index=frame.index))
    _check_cells(ck, table, missing)
    _check_refs(ck, table, clean)
    _check_duplicates(ck, table)
    if table.acyclic:
        _check_acyclic(ck, table, _given_edges(table, clean))
    _check_orphans(ck, table)
    good = frame[~ck.bad].drop(columns=[ROW])[[c.id for c in table.columns]].reset_index(drop=True)
    rejected = raw.frame[ck.bad.values].copy()
    if len(rejected):
        reasons = pd.DataFrame([(r.row, f"[{r.column}] {r.reason_zh} / {r.reason_en}") for r in ck.found],
                               columns=[ROW, "reason"]).groupby(ROW)["reason"].agg("；".join)
        rejected.insert(0, "错误原因 / reason", rejected[ROW].map(reasons))
        rejected.insert(0, "行号 / row", rejected.pop(ROW))
        rejected.insert(0, "文件 / file", raw.file)
    ck.found.sort(key=lambda r: r.row)
    return good, ck.found, rejected


def empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c.id: pd.Series(dtype=float if c.kind == NUMBER else bool if c.kind == BOOL else str)
                         for c in table.columns})


def validate(raws: list[RawTable]) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """Validate all raw tables in dependency order; return clean tables and the load report."""
    by_name: dict[str, list[RawTable]] = {}
    for raw in raws:
        by_name.setdefault(raw.table.name, []).append(raw)
    clean: dict[str, pd.DataFrame] = {}
    cache: dict[str, dict[str, int] | None] = {}  # id positions of clean tables, built once each
    report = LoadReport()
    report.warnings.extend(n for raw in raws for n in raw.notices)  # the reader's warnings (loaders.raw)
    for table in TABLES:
        found = by_name.get(table.name, [])
        if len(found) > 1:
            report.warnings.append(Notice("table-repeated", f"表“{table.label}”出现多次，只读取 {found[0].file}",
                                          f"table {table.name} given more than once; only {found[0].file} was read"))
        if not found:
            clean[table.name] = empty_frame(table)
            report.counts[table.name] = TableCount(table.name, "")
            continue
        raw = found[0]
        good, rejections, rejected = validate_table(raw, clean, cache)
        clean[table.name] = good
        report.counts[table.name] = TableCount(table.name, raw.file, len(raw.frame), len(good), len(raw.frame) - len(good))
        report.rejections.extend(rejections)
        if len(rejected):
            report.rejected_rows[table.name] = rejected
    return clean, report
