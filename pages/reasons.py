"""Reasons as the pages carry them: each clause a shared text, or a template filled with names.

A gap's `reason_zh` is its clauses (one per reason code, `queries.gaps.REASON_ZH`) joined with "；"
and closed with "。"; a target's is its clauses (`queries.targets`: role, what it makes around the
gap, listed, nearby, competitor, the gap's local feedstock and focus) joined with "；". As text,
most clauses name firms and products and are distinct per gap or target: on a national site they
weighed more than everything else. (The wording is the queries' own, `queries.vocabulary.REASON_ZH`
and `REL_ZH`.) Packed, a clause is either a text (a clause said the same way
many times, "乌海市无在产企业、无在建项目") or [template, argument, ...]: a template is a list of
literal parts and argument positions, an argument a name, a list of names (written joined with 、)
or a list of pairs [name, argument] (written name（argument）).

`Reasons.gap` and `Reasons.target` split a reason_zh into its clauses and propose encodings from
the reason's codes (and the target's fields); a clause takes an encoding only when rendering it
gives exactly that clause, and is carried as text otherwise, so the page always shows exactly
reason_zh whatever the queries write. A reason that is not made of clauses (a gap's that does not
end with 。) is one text. These *symbolic* forms hold names as strings; a data file holds each
clause once (`pages.packing.Packer`, names as references into its texts), and `render` (the page
script's `chainkgPacked.reason`, lib/packed.js) writes either form back.

>>> r = Reasons("乌海市")
>>> gap = {"product_name": "BDO", "reason_zh": "乌海市仅甲公司一家生产；为重点招商产品。",
...        "reasons": [{"code": "single_producer", "firms": ["E1"], "firm_names": ["甲公司"]}, {"code": "focus"}]}
>>> packed = r.gap(gap)
>>> packed[1], r.templates[packed[0][0]], packed[0][1:]
('为重点招商产品', ['乌海市仅', 0, '一家生产'], [['甲公司']])
>>> render(packed, str, r.templates, GAP_END)
'乌海市仅甲公司一家生产；为重点招商产品。'
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Any

from queries.analysis import Analysis
from queries.vocabulary import REASON_ZH, REL_ZH

SEPARATOR = "；"  # between the clauses of a reason (queries.gaps, queries.targets)
GAP_END, TARGET_END = "。", ""  # what a gap's and a target's reason ends with
LISTED = "上市公司（{listed}）"
RIVALS = "竞争者：亦生产本地已有的{x}"
SUPPLY = "本地可供原料{supply}"
FOCUS = "补齐重点产品{product}"


def _arg(a: Any, look: Callable[[Any], str]) -> str:
    if not isinstance(a, list):
        return look(a)
    return "、".join(f"{_arg(x[0], look)}（{_arg(x[1], look)}）" if isinstance(x, list) else look(x) for x in a)


def render(packed: Any, look: Callable[[Any], str], templates: list[list[Any]], end: str,
           clauses: list[Any] | None = None) -> str:
    """The text of a packed reason; `look` gives a name's text (`str` for symbolic forms, the data
    file's texts for packed ones). A symbolic reason holds its clauses; a packed one (`clauses`
    given, `pages.packing.Packer.reason`) their numbers in the file's `clauses`. What lib/packed.js
    does in the page."""
    if not isinstance(packed, list):
        return look(packed)

    def clause(c: Any) -> str:
        if not isinstance(c, list):
            return look(c)
        return "".join(p if isinstance(p, str) else _arg(c[1 + p], look) for p in templates[c[0]])

    items = packed if clauses is None else (clauses[k] for k in packed)
    return SEPARATOR.join(clause(c) for c in items) + end


def _interned(a: Any, ref: Callable[[str], int]) -> Any:
    if not isinstance(a, list):
        return ref(a)
    return [[_interned(x[0], ref), _interned(x[1], ref)] if isinstance(x, list) else ref(x) for x in a]


def intern_clause(c: Any, ref: Callable[[str], int]) -> Any:
    """A symbolic clause with every name (and a clause that is a text) replaced by `ref(name)`
    (`pages.packing.Texts.ref`)."""
    return [c[0], *(_interned(a, ref) for a in c[1:])] if isinstance(c, list) else ref(c)


def _value(value: Any, spec: str) -> Any:
    """A field of a reason as a template argument, or None when it is not one."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, spec)
    if isinstance(value, (list, tuple)) and all(isinstance(x, str) for x in value):
        return list(value)
    return None


def _supply(r: Mapping[str, Any]) -> list[Any] | None:
    """The local inputs of a local_feedstock reason with their producers, as pairs."""
    names, firms = r.get("input_names"), r.get("firm_names")
    if not isinstance(names, list) or not isinstance(firms, list):
        return None
    return [[str(n), [str(f) for f in fs]] for n, fs in zip(names, firms)]


