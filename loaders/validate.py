"""Validate raw tables against their specs: keep every good row, reject every bad one with a reason.

Checks run per table in dependency order (regions, chains, products, ... projects), each one a
vectorised mask over the frame, so a million-row table costs a few column passes, not a Python
loop. A row may fail several checks; it is rejected once and every reason is reported.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from loaders.aliases import ambiguity_key, ambiguous_aliases, names_that_are_ids
from loaders.cells import check_cells, check_units
from loaders.checker import Checker, Cleared, Rejection
from loaders.clean import EXCEL_CELL_LIMIT, clean_characters, shown, too_long
from loaders.columns import empty as is_empty, normalise_names, positions, resolve, strip
from loaders.headers import match_headers
from loaders.read import ROW, RawTable
from queries.codes import REF_ROWS, RefRows
from queries.errors import Notice
from loaders.tables import BOOL, LIST, LIST_SEPARATOR, NUMBER, TABLES, TABLES_BY_NAME, TEXT, Column, Table

_LOWER = np.frompyfunc(str.lower, 1, 1)
_ISASCII = np.frompyfunc(str.isascii, 1, 1)

__all__ = ["Cleared", "LoadReport", "Rejection", "TableCount", "empty_frame", "spellings", "validate"]


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
    cleared: list[Cleared] = field(default_factory=list)  # optional cells that could not be read; rows kept

    @property
    def totals(self) -> dict[str, int]:
        return {k: sum(getattr(c, k) for c in self.counts.values()) for k in ("read", "loaded", "rejected")}


def normalise_name(s: pd.Series) -> pd.Series:
    """Compare firm and product names ignoring spaces, case and full-width brackets."""
    return normalise_names(s)


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


def _resolve_own(ck: Checker, table: Table, column: str) -> None:
    """A reference into the table's own rows (a region's parent): rejected, like any unknown
    reference, when no row of the file has that id; otherwise rewritten to the id as spelled there.
    Whether that row is itself kept is known only after the other checks (`_check_orphans`)."""
    f, key = ck.frame, table.key[0]
    rows = f.loc[f[key] != ""].drop_duplicates(key)
    s = f[column]
    mapped, _ = resolve(s, rows[key], functools.partial(spellings, {table.name: rows}, table.name))
    ck.reject((s != "") & mapped.isna(), column, f"引用了“{table.label}”表中不存在的“{{v}}”",
              f"refers to '{{v}}', not found in table {table.name}", code="unknown-reference")
    f[column] = mapped.astype(object).where(mapped.notna(), s)


def _check_refs(ck: Checker, table: Table, clean: dict[str, pd.DataFrame]) -> None:
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
                      f"refers to '{{v}}', not found in table {col.ref}", values=first_bad, code="unknown-reference")
            f[col.id] = mapped.dropna().groupby(level=0).agg(LIST_SEPARATOR.join).reindex(f.index, fill_value="")
            if col.excludes:
                own = items.index.map(f[col.excludes])
                selfish = (mapped == own).groupby(level=0).any().reindex(f.index, fill_value=False)
                ck.reject(selfish, col.id, "不能包含本行的“{w}”（会形成循环）",
                          "must not name the row's own '{w}' (a cycle)", extra=f[col.excludes], code="names-itself")
        else:
            s = f[col.id]
            ids = clean[col.ref][TABLES_BY_NAME[col.ref].key[0]]
            if col.ref not in ck.positions:
                ck.positions[col.ref] = positions(ids)
            mapped, ck.codes[col.id] = resolve(s, ids, lookup, ck.positions[col.ref])
            ck.reject((s != "") & mapped.isna(), col.id, f"引用了“{target}”表中不存在的“{{v}}”",
                      f"refers to '{{v}}', not found in table {col.ref}", code="unknown-reference")
            f[col.id] = mapped.astype(object).where(mapped.notna(), s)
            _check_referenced_row(ck, col, clean[col.ref], target)


def _check_referenced_row(ck: Checker, col: Column, target: pd.DataFrame, target_label: str) -> None:
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
                  f"'{{v}}' belongs to '{{w}}', not to this row's {own}", extra=pd.Series(value, index=f.index),
                  code="reference-mismatch")
    if col.ref_kind:
        column, wanted = col.ref_kind
        value = np.full(len(pos), wanted, dtype=object)
        value[found] = target[column].to_numpy(dtype=object)[pos[found]]
        ck.reject(pd.Series(value != wanted, index=f.index), col.id,
                  f"“{{v}}”在“{target_label}”表中是“{{w}}”，此处只接受“{wanted}”",
                  f"'{{v}}' is '{{w}}' in table {target_label}; only '{wanted}' is accepted here",
                  extra=pd.Series(value, index=f.index), code="reference-kind")


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


def _loose_ids(s: pd.Series) -> pd.Series:
    """Ids as references match them: ignoring case, and, for ids with non-ASCII characters, width
    and spaces too (`ambiguity_key`); a whole-column ufunc for the usual ASCII ids."""
    values = s.to_numpy(dtype=object)
    out = _LOWER(values)
    wide = ~_ISASCII(values).astype(bool)
    if wide.any():
        out[wide] = [ambiguity_key(v) for v in values[wide]]
    return pd.Series(out, index=s.index, dtype=object)


def _check_duplicates(ck: Checker, table: Table) -> None:
    """Reject a row whose key, or whose name, repeats an earlier kept row; and a row whose id differs
    from an earlier one only in case (`BDO` after `bdo`): a reference could not tell them apart."""
    f = ck.frame
    parts = [f[k].astype(str) for k in table.key]
    key_valid = ~is_empty(parts[0]) if len(parts) == 1 else pd.Series(True, index=f.index)
    codes = [ck.codes.get(k) for k in table.key]
    key = [_combine(codes, f.index)] if len(codes) > 1 and all(c is not None for c in codes) else parts
    key_name = "+".join(table.key)
    checks = [(key_name, key, key_valid, "重复的“{v}”（首次出现在第{w}行）", "duplicate '{v}' (first at row {w})",
               "duplicate-key")]
    if len(parts) == 1:
        checks.append((key_name, [_loose_ids(parts[0])], key_valid,
                       "编号“{v}”与第{w}行的编号只差大小写或全半角，引用时无法区分",
                       "id '{v}' differs from the id at row {w} only in case or width; references could not tell "
                       "them apart", "id-case-duplicate"))
    for c in table.unique_names:
        name = normalise_name(f[c].astype(str))
        checks.append((c, [name], ~is_empty(name), "重复的名称“{v}”（首次出现在第{w}行）",
                       "duplicate name '{v}' (first at row {w})", "duplicate-name"))
    for column, values, valid, zh, en, code in checks:
        dup, first = _repeats(f, values, ~ck.bad & valid)
        if dup.any():
            if column == key_name:
                shown = pd.Series("", index=f.index, dtype=object)
                shown[dup] = parts[0][dup].str.cat([p[dup] for p in parts[1:]], sep=" + ")
            else:
                shown = f[column]
            ck.reject(dup, column, zh, en, values=shown, extra=first.astype(str), code=code)


def _check_aliases(ck: Checker, table: Table) -> None:
    """Drop each product alias that another kept product also answers to, and note each product
    name that is another product's id (`loaders.aliases`)."""
    if table.name != "products":
        return
    f = ck.frame
    f["aliases"], clashes = ambiguous_aliases(f, ~ck.bad)
    rows = f[ROW].to_numpy()
    ck.notices.extend(Notice("alias-ambiguous",
                             f"别名“{shown(c.alias)}”也指产品 {'、'.join(c.others)}，无法确定所指，已去掉该别名",
                             f"alias '{shown(c.alias)}' also names product {', '.join(c.others)}; ambiguous, "
                             "alias dropped", file=ck.raw.file, row=int(rows[c.row]), column="aliases")
                      for c in clashes)
    ck.notices.extend(Notice("name-is-other-id",
                             f"产品名称“{shown(c.alias)}”与产品 {c.others[0]} 的编号只差大小写或全半角，引用时容易混淆，"
                             "请改名（按编号引用的行指该编号的产品）",
                             f"product name '{shown(c.alias)}' differs from the id of product {c.others[0]} only in "
                             "case or width; references are easily confused, rename it (a reference spelled as "
                             "the id means that product)", file=ck.raw.file, row=int(rows[c.row]),
                             column="name_zh")
                      for c in names_that_are_ids(f, ~ck.bad))


