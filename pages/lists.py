"""The site's gap and target lists, packed once for the index and the target map.

Both pages show the whole target list (the index as a table, the target map by place), the index
the whole gap list too. In a site they read the same data script, `lib/data/index.js`; alone, each
inlines it. Tables packed by column (`pages.packing`), with one list of texts and the reasons
packed once (`pages.reasons`):

- `chains`: id, name;
- `links`: what gaps and targets are about, each once: its chain (index into `chains`), product
  name, gap kind (and its Chinese word), focus (0/1);
- `gaps`: link, segment, reason;
- `targets`: link, firm (index into `firms`), role (and its Chinese word), rank, score, reason;
- `firms`: the firms targeted, each once (as the first target naming it gives it): id, name,
  short name, province, city, 专精特新 level, listed code.

>>> d = lists_data([{"chain_id": "c", "chain_name": "链", "product_id": "p", "product_name": "甲", "kind": "missing",
...     "kind_zh": "断链", "focus": True, "segment": "下游", "reason_zh": "无。", "reasons": []}],
...     [{"chain_id": "c", "chain_name": "链", "product_id": "p", "product_name": "甲", "kind": "missing",
...       "kind_zh": "断链", "focus": True, "role": "leader", "role_zh": "龙头", "rank": 1, "enterprise_id": "E1",
...       "name": "某公司", "short_name": "", "province": "", "city": "", "srdi_level": "", "listed_code": "",
...       "score": 9.5, "reason_zh": "龙头企业"}], "乌海市", {})
>>> from pages.packing import records
>>> records(d["gaps"], d), records(d["targets"], d)[0]["link"]
([{'link': 0, 'segment': '下游', 'reason': '无。'}], 0)
>>> records(d["links"], d)
[{'chain': 0, 'product': '甲', 'kind': 'missing', 'kind_zh': '断链', 'focus': 1}]
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pages.packing import Packer
from pages.reasons import GAP_END, TARGET_END, SiteReasons, analysis_reasons, site_reasons
from queries.analysis import Analysis

LISTS_KEY = "index"  # the key and name of the lists' data script in a site (lib/data/index.js)
LINK_FIELDS = ("chain_id", "chain_name", "product_name", "kind", "kind_zh", "focus")
FIRM_FIELDS = {"id": "enterprise_id", "name": "name", "short": "short_name", "province": "province",
               "city": "city", "srdi": "srdi_level", "listed": "listed_code"}  # page column: result key


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value)  # None and NaN read as ""


def firm_ids(targets: Sequence[Mapping[str, Any]]) -> list[str]:
    """The targeted firms in the order the lists give them (first target naming each first)."""
    return list(dict.fromkeys(_text(t.get("enterprise_id")) for t in targets))


def lists_data(gaps: Sequence[Mapping[str, Any]], targets: Sequence[Mapping[str, Any]], home_name: str,
               product_names: Mapping[str, str], reasons: SiteReasons | None = None) -> dict[str, Any]:
    """The packed lists of these gaps and targets (result dicts, `to_json()` or `vars()`);
    `reasons` the site's packed reasons, else packed here."""
    reasons = reasons or site_reasons(gaps, targets, home_name, product_names)
    pk = Packer()
    chains: dict[str, int] = {}
    chain_rows: list[dict[str, Any]] = []
    links: dict[tuple[Any, ...], int] = {}
    link_rows: list[dict[str, Any]] = []

    def link(x: Mapping[str, Any]) -> int:
        raw = tuple(x.get(f) for f in LINK_FIELDS)
        at = links.get(raw)
        if at is None:
            key = tuple(bool(v) if f == "focus" else _text(v) for f, v in zip(LINK_FIELDS, raw))
            at = links.get(key)
            if at is None:
                chain = chains.get(key[0])
                if chain is None:
                    chain = chains[key[0]] = len(chain_rows)
                    chain_rows.append({"id": key[0], "name": key[1]})
                at = links[key] = len(link_rows)
                link_rows.append({"chain": chain, "product": key[2], "kind": key[3], "kind_zh": key[4],
                                  "focus": int(key[5])})
            links[raw] = at
        return at

    gap_rows = [{"link": link(g), "segment": _text(g.get("segment")), "reason": reasons.of(g)} for g in gaps]
    firms: dict[str, int] = {}
    firm_rows: list[dict[str, Any]] = []
    target_rows = []
    for t in targets:
        eid = _text(t.get("enterprise_id"))
        if eid not in firms:
            firms[eid] = len(firm_rows)
            firm_rows.append({column: _text(t.get(key)) for column, key in FIRM_FIELDS.items()})
        target_rows.append({"link": link(t), "firm": firms[eid], "role": _text(t.get("role")),
                            "role_zh": _text(t.get("role_zh")), "rank": t.get("rank"), "score": t.get("score"),
                            "reason": reasons.of(t)})
    return pk.finish({
        # reasons first: the texts they use most get the shortest references
        "gaps": pk.table(gap_rows, codes=("segment",), reason={"reason": GAP_END},
                      columns=["link", "segment", "reason"]),
        "targets": pk.table(target_rows, codes=("role", "role_zh"), reason={"reason": TARGET_END},
                         columns=["link", "firm", "role", "role_zh", "rank", "score", "reason"]),
        "chains": pk.table(chain_rows, columns=["id", "name"]),
        "links": pk.table(link_rows, text=("product",), codes=("kind", "kind_zh"),
                       columns=["chain", "product", "kind", "kind_zh", "focus"]),
        "firms": pk.table(firm_rows, codes=("province", "city", "srdi"), text=("short", "listed"),
                       columns=list(FIRM_FIELDS)),
        "templates": reasons.templates})


def analysis_lists(analysis: Analysis, reasons: SiteReasons | None = None) -> dict[str, Any]:
    """`lists_data` of an analysis's gaps and targets."""
    products = analysis.graph.tables["products"]
    return lists_data([vars(g) for g in analysis.gaps], [vars(t) for t in analysis.targets], analysis.home_name,
                      dict(zip(products["product_id"], products["name_zh"])), reasons or analysis_reasons(analysis))