class Reasons:
    """The templates of one site (the home region's name is written into them) and the packing of
    gap and target reasons with them."""

    def __init__(self, home_name: str):
        self.home = str(home_name)
        self.templates: list[list[Any]] = []
        self._fields: list[list[tuple[str, str]]] = []
        self.gap_templates = {code: self._add(text) for code, text in REASON_ZH.items()}
        self.rel_templates = {rel: self._add(text) for rel, text in REL_ZH.items()}
        self.listed, self.rivals = self._add(LISTED), self._add(RIVALS)
        self.supply, self.focus = self._add(SUPPLY), self._add(FOCUS)

    def _add(self, text: str) -> int:
        parts: list[Any] = []
        fields: list[tuple[str, str]] = []

        def literal(s: str) -> None:
            if s and parts and isinstance(parts[-1], str):
                parts[-1] += s
            elif s:
                parts.append(s)

        for lit, field, spec, _ in Formatter().parse(text):
            literal(lit)
            if field == "home":
                literal(self.home)
            elif field is not None:
                parts.append(len(fields))
                fields.append((field, spec or ""))
        self.templates.append(parts)
        self._fields.append(fields)
        return len(self.templates) - 1

    def _clause(self, template: int, values: Mapping[str, Any]) -> tuple[str, list[Any]] | None:
        """(text, clause) of `template` filled from `values`, or None when a field is missing (or it
        has none: a clause always said the same way is cheapest as a text)."""
        if not self._fields[template]:
            return None
        args = []
        for name, spec in self._fields[template]:
            v = values.get(name)
            a = v if name == "supply" else _value(v, spec)
            if a is None:
                return None
            args.append(a)
        clause = [template, *args]
        return render([clause], str, self.templates, ""), clause

    @staticmethod
    def _split(text: str, proposals: list[tuple[str, list[Any]] | None]) -> list[Any]:
        """The clauses of `text`, each the proposal that renders as it (a template may itself hold
        the separator: then it spans that many parts) or the clause as text."""
        known: dict[int, dict[str, list[Any]]] = {}
        for p in proposals:
            if p is not None:
                known.setdefault(p[0].count(SEPARATOR) + 1, {})[p[0]] = p[1]
        parts = text.split(SEPARATOR)
        if len(known) < 2 and 1 in known or not known:  # the usual case: no template spans a separator
            one = known.get(1, {})
            return [one.get(part, part) for part in parts]
        spans = sorted(known, reverse=True)
        out, i = [], 0
        while i < len(parts):
            for k in spans:
                hit = known[k].get(SEPARATOR.join(parts[i:i + k]))
                if hit is not None:
                    out.append(hit)
                    i += k
                    break
            else:
                out.append(parts[i])
                i += 1
        return out

    def gap(self, g: Mapping[str, Any]) -> Any:
        """The symbolic form of a gap's reason (`Gap.to_json()` keys: reason_zh, reasons, product_name)."""
        text = str(g.get("reason_zh") or "")
        if not text.endswith(GAP_END):
            return text
        proposals = []
        for r in g.get("reasons") or []:
            template = self.gap_templates.get(r.get("code"))
            if template is None or not self._fields[template]:
                continue
            values = {**r, "product": g.get("product_name"), "plants": r.get("plant_text")}
            if r.get("code") == "local_feedstock":
                values["supply"] = _supply(r)
            proposals.append(self._clause(template, values))
        return self._split(text[: -len(GAP_END)], proposals)

    def target(self, t: Mapping[str, Any], gap: Mapping[str, Any] | None, product_names: Mapping[str, str]) -> Any:
        """The symbolic form of a target's reason (`Target.to_json()` keys), with its gap's when known
        (its local feedstock) and the product names (what it makes, what it competes with)."""
        text = str(t.get("reason_zh") or "")
        if not text:
            return text

        def names(ids: Any) -> list[str] | None:
            ids = list(ids or [])
            return [product_names[p] for p in ids] if ids and all(p in product_names for p in ids) else None

        product = t.get("product_name")
        makes = t.get("makes") or {}
        proposals = [self._clause(template, {"p": product, "x": names(makes.get(rel))})
                     for rel, template in self.rel_templates.items() if makes.get(rel)]
        if t.get("listed_code"):
            proposals.append(self._clause(self.listed, {"listed": t.get("listed_code")}))
        if t.get("competes_with"):
            proposals.append(self._clause(self.rivals, {"x": names(t.get("competes_with"))}))
        if t.get("focus"):
            proposals.append(self._clause(self.focus, {"product": product}))
        feed = next((r for r in (gap or {}).get("reasons") or [] if r.get("code") == "local_feedstock"), None)
        if feed:
            proposals.append(self._clause(self.supply, {"supply": _supply(feed)}))
        return self._split(text, proposals)


@dataclass(frozen=True)
class SiteReasons:
    """The symbolic reasons of a site's gaps and targets, packed once and looked up by every page
    by the very record each was packed from (the same dict, or `vars()` of the same result)."""
    templates: list[list[Any]]
    by_record: dict[int, Any]

    def of(self, record: Mapping[str, Any]) -> Any:
        return self.by_record[id(record)]


def site_reasons(gaps: Iterable[Mapping[str, Any]], targets: Iterable[Mapping[str, Any]], home_name: str,
                 product_names: Mapping[str, str]) -> SiteReasons:
    """Pack every gap's and target's reason once (result dicts, or `vars()` of the results: the
    records must outlive the lookups)."""
    r = Reasons(home_name)
    gaps = list(gaps)
    by_link = {(g.get("chain_id"), g.get("product_id")): g for g in gaps}
    out = {id(g): r.gap(g) for g in gaps}
    out.update((id(t), r.target(t, by_link.get((t.get("chain_id"), t.get("product_id"))), product_names))
               for t in targets)
    return SiteReasons(r.templates, out)


def analysis_reasons(analysis: Analysis) -> SiteReasons:
    """`site_reasons` of an analysis's results (looked up with `vars(gap)`, `vars(target)`)."""
    products = analysis.graph.tables["products"]
    return site_reasons(map(vars, analysis.gaps), map(vars, analysis.targets), analysis.home_name,
                        dict(zip(products["product_id"], products["name_zh"])))