def _given_edges(table: Table, clean: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """Edges of another, already validated table that the cycle check of `table` counts too (a
    route's captive intermediates lead to its product, as FEEDS rows do)."""
    if not table.acyclic_with or table.acyclic_with[0] not in clean:
        return []
    other, sources, target = table.acyclic_with
    rows = clean[other]
    return [(a, b) for xs, b in zip(rows[sources], rows[target]) for a in xs.split(LIST_SEPARATOR) if a]


def _check_acyclic(ck: Checker, table: Table, given: list[tuple[str, str]] = ()) -> None:
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
              values=ck.frame[src].astype(str) + " → " + ck.frame[dst].astype(str), code="cycle")


def _check_orphans(ck: Checker, table: Table) -> None:
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
                      extra=f[col.id].map(row_of).fillna(0).astype(int), code="reference-rejected")


def _frame_of(raw: RawTable, notices: list[Notice]) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """The raw frame with its columns named by column id; the required columns missing, each with the
    header that looks like a misspelling of it (or ""); the columns named by two headers. Unknown
    headers become notices naming the nearest column when one is close."""
    table, file = raw.table, raw.file
    m = match_headers(table, [c for c in raw.frame.columns if c != ROW])
    first = {h: c for h, c in m.columns.items() if h == m.repeated.get(c, [h])[0]}
    frame = raw.frame.rename(columns=first)[[ROW, *first.values()]].copy()
    missing = {c: "" for c in table.required if c not in frame.columns}
    for u in m.unknown:
        if u.nearest in missing and not missing[u.nearest]:
            missing[u.nearest] = u.header
            continue
        if u.nearest:
            near = table.column(u.nearest).label
            notices.append(Notice("header-unknown", f"列“{shown(u.header)}”未识别，是否指“{near}”？该列未载入",
                                  f"column '{shown(u.header)}' not recognised; did you mean '{near}' ({u.nearest})? "
                                  "The column was not loaded", file=file, column=u.header))
        else:
            notices.append(Notice("header-unknown", f"列“{shown(u.header)}”未识别，该列未载入",
                                  f"column '{shown(u.header)}' not recognised; the column was not loaded",
                                  file=file, column=u.header))
    for c, written in missing.items():
        if written:
            label = table.column(c).label
            notices.append(Notice("header-misspelt", f"缺少必填列“{label}”，列“{shown(written)}”是否指“{label}”？"
                                  "请改正表头后重新载入，本表各行已拒绝",
                                  f"required column '{label}' ({c}) is missing; is '{shown(written)}' meant to be "
                                  f"'{label}'? Correct the header and reload; every row of the table was rejected",
                                  file=file, column=written))
    return frame, missing, {c: "、".join(hs) for c, hs in m.repeated.items()}


