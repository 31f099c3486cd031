"""Everything one chain page shows, as plain JSON-ready data built from the graph and the analysis.

The page's script renders tooltips, the detail panel, search and the firms shown on demand from
this data alone, always as text.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from graph import ChainGraph
from pages.analysis import Analysis
from pages.layout import chain_links, levels
from pages.legend import GAP_KIND_ZH, ROLE_ZH, status

TOOLTIP_TARGETS = 3  # leaders and supporters each, per product, in tooltips and firm nodes
LABEL_CHARS = 12


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


def target_record(t: dict[str, Any]) -> dict[str, Any]:
    role = _text(t.get("role"))
    return {"enterprise_id": _text(t.get("enterprise_id")), "name": _text(t.get("name")), "role": role,
            "role_zh": ROLE_ZH.get(role, role), "score": t.get("score"),
            "province": _text(t.get("province")), "city": _text(t.get("city")),
            "kind": _text(t.get("kind")), "reason_zh": _text(t.get("reason_zh"))}


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


def chain_payload(cg: ChainGraph, chain_id: str, analysis: Analysis) -> dict[str, Any]:
    """Products (with coverage, gaps and targets), FEEDS links and the firms named, for one chain."""
    t = cg.tables
    chain = t["chains"].set_index("chain_id").loc[chain_id]
    members = t["chain_products"][t["chain_products"]["chain_id"] == chain_id]
    segments = dict(zip(members["product_id"], members["segment"]))
    focus = dict(zip(members["product_id"], members["focus"]))
    products = t["products"].set_index("product_id")
    names = products["name_zh"].to_dict()
    cov = analysis.coverage[analysis.coverage["chain_id"] == chain_id].set_index("product_id")
    firms_table = t["enterprises"].set_index("enterprise_id", drop=False)
    projects = t["projects"].set_index("project_id")
    feed_kind = {(a, b): k for a, b, k in zip(t["feeds"]["input_id"], t["feeds"]["output_id"], t["feeds"]["kind"])}

    links = chain_links(cg.product_graph, list(segments))
    column = levels(segments, links)
    firms: dict[str, dict[str, Any]] = {}

    def firm(eid: str, fallback: dict[str, Any] | None = None) -> str:
        if eid not in firms:
            row = firms_table.loc[eid].to_dict() if eid in firms_table.index else {"enterprise_id": eid,
                                                                                     **(fallback or {})}
            firms[eid] = firm_record(row)
        return eid

    out_products: dict[str, Any] = {}
    for pid in segments:
        row = cov.loc[pid].to_dict() if pid in cov.index else {}
        st = status(_text(row.get("status")))
        info = products.loc[pid]
        gaps = [{"kind": g["kind"], "kind_zh": GAP_KIND_ZH.get(g["kind"], g["kind"]),
                 "reason_zh": _text(g.get("reason_zh"))}
                for g in analysis.gaps if g.get("chain") == chain_id and g.get("product") == pid]
        targets = [target_record(x) for x in analysis.targets
                   if x.get("chain") == chain_id and x.get("product") == pid]
        targets.sort(key=lambda x: (x["role"] != "leader", -(x["score"] or 0)))
        for x in targets:
            firm(x["enterprise_id"], {"name": x["name"], "province": x["province"], "city": x["city"]})
        out_products[pid] = {
            "id": pid, "name_zh": _text(info["name_zh"]), "name_en": _text(info.get("name_en")),
            "aliases": _list(info.get("aliases")), "segment": segments[pid], "focus": bool(focus[pid]),
            "level": column[pid], "status": st.key, "status_zh": st.zh, "status_en": st.en,
            "colour": {"background": st.background, "border": st.border},
            "local": [firm(e) for e in _list(row.get("local_producers"))],
            "building": [firm(e) for e in _list(row.get("local_building"))],
            "neighbour": [firm(e) for e in _list(row.get("neighbour_producers"))],
            "projects": [{"id": p, "name": _text(projects.at[p, "name"]) if p in projects.index else p,
                          "status": _text(projects.at[p, "status"]) if p in projects.index else ""}
                         for p in _list(row.get("projects"))],
            "elsewhere_count": int(row["elsewhere_count"]) if pd.notna(row.get("elsewhere_count")) else 0,
            "gaps": gaps, "targets": targets,
            "top_targets": [x["enterprise_id"] for x in top_targets(targets, TOOLTIP_TARGETS)],
        }
    score = analysis.completeness.get(chain_id, {})
    return {
        "chain": {"id": chain_id, "name_zh": _text(chain["name_zh"]), "name_en": _text(chain.get("name_en")),
                  "tier": _text(chain.get("tier")), "description": _text(chain.get("description")),
                  "score": score.get("score"), "covered": score.get("covered"),
                  "total": score.get("total", score.get("links"))},
        "products": out_products,
        "links": [{"from": a, "to": b, "kind": _text(feed_kind.get((a, b))) if not via else "经由",
                   "via": [_text(names.get(v, v)) for v in via]} for a, b, via in links],
        "firms": firms,
    }
