"""Everything one chain page shows, as plain JSON-ready data built from the graph and the analysis.

The page's script renders tooltips, the detail panel, search and the firms shown on demand from
this data alone, always as text. Gaps and targets are grouped by product once per chain; their
reasons come with their symbolic form (`pages.reasons`), which the page data carries instead of
the text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from graph import ChainGraph
from pages.layout import chain_links, levels
from pages.legend import status
from pages.reasons import SiteReasons, site_reasons
from queries.analysis import Analysis
from queries.results import Gap, Target
from queries.vocabulary import KIND_ZH, MATERIAL_PRODUCT, ROLE_ZH

TOOLTIP_TARGETS = 3  # leaders and supporters each, per product, in tooltips and firm nodes
LABEL_CHARS = 12
HYPOTHETICAL = "假设 / hypothetical"  # the source of a what-if's plant rows (queries.whatif; tests/test_pages.py)
COVERAGE_COLUMNS = ("status", "local_producers", "local_building", "neighbour_producers", "captive_producers",
                    "local_unverified", "projects", "elsewhere_count")


def _list(value: Any) -> list[str]:
    """A coverage list cell as a list of ids (tolerates NaN, None and |-joined strings)."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return []
    return [v for v in str(value).split("|") if v]


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def short_label(name: str, limit: int = LABEL_CHARS) -> str:
    """A firm's label on the map: at most `limit` characters.

    >>> short_label("内蒙古三维新材料有限公司", 8)
    '内蒙古三维新材…'
    """
    return name if len(name) <= limit else name[: limit - 1] + "…"


def firm_record(row: dict[str, Any]) -> dict[str, Any]:
    """The fields of an enterprise row the pages show."""
    name = _text(row.get("name"))
    return {"id": _text(row.get("enterprise_id")), "name": name,
            "short": short_label(_text(row.get("short_name")) or name),
            "province": _text(row.get("province")), "city": _text(row.get("city")),
            "leader": bool(row.get("leader")) if pd.notna(row.get("leader")) else False,
            "srdi": _text(row.get("srdi_level")), "listed": _text(row.get("listed_code"))}


def target_record(t: Target, reason: Any = None, names: dict[str, str] | None = None) -> dict[str, Any]:
    """A target as a chain page lists it; `reason` its symbolic reason, `names` product names (for
    the products it competes with)."""
    names = names or {}
    return {"enterprise_id": t.enterprise_id, "name": t.name, "role": t.role, "role_zh": ROLE_ZH[t.role],
            "score": t.score, "rank": t.rank, "province": _text(t.province), "city": _text(t.city), "kind": t.kind,
            "reason_zh": t.reason_zh, "reason": t.reason_zh if reason is None else reason,
            "competes_with": list(t.competes_with), "competes_zh": [names.get(p, p) for p in t.competes_with]}


def top_targets(targets: list[dict[str, Any]], per_role: int) -> list[dict[str, Any]]:
    """The best `per_role` leaders and supporters, leaders first, each by score.

    >>> ts = [{"role": "supporting", "score": 9}, {"role": "leader", "score": 1}, {"role": "leader", "score": 5}]
    >>> [(t["role"], t["score"]) for t in top_targets(ts, 1)]
    [('leader', 5), ('supporting', 9)]
    """
    ranked = sorted(targets, key=lambda t: (t["role"] != "leader", -(t.get("score") or 0)))
    out, taken = [], {}
    for t in ranked:
        if taken.get(t["role"], 0) < per_role:
            taken[t["role"]] = taken.get(t["role"], 0) + 1
            out.append(t)
    return out


def _pairs(value: Any) -> list[tuple[str, str]]:
    """A coverage cell of (firm, route) pairs; anything else (NaN, missing) reads as none."""
    return [(str(a), str(b)) for a, b in value] if isinstance(value, (list, tuple)) else []


def _route_names(cg: ChainGraph) -> dict[str, str]:
    """Route id -> Chinese name (an unnamed route reads as its id)."""
    routes = cg.tables["routes"]
    return {str(r): _text(n) or str(r) for r, n in zip(routes["route_id"], routes["name_zh"])}