def _reject_whole_table(ck: Checker, table: Table, missing: dict[str, str], repeated: dict[str, str]) -> None:
    """Every row rejected for each required column missing (naming a misspelt header when there is
    one) and for each column two headers name (which one holds the data cannot be guessed)."""
    everything = pd.Series(True, index=ck.frame.index)
    nothing = pd.Series("", index=ck.frame.index)
    for col_id, written in missing.items():
        label = table.column(col_id).label
        if written:
            ck.reject(everything, col_id, f"缺少必填列“{label}”（{col_id}），列“{shown(written)}”是否指“{label}”？",
                      f"required column '{col_id}' is missing; is '{shown(written)}' meant to be '{label}'?",
                      values=nothing, code="header-misspelt")
        else:
            ck.reject(everything, col_id, f"缺少必填列“{label}”（{col_id}）", f"required column '{col_id}' is missing",
                      values=nothing, code="column-missing")
    for col_id, headers in repeated.items():
        ck.reject(everything, col_id, f"列“{table.column(col_id).label}”出现多次（{shown(headers)}），无法确定读取哪一列",
                  f"column '{col_id}' is given more than once ({shown(headers)}); which one to read is unknown",
                  values=nothing, code="header-repeated")


def _clean_cells(ck: Checker, table: Table, written: list[str]) -> None:
    """Remove control and invisible characters (with notices), strip, and note over-long cells."""
    f = ck.frame
    text = [c for c in written if f[c].dtype == object or pd.api.types.is_string_dtype(f[c])]
    for c in clean_characters(f, text):
        if c.kind == "control":
            zh, en = "“{v}”含控制字符（如 NUL），已删除", "'{v}' holds control characters (e.g. NUL); removed"
        else:
            zh, en = "“{v}”含不可见字符（如零宽空格），已删除", "'{v}' holds invisible characters (e.g. zero-width space); removed"
        ck.notice(f"{c.kind}-character", zh, en, c.rows, c.column, c.values)
    for c in text:
        f[c] = strip(f[c])
    for col in table.columns:
        if col.id not in text or col.kind not in (TEXT, LIST):  # other kinds are read into numbers, choices, dates
            continue
        limit = min(col.max_length or EXCEL_CELL_LIMIT, EXCEL_CELL_LIMIT)
        long = too_long(f[col.id], limit)
        if not len(long):
            continue
        values = f[col.id].to_numpy(dtype=object)[long]
        excel = np.array([len(v) > EXCEL_CELL_LIMIT for v in values])
        if excel.any():
            ck.notice("cell-too-long", f"“{{v}}”超过 Excel 单元格上限 {EXCEL_CELL_LIMIT} 个字符，导出到 Excel 时会被截断",
                      f"'{{v}}' is longer than an Excel cell holds ({EXCEL_CELL_LIMIT} characters); an Excel export "
                      "truncates it", long[excel], col.id, values[excel])
        if (~excel).any():
            ck.notice("name-too-long", f"名称“{{v}}”超过 {limit} 个字符，请检查是否粘贴有误（已照原样载入）",
                      f"name '{{v}}' is longer than {limit} characters; check the paste (loaded as written)",
                      long[~excel], col.id, values[~excel])


