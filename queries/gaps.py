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
from queries.results import ChainScore, Gap
from queries.settings import load_settings
from queries.source import Source, as_source
from queries.vocabulary import (COVERED, EXTEND, KIND_ORDER, KIND_ZH, MATERIAL, MISSING, SEGMENT_ORDER,
                                WEAK)

CREDIT_KEYS = {"project": "project_credit", "neighbour": "neighbour_credit"}
# One Chinese clause per reason code; fields are the reason's own keys (lists of names joined
# with 、), plus home (the home region's name), product (the link's name) and supply (local
# inputs with their producers).
REASON_ZH = {
    "no_local_producer": "{home}无在产企业、无在建项目",
    "single_producer": "{home}仅{firm_names}一家生产",
    "low_capacity": "本地已知产能{capacity:g}{unit}，低于{threshold:g}{unit}",
    "local_feedstock": "本地已有原料{supply}，可就地转化",
    "local_demand": "本地{output_names}需要{product}作原料",
    "neighbour_supply": "周边{firm_names}有生产",
    "no_producer_known": "库中暂无生产企业，需补充目标企业",
    "focus": "为重点招商产品",
}


def product_inputs(cg: ChainGraph, product: str, kind: str | None = None) -> list[str]:
    """Direct inputs of a product (FEEDS predecessors), optionally only of one kind (原料 / 辅料)."""
    pg = cg.product_graph
    return sorted(q for q in pg.predecessors(product) if kind is None or pg.edges[q, product]["kind"] == kind)


def product_outputs(cg: ChainGraph, product: str) -> list[str]:
    """Direct outputs of a product (FEEDS successors)."""
    return sorted(cg.product_graph.successors(product))


def supply_text(reason: dict[str, Any]) -> str:
    """Local inputs with their producers: 乙炔（甲化工有限公司）、…"""
    return "、".join(f"{p}（{'、'.join(f)}）" for p, f in zip(reason["input_names"], reason["firm_names"]))


def reason_zh(reasons: list[dict[str, Any]], home_name: str, product_name: str) -> str:
    """One Chinese sentence from the reason codes, in the order they were found."""
    parts = []
    for r in reasons:
        fields = {k: "、".join(v) if k.endswith("_names") and all(isinstance(x, str) for x in v) else v
                  for k, v in r.items()}
        if r["code"] == "local_feedstock":
            fields["supply"] = supply_text(r)
        parts.append(REASON_ZH[r["code"]].format(home=home_name, product=product_name, **fields))
    return "；".join(parts) + "。"


