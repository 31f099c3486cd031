"""Gaps in each chain (断链, 弱链, 延链) and each chain's completeness score.

A link (a product of a chain) is judged from its coverage (`queries.coverage`) and its neighbours in
the FEEDS graph:

- **weak** (弱链): made locally, but by a single firm or with too little known capacity.
- **extend** (延链): not made or under way locally, but one of its main inputs (原料) is made
  locally and nothing downstream of it is: the chain can be extended on local feedstock (就地转化).
- **missing** (断链): not made or under way locally otherwise. When a local firm or project already
  needs it (a direct output is made or under way locally) the chain is broken here and the reason
  `local_demand` says so.

Links under way (a local project or plant being built) are not gaps; `coverage` shows them.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from graph import ChainGraph
from queries.coverage import coverage
from queries.settings import load_settings

KIND_ZH = {"missing": "断链", "weak": "弱链", "extend": "延链"}
KIND_ORDER = {"missing": 0, "weak": 1, "extend": 2}
SEGMENT_ORDER = {"上游": 0, "中游": 1, "下游": 2}
COVERED = ("local", "weak")
CREDIT_KEYS = {"project": "project_credit", "neighbour": "neighbour_credit"}


def product_inputs(cg: ChainGraph, product: str, kind: str | None = None) -> list[str]:
    """Direct inputs of a product (FEEDS predecessors), optionally only of one kind (原料 / 辅料)."""
    pg = cg.product_graph
    return sorted(q for q in pg.predecessors(product) if kind is None or pg.edges[q, product]["kind"] == kind)


def product_outputs(cg: ChainGraph, product: str) -> list[str]:
    """Direct outputs of a product (FEEDS successors)."""
    return sorted(cg.product_graph.successors(product))


def _names(cg: ChainGraph) -> tuple[pd.Series, pd.Series, pd.Series]:
    t = cg.tables
    return (t["products"].set_index("product_id")["name_zh"], t["enterprises"].set_index("enterprise_id")["name"],
            t["chains"].set_index("chain_id")["name_zh"])


def _reason_zh(reasons: list[dict[str, Any]], home_name: str, product_name: str) -> str:
    """One Chinese sentence from the reason codes, in the order they were found."""
    parts = []
    for r in reasons:
        code = r["code"]
        if code == "no_local_producer":
            parts.append(f"{home_name}无在产企业、无在建项目")
        elif code == "single_producer":
            parts.append(f"{home_name}仅{r['firm_names'][0]}一家生产")
        elif code == "low_capacity":
            parts.append(f"本地已知产能{r['capacity']:g}{r['unit']}，低于{r['threshold']:g}{r['unit']}")
        elif code == "local_feedstock":
            feed = "、".join(f"{p}（{'、'.join(f)}）" for p, f in zip(r["input_names"], r["firm_names"]))
            parts.append(f"本地已有原料{feed}，可就地转化")
        elif code == "local_demand":
            parts.append(f"本地{'、'.join(r['output_names'])}需要{product_name}作原料")
        elif code == "neighbour_supply":
            parts.append(f"周边{'、'.join(r['firm_names'])}有生产")
        elif code == "no_producer_known":
            parts.append("库中暂无生产企业，需补充目标企业")
        elif code == "focus":
            parts.append("为重点招商产品")
    return "；".join(parts) + "。"


def find_gaps(cg: ChainGraph, chain: str | None = None, settings: dict[str, Any] | None = None,
              cov: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """List the gaps of every chain (or one), most pressing first.

    Each gap is a dict: chain, chain_name, product, product_name, segment, focus, kind ("missing",
    "weak" or "extend"), kind_zh, status (coverage status), reasons (list of dicts, each with a
    machine-readable "code" and the ids behind it) and reason_zh (one sentence).

    Small example (tests/conftest.py): Wuhai makes carbide and acetylene (one firm each: weak),
    a THF plant is being built, BDO is made only 47 km away. BDO sits between local acetylene and
    the THF project, so it is `missing` with reasons local_feedstock and local_demand; PVC, made
    from acetylene with nothing local downstream, is `extend`.
    """
    s = settings or load_settings()
    cov = coverage(cg, s) if cov is None else cov
    product_names, firm_names, chain_names = _names(cg)
    regions = cg.tables["regions"].set_index("region_id")["name_zh"]
    home_name = regions.get(s["home_region"], s["home_region"])
    by_product = cov.drop_duplicates("product_id").set_index("product_id")
    made = set(by_product.index[by_product["status"].isin(COVERED)])
    needed = made | set(by_product.index[by_product["status"] == "project"])
    if chain is not None:
        cov = cov[cov["chain_id"] == chain]
    gaps = []
    for row in cov.itertuples(index=False):
        if row.status == "project" or (row.status == "local"):
            continue
        p, reasons = row.product_id, []
        if row.status == "weak":
            kind = "weak"
            for code in row.weak_reasons:
                if code == "single_producer":
                    reasons.append({"code": code, "firms": row.local_producers,
                                    "firm_names": [firm_names[f] for f in row.local_producers]})
                else:
                    reasons.append({"code": code, "capacity": float(row.local_capacity), "unit": row.unit,
                                    "threshold": float(s["weak"]["min_capacity"][row.unit])})
        else:
            reasons.append({"code": "no_local_producer"})
            local_inputs = [q for q in product_inputs(cg, p, "原料") if q in made]
            demand = [q for q in product_outputs(cg, p) if q in needed]
            kind = "extend" if local_inputs and not demand else "missing"
            if local_inputs:
                firms = [by_product.at[q, "local_producers"] for q in local_inputs]
                reasons.append({"code": "local_feedstock", "inputs": local_inputs,
                                "input_names": [product_names[q] for q in local_inputs], "firms": firms,
                                "firm_names": [[firm_names[f] for f in fs] for fs in firms]})
            if demand:
                reasons.append({"code": "local_demand", "outputs": demand,
                                "output_names": [product_names[q] for q in demand]})
            if row.neighbour_producers:
                reasons.append({"code": "neighbour_supply", "firms": row.neighbour_producers,
                                "firm_names": [firm_names[f] for f in row.neighbour_producers]})
            elif row.elsewhere_count == 0:
                reasons.append({"code": "no_producer_known"})
        if row.focus:
            reasons.append({"code": "focus"})
        gaps.append({
            "chain": row.chain_id, "chain_name": chain_names[row.chain_id], "product": p,
            "product_name": row.name_zh, "product_name_en": row.name_en, "segment": row.segment,
            "focus": bool(row.focus), "kind": kind, "kind_zh": KIND_ZH[kind], "status": row.status,
            "reasons": reasons, "reason_zh": _reason_zh(reasons, home_name, row.name_zh),
        })
    chain_order = {c: i for i, c in enumerate(cg.tables["chains"]["chain_id"])}
    gaps.sort(key=lambda g: (chain_order[g["chain"]], KIND_ORDER[g["kind"]], not g["focus"],
                             SEGMENT_ORDER.get(g["segment"], 3), g["product"]))
    return gaps


def completeness(cg: ChainGraph, settings: dict[str, Any] | None = None,
                 cov: pd.DataFrame | None = None) -> dict[str, dict[str, Any]]:
    """Completeness of each chain: the weighted share of its links the home region covers.

    score = Σ weight × credit / Σ weight over the chain's links, where weight is
    `completeness.focus_weight` for a focus product and 1 otherwise, and credit is 1 for a link
    made locally (弱链 included), `project_credit` for one under way, `neighbour_credit` for one
    made only in the neighbouring area, and 0 otherwise.

    Worked example with the default settings (focus weight 2, credits 0.5): a chain of five links,
    carbide (local), acetylene (local), BDO (focus, neighbour only), THF (project), PBAT (focus,
    missing) scores (1 + 1 + 2×0.5 + 0.5 + 0) / (1 + 1 + 2 + 1 + 2) = 3.5 / 7 = 0.5.

    Returns {chain_id: {"name", "score", "links", "covered", "weak", "project", "neighbour",
    "missing", "focus_links", "focus_covered"}}.
    """
    s = settings or load_settings()
    cov = coverage(cg, s) if cov is None else cov
    c = s["completeness"]
    credit = cov["status"].map(lambda st: 1.0 if st in COVERED else float(c.get(CREDIT_KEYS.get(st, ""), 0.0)))
    weight = cov["focus"].map(lambda f: float(c["focus_weight"]) if f else 1.0)
    frame = cov.assign(w=weight, wc=weight * credit, covered=cov["status"].isin(COVERED))
    names = cg.tables["chains"].set_index("chain_id")["name_zh"]
    out = {}
    for chain_id in cg.tables["chains"]["chain_id"]:
        f = frame[frame["chain_id"] == chain_id]
        counts = f["status"].value_counts()
        out[chain_id] = {
            "name": names[chain_id],
            "score": round(float(f["wc"].sum() / f["w"].sum()), 4) if len(f) else 0.0,
            "links": len(f),
            "covered": int(f["covered"].sum()),
            **{st: int(counts.get(st, 0)) for st in ("weak", "project", "neighbour", "missing")},
            "focus_links": int(f["focus"].sum()),
            "focus_covered": int((f["focus"] & f["covered"]).sum()),
        }
    return out