def validate_table(raw: RawTable, clean: dict[str, pd.DataFrame], cache: dict | None = None
                   ) -> tuple[pd.DataFrame, Checker, pd.DataFrame]:
    """Validate one raw table against the clean tables it refers to.

    Returns the clean frame (typed, canonical values, no `_row`), the checker with the rejections,
    cleared cells and notices, and the rejected rows as read, with a reason column, for the planner
    to fix.
    """
    table = raw.table
    notices: list[Notice] = []
    frame, missing, repeated = _frame_of(raw, notices)
    written = [c.id for c in table.columns if c.id in frame.columns]
    for col in table.columns:
        if col.id not in frame.columns:
            frame[col.id] = ""
    ck = Checker(raw, frame, cache)
    ck.notices += notices
    raw.reject_unreadable(ck)  # rows the reader could not read right (loaders.raw)
    _clean_cells(ck, table, written)
    _reject_whole_table(ck, table, missing, repeated)
    check_cells(ck, table, list(missing))
    _check_refs(ck, table, clean)
    check_units(ck, table, clean)
    _check_duplicates(ck, table)
    _check_aliases(ck, table)
    if table.acyclic:
        _check_acyclic(ck, table, _given_edges(table, clean))
    _check_orphans(ck, table)
    ck.finish()
    good = frame[~ck.bad].drop(columns=[ROW])[[c.id for c in table.columns]].reset_index(drop=True)
    refs = {c: pos[~ck.bad.to_numpy()] for c, pos in ck.codes.items() if pos is not None}
    if refs:
        good.attrs[REF_ROWS] = RefRows(refs)
    rejected = raw.frame[ck.bad.values].copy()
    if len(rejected):
        clean_characters(rejected, [c for c in rejected.columns if c != ROW])  # a workbook holds no NUL
        reasons = pd.DataFrame([(r.row, f"[{r.column}] {r.reason_zh} / {r.reason_en}") for r in ck.found],
                               columns=[ROW, "reason"]).groupby(ROW)["reason"].agg("；".join)
        rejected.insert(0, "错误原因 / reason", rejected[ROW].map(reasons))
        rejected.insert(0, "行号 / row", rejected.pop(ROW))
        rejected.insert(0, "文件 / file", raw.file)
    return good, ck, rejected


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
        good, ck, rejected = validate_table(raw, clean, cache)
        clean[table.name] = good
        report.counts[table.name] = TableCount(table.name, raw.file, len(raw.frame), len(good), len(raw.frame) - len(good))
        report.rejections.extend(ck.found)
        report.warnings.extend(ck.notices)
        if ck.cleared:
            n = len(ck.cleared)
            report.warnings.append(Notice("cells-cleared", f"表“{table.label}”有 {n} 个单元格无法读取，已清空（所在行照常载入）",
                                          f"{n} cell(s) of table {table.name} could not be read and were cleared "
                                          "(their rows were loaded)", file=raw.file))
            report.cleared.extend(ck.cleared)
        if len(rejected):
            report.rejected_rows[table.name] = rejected
    return clean, report