def _weak_reasons(row: Any, names: dict[str, str], settings: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for code in row.weak_reasons:
        if code == "single_producer":
            out.append({"code": code, "firms": row.local_producers, "firm_names": [names[f] for f in row.local_producers]})
        else:
            out.append({"code": code, "capacity": float(row.local_capacity), "unit": row.unit,
                        "threshold": float(settings["weak"]["min_capacity"][row.unit])})
    return out


def _absent_reasons(cg: ChainGraph, row: Any, made: pd.DataFrame, needed: set[str],
                    names: dict[str, str], product_names: pd.Series) -> tuple[str, list[dict[str, Any]]]:
    """Kind (extend or missing) and reasons of a link not made or under way locally."""
    p, reasons = row.product_id, [{"code": "no_local_producer"}]
    local_inputs = [q for q in product_inputs(cg, p, MATERIAL) if q in made.index]
    demand = [q for q in product_outputs(cg, p) if q in needed]
    if local_inputs:
        firms = [made.at[q, "local_producers"] for q in local_inputs]
        reasons.append({"code": "local_feedstock", "inputs": local_inputs,
                        "input_names": [product_names[q] for q in local_inputs], "firms": firms,
                        "firm_names": [[names[f] for f in fs] for fs in firms]})
    if demand:
        reasons.append({"code": "local_demand", "outputs": demand, "output_names": [product_names[q] for q in demand]})
    if row.neighbour_producers:
        reasons.append({"code": "neighbour_supply", "firms": row.neighbour_producers,
                        "firm_names": [names[f] for f in row.neighbour_producers]})
    elif row.elsewhere_count == 0:
        reasons.append({"code": "no_producer_known"})
    return (EXTEND if local_inputs and not demand else MISSING), reasons


def find_gaps(source: ChainGraph | Source, chain: str | None = None, settings: dict[str, Any] | None = None,
              cov: pd.DataFrame | None = None) -> list[Gap]:
    """List the gaps of every chain (or one), most pressing first: by chain (table order), kind
    (断链, 弱链, 延链), focus products first, segment (上游 first), product id.

    Small example (tests/conftest.py): Wuhai makes carbide and acetylene (one firm each: weak),
    a THF plant is being built, BDO is made only 47 km away. BDO sits between local acetylene and
    the THF project, so it is `missing` with reasons local_feedstock and local_demand; PVC, made
    from acetylene with nothing local downstream, is `extend`.
    """
    s = settings or load_settings()
    src = as_source(source)
    cg = src.small
    cov = coverage(src, s) if cov is None else cov
    product_names = cg.tables["products"].set_index("product_id")["name_zh"]
    chain_names = cg.tables["chains"].set_index("chain_id")["name_zh"]
    home_name = cg.tables["regions"].set_index("region_id")["name_zh"].get(s["home_region"], s["home_region"])
    by_product = cov.drop_duplicates("product_id").set_index("product_id")
    made = by_product[by_product["status"].isin(COVERED)]
    needed = set(made.index) | set(by_product.index[by_product["status"] == "project"])
    if chain is not None:
        cov = cov[cov["chain_id"] == chain]
    gapped = cov[~cov["status"].isin(("local", "project"))]
    names = src.firm_names({f for col in ("local_producers", "neighbour_producers") for fs in gapped[col] for f in fs}
                           | {f for fs in made["local_producers"] for f in fs})
    gaps = []
    for row in gapped.itertuples(index=False):
        if row.status == WEAK:
            kind, reasons = WEAK, _weak_reasons(row, names, s)
        else:
            kind, reasons = _absent_reasons(cg, row, made, needed, names, product_names)
        if row.focus:
            reasons.append({"code": "focus"})
        gaps.append(Gap(chain_id=row.chain_id, chain_name=chain_names[row.chain_id], product_id=row.product_id,
                        product_name=row.name_zh, product_name_en=row.name_en, segment=row.segment,
                        focus=bool(row.focus), kind=kind, kind_zh=KIND_ZH[kind], status=row.status,
                        reasons=reasons, reason_zh=reason_zh(reasons, home_name, row.name_zh)))
    chain_order = {c: i for i, c in enumerate(cg.tables["chains"]["chain_id"])}
    gaps.sort(key=lambda g: (chain_order[g.chain_id], KIND_ORDER[g.kind], not g.focus,
                             SEGMENT_ORDER.get(g.segment, 3), g.product_id))
    return gaps


def completeness(source: ChainGraph | Source, settings: dict[str, Any] | None = None,
                 cov: pd.DataFrame | None = None) -> dict[str, ChainScore]:
    """Completeness of each chain: the weighted share of its links the home region covers.

    score = Σ weight × credit / Σ weight over the chain's links, where weight is
    `completeness.focus_weight` for a focus product and 1 otherwise, and credit is 1 for a link
    made locally (弱链 included), `project_credit` for one under way, `neighbour_credit` for one
    made only in the neighbouring area, and 0 otherwise.

    Worked example with the default settings (focus weight 2, credits 0.5): a chain of five links,
    carbide (local), acetylene (local), BDO (focus, neighbour only), THF (project), PBAT (focus,
    missing) scores (1 + 1 + 2×0.5 + 0.5 + 0) / (1 + 1 + 2 + 1 + 2) = 3.5 / 7 = 0.5.

    Returns {chain_id: ChainScore}, in chain-table order.
    """
    s = settings or load_settings()
    src = as_source(source)
    cov = coverage(src, s) if cov is None else cov
    c = s["completeness"]
    credit = cov["status"].map(lambda st: 1.0 if st in COVERED else float(c.get(CREDIT_KEYS.get(st, ""), 0.0)))
    weight = cov["focus"].map(lambda f: float(c["focus_weight"]) if f else 1.0)
    frame = cov.assign(w=weight, wc=weight * credit, covered=cov["status"].isin(COVERED))
    chains = src.small.tables["chains"]
    out = {}
    for chain_id, name in zip(chains["chain_id"], chains["name_zh"]):
        f = frame[frame["chain_id"] == chain_id]
        counts = f["status"].value_counts()
        out[chain_id] = ChainScore(
            chain_id=chain_id, chain_name=name,
            score=round(float(f["wc"].sum() / f["w"].sum()), 4) if len(f) else 0.0,
            links=len(f), covered=int(f["covered"].sum()),
            **{st: int(counts.get(st, 0)) for st in ("weak", "project", "neighbour", "missing")},
            focus_links=int(f["focus"].sum()), focus_covered=int((f["focus"] & f["covered"]).sum()))
    return out
