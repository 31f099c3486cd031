"""The target-enterprise library (目标企业库): one row per firm, from the per-gap target list.

A firm that could fill several gaps appears on the per-gap list once per (chain, link, role); here
it appears once, with every link (product) it could fill, the chains of each link as an attribute,
its role per link (龙头 / 配套; both when it is listed both ways), the reasons merged, its best
score, where it is, tags, and the priority a planner set in tracking.

>>> t = {"chain_id": "c1", "chain_name": "链一", "product_id": "bdo", "product_name": "BDO", "kind": "missing",
...      "kind_zh": "断链", "role": "leader", "role_zh": "龙头", "enterprise_id": "E3", "name": "丙", "short_name": "",
...      "province": "北京市", "city": "", "locality": "elsewhere", "srdi_level": "", "listed_code": "",
...      "score": 80.0, "reason_zh": "生产BDO"}
>>> [row] = target_library([], [t, dict(t, chain_id="c2", chain_name="链二", score=60.0)])
>>> row["best_score"], [(l["product_id"], l["chain_ids"]) for l in row["links"]]
(80.0, [('bdo', ['c1', 'c2'])])
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PRIORITY_ORDER = {"本季度": 0, "A": 1, "B": 2, "C": 3, "": 4}
LOCALITY_ZH = {"local": "本地", "neighbour": "周边", "elsewhere": "外地"}
ROLE_ZH = {"leader": "龙头", "supporting": "配套"}


def firm_tracking(states: list[Mapping[str, Any]]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """Assignment states (plain dicts) grouped by enterprise_id, and each firm's highest priority.

    >>> firm_tracking([{"enterprise_id": "E1", "priority": "B"}, {"enterprise_id": "E1", "priority": "本季度"}])[1]
    {'E1': '本季度'}
    """
    by_firm: dict[str, list[dict[str, Any]]] = {}
    for s in states:
        by_firm.setdefault(s["enterprise_id"], []).append(dict(s))
    priorities = {e: min((s["priority"] for s in ss if s["priority"]), key=lambda p: PRIORITY_ORDER.get(p, 4),
                         default="") for e, ss in by_firm.items()}
    return by_firm, priorities


def _merge(texts: list[str]) -> str:
    """Reason texts split on '；', each part once, in first-seen order."""
    parts = [p.strip("。 ") for t in texts for p in str(t).split("；")]
    return "；".join(dict.fromkeys(p for p in parts if p))


def _link(rows: list[dict[str, Any]], gap_info: Mapping[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    first = rows[0]
    chains = list(dict.fromkeys(r["chain_id"] for r in rows))
    roles = [r for r in ("leader", "supporting") if any(x["role"] == r for x in rows)]
    gaps = [gap_info.get((c, first["product_id"]), {}) for c in chains]
    return {
        "product_id": first["product_id"], "product_name": first["product_name"],
        "chain_ids": chains, "chain_names": list(dict.fromkeys(r["chain_name"] for r in rows)),
        "kinds": list(dict.fromkeys(r["kind"] for r in rows)),
        "kind_zh": "、".join(dict.fromkeys(r["kind_zh"] for r in rows)),
        "focus": any(g.get("focus", False) for g in gaps) or any(r.get("focus", False) for r in rows),
        "role": roles[0], "roles": roles, "role_zh": "、".join(ROLE_ZH[r] for r in roles),
        "score": max(r["score"] for r in rows), "reason_zh": _merge([r["reason_zh"] for r in rows]),
    }


def target_library(gaps: list[dict[str, Any]], targets: list[dict[str, Any]],
                   priorities: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per firm of `targets` (plain dicts with the target key names).

    `priorities` maps enterprise_id to the planner's priority (A / B / C / 本季度). Rows are sorted
    by priority, then best score (highest first), then name; links within a row by score, then id.
    """
    priorities = priorities or {}
    gap_info = {(g["chain_id"], g["product_id"]): g for g in gaps}
    by_firm: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for t in targets:
        by_firm.setdefault(t["enterprise_id"], {}).setdefault(t["product_id"], []).append(t)
    rows = []
    for firm_id, by_product in by_firm.items():
        links = sorted((_link(rs, gap_info) for rs in by_product.values()), key=lambda l: (-l["score"], l["product_id"]))
        f = next(iter(by_product.values()))[0]
        roles = {r for link in links for r in link["roles"]}
        tags = [ROLE_ZH[r] + "候选" for r in ("leader", "supporting") if r in roles]
        tags += [x for x in (f.get("srdi_level", ""), f"上市 {f['listed_code']}" if f.get("listed_code") else "") if x]
        if f.get("locality") in ("local", "neighbour"):
            tags.append("已在" + LOCALITY_ZH[f["locality"]])
        rows.append({
            "enterprise_id": firm_id, "name": f["name"], "short_name": f.get("short_name", ""),
            "province": f.get("province", ""), "city": f.get("city", ""), "locality": f.get("locality", ""),
            "locality_zh": LOCALITY_ZH.get(f.get("locality", ""), ""), "srdi_level": f.get("srdi_level", ""),
            "listed_code": f.get("listed_code", ""), "tags": tags, "best_score": max(l["score"] for l in links),
            "link_count": len(links), "links": links,
            "chain_ids": list(dict.fromkeys(c for l in links for c in l["chain_ids"])),
            "chain_names": list(dict.fromkeys(c for l in links for c in l["chain_names"])),
            "reason_zh": _merge([l["reason_zh"] for l in links]), "priority": priorities.get(firm_id, ""),
        })
    rows.sort(key=lambda r: (PRIORITY_ORDER.get(r["priority"], 4), -r["best_score"], r["name"]))
    return rows