def _rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of `frame` as dicts of `columns` (those it has), read by column (to_dict is slow)."""
    present = [c for c in columns if c in frame]
    return [dict(zip(present, values)) for values in zip(*(frame[c].tolist() for c in present))] if present \
        else [{} for _ in range(len(frame))]


FIRM_COLUMNS = ("enterprise_id", "name", "short_name", "province", "city", "leader", "srdi_level", "listed_code")


def _firm_records(cg: ChainGraph, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The page records of the firms a chain page names (each in the enterprises table)."""
    ids = list(dict.fromkeys(ids))
    rows = cg.tables["enterprises"].iloc[cg.ids["enterprises"].get_indexer(ids)]
    return dict(zip(ids, map(firm_record, _rows(rows, FIRM_COLUMNS))))


def _hypothetical(cg: ChainGraph) -> dict[str, set[str]]:
    """Product id -> the firms whose plant of it is a what-if's hypothetical one (假设, not 待核实)."""
    produces = cg.tables["produces"]
    rows = produces[produces["source"] == HYPOTHETICAL] if "source" in produces else produces.iloc[:0]
    out: dict[str, set[str]] = {}
    for firm, product in zip(rows["enterprise_id"], rows["product_id"]):
        out.setdefault(str(product), set()).add(str(firm))
    return out


def _product(info: dict[str, Any], pid: str, member: tuple[str, bool], cov: dict[str, Any], level: int,
             gaps: list[dict[str, Any]], targets: list[dict[str, Any]], projects: pd.DataFrame,
             routes: dict[str, str], hypothetical: set[str]) -> dict[str, Any]:
    """One product of a chain page: names, coverage status and colours, firms, projects, gaps, targets.
    `info` is its products-table row, `member` its (segment, focus), `projects` the projects table
    indexed by id, `routes` the route names (all looked up once per chain by the caller)."""
    st = status(_text(cov.get("status")))
    records = sorted(targets, key=lambda x: (x["role"] != "leader", -(x["score"] or 0)))
    local = _list(cov.get("local_producers"))
    return {
        "id": pid, "name_zh": _text(info["name_zh"]), "name_en": _text(info.get("name_en")),
        "aliases": _list(info.get("aliases")), "type": _text(info.get("kind")) or MATERIAL_PRODUCT,
        "segment": member[0], "focus": bool(member[1]),
        "level": level, "status": st.key, "status_zh": st.zh, "status_en": st.en,
        "colour": {"background": st.background, "border": st.border},
        "local": local, "building": _list(cov.get("local_building")),
        "neighbour": _list(cov.get("neighbour_producers")),
        # plants making it on another product's route (本地自用/副产), local producers 待核实, and
        # plants of a what-if (假设: hypothetical, not a record to verify)
        "captive": [{"firm": f, "route": r, "route_zh": routes.get(r, r)} for f, r in _pairs(cov.get("captive_producers"))],
        "unverified": [f for f in _list(cov.get("local_unverified")) if f not in hypothetical],
        "hypothetical": [f for f in local if f in hypothetical],
        "projects": [{"id": p, "name": _text(projects.at[p, "name"]) if p in projects.index else p,
                      "status": _text(projects.at[p, "status"]) if p in projects.index else ""}
                     for p in _list(cov.get("projects"))],
        "elsewhere_count": int(cov["elsewhere_count"]) if pd.notna(cov.get("elsewhere_count")) else 0,
        "gaps": gaps, "targets": records,
        "top_targets": [x["enterprise_id"] for x in top_targets(records, TOOLTIP_TARGETS)],
    }


@dataclass(frozen=True)
class SiteLookups:
    """What every chain page of a site looks up, computed once for all of them (`site_lookups`):
    the packed reasons, each chain's members and coverage, its gaps and targets by product, and
    the tables' names (projects, routes, products, FEEDS kinds, hypothetical plants)."""
    reasons: SiteReasons
    members: dict[str, pd.DataFrame]
    coverage: dict[str, pd.DataFrame]
    gaps: dict[str, dict[str, list[Gap]]]
    targets: dict[str, dict[str, list[Target]]]
    projects: pd.DataFrame
    routes: dict[str, str]
    hypothetical: dict[str, set[str]]
    product_names: dict[str, str]
    feed_kind: dict[tuple[str, str], str]


def _by_chain(items: list[Any]) -> dict[str, dict[str, list[Any]]]:
    """Gaps or targets grouped by chain, then product (one pass over the list)."""
    out: dict[str, dict[str, list[Any]]] = {}
    for x in items:
        out.setdefault(x.chain_id, {}).setdefault(x.product_id, []).append(x)
    return out


def site_lookups(analysis: Analysis, reasons: SiteReasons | None = None, chain: str | None = None) -> SiteLookups:
    """`SiteLookups` of an analysis; `reasons` packed here unless given (only one `chain`'s, if named)."""
    t = analysis.graph.tables
    gaps, targets = _by_chain(analysis.gaps), _by_chain(analysis.targets)
    names = dict(zip(t["products"]["product_id"], t["products"]["name_zh"]))
    if reasons is None:
        def mine(by_chain: dict[str, dict[str, list[Any]]]) -> Any:
            return (vars(x) for c, by_product in by_chain.items() if chain is None or c == chain
                    for xs in by_product.values() for x in xs)
        reasons = site_reasons(mine(gaps), mine(targets), analysis.home_name, names)
    feeds = t["feeds"]
    return SiteLookups(
        reasons=reasons, members=dict(tuple(t["chain_products"].groupby("chain_id", sort=False))),
        coverage=dict(tuple(analysis.coverage.groupby("chain_id", sort=False))), gaps=gaps, targets=targets,
        projects=t["projects"].set_index("project_id"), routes=_route_names(analysis.graph),
        hypothetical=_hypothetical(analysis.graph), product_names=names,
        feed_kind={(a, b): k for a, b, k in zip(feeds["input_id"], feeds["output_id"], feeds["kind"])})


def chain_payload(cg: ChainGraph, chain_id: str, analysis: Analysis, lookups: SiteLookups | None = None) -> dict[str, Any]:
    """Products (with coverage, gaps and targets), FEEDS links and the firms named, for one chain.
    `lookups`: the site's (`site_lookups`, computed once for every chain page), else this chain's."""
    look = lookups or site_lookups(analysis, chain=chain_id)
    reasons = look.reasons
    t = cg.tables
    chain = t["chains"].set_index("chain_id").loc[chain_id]
    members = look.members.get(chain_id, t["chain_products"].iloc[:0])
    pids = [str(p) for p in members["product_id"]]
    cov = look.coverage.get(chain_id, analysis.coverage.iloc[:0])
    cov_rows = {p: dict(zip(COVERAGE_COLUMNS, row)) for p, *row in
                zip(cov["product_id"], *(cov[c] if c in cov else [None] * len(cov) for c in COVERAGE_COLUMNS))}
    links = chain_links(cg.product_graph, pids)
    names = look.product_names
    column = levels(dict(zip(pids, members["segment"])), links)
    gaps, targets = look.gaps.get(chain_id, {}), look.targets.get(chain_id, {})
    info = _rows(t["products"].iloc[cg.ids["products"].get_indexer(pids)], ("name_zh", "name_en", "aliases", "kind"))
    products = {}
    for pid, row, segment, focus in zip(pids, info, members["segment"], members["focus"]):
        gap_records = [{"kind": g.kind, "kind_zh": KIND_ZH[g.kind], "reason_zh": g.reason_zh, "priority": g.priority,
                        "reason": reasons.of(vars(g))} for g in gaps.get(pid, [])]
        target_records = [target_record(x, reasons.of(vars(x)), names) for x in targets.get(pid, [])]
        products[pid] = _product(row, pid, (segment, focus), cov_rows.get(pid, {}), column[pid], gap_records,
                                 target_records, look.projects, look.routes, look.hypothetical.get(pid, set()))
    named = [e for p in products.values() for key in ("local", "building", "neighbour") for e in p[key]]
    named += [c["firm"] for p in products.values() for c in p["captive"]]
    score = analysis.completeness.get(chain_id)
    return {
        "chain": {"id": chain_id, "name_zh": _text(chain["name_zh"]), "name_en": _text(chain.get("name_en")),
                  "tier": _text(chain.get("tier")), "description": _text(chain.get("description")),
                  "score": score.score if score else None, "covered": score.covered if score else None,
                  "links": score.links if score else None},
        "products": products,
        "links": [{"from": a, "to": b, "kind": _text(look.feed_kind.get((a, b))) if not via else "经由",
                   "via": [_text(names.get(v, v)) for v in via]} for a, b, via in links],
        "firms": _firm_records(cg, named + [x["enterprise_id"] for p in products.values() for x in p["targets"]]),
        "templates": reasons.templates,
    }
