"""Gaps in each chain (断链, 弱链, 延链) and each chain's completeness score.

A link (a product of a chain) is judged from its coverage (`queries.coverage`) and its neighbours in
the FEEDS graph:

- **weak** (弱链): made locally, but by a single firm or with too little known capacity.
- **extend** (延链): not made or under way locally, but one of its main inputs (原料) is made
  locally and nothing downstream of it is: the chain can be extended on local feedstock (就地转化).
- **missing** (断链): not made or under way locally otherwise. When a local firm or project already
  needs it (a direct output is made or under way locally, on a route that uses it) the chain is
  broken here and the reason `local_demand` says so.

Demand is route-aware (`queries.routes`): an output's local plant needs only the inputs of the route
it runs. A plant whose route is unknown, of an output with several routes of which only some use
the product, asserts no need: the reason `route_unknown` lists the output's routes instead. A link
made locally only as a captive intermediate or by-product (`captive`) is covered; it is listed as
延链 (reason `captive_only`) when a local plant other than the integrated ones needs it.

Links under way (a local project or plant being built) are not gaps; `coverage` shows them.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from graph import ChainGraph
from queries.coverage import coverage
from queries.results import ChainScore, Gap
from queries.routes import Routes
from queries.scoring import gap_priority
from queries.settings import load_settings
from queries.source import Source, as_source
from queries.vocabulary import (COVERED, EXTEND, KIND_ORDER, KIND_ZH, MATERIAL, MISSING, REASON_ZH,
                                SEGMENT_ORDER, WEAK)

CREDIT_KEYS = {"project": "project_credit", "neighbour": "neighbour_credit"}


def product_inputs(cg: ChainGraph, product: str, kind: str | None = None) -> list[str]:
    """Direct inputs of a product (FEEDS predecessors), optionally only of one kind (原料 / 辅料)."""
    pg = cg.product_graph
    return sorted(q for q in pg.predecessors(product) if kind is None or pg.edges[q, product]["kind"] == kind)


def product_outputs(cg: ChainGraph, product: str) -> list[str]:
    """Direct outputs of a product (FEEDS successors)."""
    return sorted(cg.product_graph.successors(product))


def plants_text(plants: list[tuple[str, str]], names: dict[str, str], routes: Routes) -> str:
    """Plants with the route each runs: 甲化工有限公司（电石法）、…"""
    return "、".join(f"{names.get(f, f)}（{routes.name(r)}）" for f, r in plants)


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
        if r["code"] == "captive_only":
            fields["plants"] = r["plant_text"]
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


def _plants(row: Any, product: str, routes: Routes) -> list[tuple[str, str]]:
    """The local plants of a product with the route of it each runs ("" unknown): local producers,
    integrated plants making it on another product's route, and firms or projects under way."""
    known = [(f, routes.run(product, r)) for f, r in row.local_routes]
    captive = [(f, routes.run(product, "")) for f, _ in row.captive_producers]
    planned = [(x, routes.run(product, "")) for x in [*row.local_building, *row.projects]]
    return known + captive + planned


def _demand(cg: ChainGraph, p: str, by_product: dict[str, Any], needed: set[str], routes: Routes,
            exclude: set[str] = frozenset()) -> tuple[list[str], list[tuple[str, list[str]]], list[str]]:
    """Local outputs that need `p` (on a route their plants run), the outputs whose plants' route is
    unknown with those plants, and the firms needing it; plants in `exclude` are left out."""
    demand, unknown, firms = [], [], []
    for q in product_outputs(cg, p):
        using = [r for r in routes.routes(q) if p in routes.inputs(r)]
        if q not in needed or not using:
            continue
        plants = [(x, r) for x, r in _plants(by_product[q], q, routes) if x not in exclude]
        needing = [x for x, r in plants if r in using]
        if needing:
            demand.append(q)
            firms += needing
        elif any(r == "" for _, r in plants):
            unknown.append((q, sorted({x for x, r in plants if r == ""})))
    return demand, unknown, firms


def _absent_reasons(cg: ChainGraph, row: Any, made: set[str], by_product: dict[str, Any], needed: set[str],
                    names: dict[str, str], product_names: pd.Series, routes: Routes
                    ) -> tuple[str, list[dict[str, Any]]]:
    """Kind (extend or missing) and reasons of a link not made or under way locally."""
    p, reasons = row.product_id, [{"code": "no_local_producer"}]
    local_inputs = [q for q in product_inputs(cg, p, MATERIAL) if q in made]
    demand, unknown, _ = _demand(cg, p, by_product, needed, routes)
    if local_inputs:
        firms = [by_product[q].local_producers or [f for f, _ in by_product[q].captive_producers]
                 for q in local_inputs]
        reasons.append({"code": "local_feedstock", "inputs": local_inputs,
                        "input_names": [product_names[q] for q in local_inputs], "firms": firms,
                        "firm_names": [[names[f] for f in fs] for fs in firms]})
    if demand:
        reasons.append({"code": "local_demand", "outputs": demand, "output_names": [product_names[q] for q in demand]})
    reasons += _unknown_reasons(unknown, names, product_names, routes)
    if row.neighbour_producers:
        reasons.append({"code": "neighbour_supply", "firms": row.neighbour_producers,
                        "firm_names": [names[f] for f in row.neighbour_producers]})
    elif row.elsewhere_count == 0:
        reasons.append({"code": "no_producer_known"})
    return (EXTEND if local_inputs and not demand else MISSING), reasons


def _unknown_reasons(unknown: list[tuple[str, list[str]]], names: dict[str, str], product_names: pd.Series,
                     routes: Routes) -> list[dict[str, Any]]:
    return [{"code": "route_unknown", "output": q, "output_name": product_names[q], "firms": firms,
             "firm_names": [names.get(f, f) for f in firms], "routes": routes.routes(q),
             "route_names": [routes.name(r) for r in routes.routes(q)]} for q, firms in unknown]


def _captive_reasons(cg: ChainGraph, row: Any, by_product: dict[str, Any], needed: set[str], names: dict[str, str],
                     product_names: pd.Series, routes: Routes) -> list[dict[str, Any]] | None:
    """Reasons of a captive link that is a 延链 opportunity (a local plant other than the integrated
    ones needs it), or None when it is not one."""
    plants = [tuple(x) for x in row.captive_producers]
    demand, unknown, _ = _demand(cg, row.product_id, by_product, needed, routes, exclude={f for f, _ in plants})
    if not demand:
        return None
    return [{"code": "captive_only", "plants": [list(x) for x in plants], "firms": [f for f, _ in plants],
             "routes": [r for _, r in plants], "plant_text": plants_text(plants, names, routes)},
            {"code": "local_demand", "outputs": demand, "output_names": [product_names[q] for q in demand]},
            *_unknown_reasons(unknown, names, product_names, routes)]


def _unverified(product: str, reasons: list[dict[str, Any]], by_product: dict[str, Any],
                names: dict[str, str]) -> list[dict[str, Any]]:
    """An `unverified` reason naming the local firms the reasons rest on whose PRODUCES row (of the
    link, of a local input or of a local output) is 待核实; none when every one is 已核实."""
    doubtful: set[str] = set()
    for r in reasons:
        if r["code"] == "single_producer":
            doubtful |= set(r["firms"]) & set(by_product[product].local_unverified)
        elif r["code"] == "local_feedstock":
            doubtful |= {f for q, fs in zip(r["inputs"], r["firms"]) for f in fs
                         if f in by_product[q].local_unverified}
        elif r["code"] == "local_demand":
            doubtful |= {f for q in r["outputs"] for f in by_product[q].local_unverified}
    shown = sorted(doubtful)
    return [{"code": "unverified", "firms": shown, "firm_names": [names.get(f, f) for f in shown]}] if shown else []


def find_gaps(source: ChainGraph | Source, chain: str | None = None, settings: dict[str, Any] | None = None,
              cov: pd.DataFrame | None = None) -> list[Gap]:
    """List the gaps of every chain (or one), most pressing first: by chain (table order), kind
    (断链, 弱链, 延链), higher priority first (`queries.scoring.gap_priority`: focus products),
    segment (上游 first), product id.

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
    per_product = cov.drop_duplicates("product_id")
    by_product = {r.product_id: r for r in per_product.itertuples(index=False)}  # rows by product, read per gap
    made = set(per_product.loc[per_product["status"].isin(COVERED), "product_id"])
    needed = made | set(per_product.loc[per_product["status"] == "project", "product_id"])
    if chain is not None:
        cov = cov[cov["chain_id"] == chain]
    gapped = cov[~cov["status"].isin(("local", "project"))]
    routes = Routes(cg)
    wanted = {f for col in ("local_producers", "neighbour_producers") for fs in gapped[col] for f in fs}
    wanted |= {f for col in ("local_producers", "local_building") for fs in per_product[col] for f in fs}
    wanted |= {f for col in ("captive_producers", "local_routes") for fs in per_product[col] for f, _ in fs}
    projects = cg.tables["projects"]
    names = {**dict(zip(projects["project_id"], projects["name"])), **src.firm_names(wanted)}
    gaps = []
    for row in gapped.itertuples(index=False):
        if row.status == WEAK:
            kind, reasons = WEAK, _weak_reasons(row, names, s)
        elif row.status == "captive":
            kind, reasons = EXTEND, _captive_reasons(cg, row, by_product, needed, names, product_names, routes)
            if reasons is None:
                continue
        else:
            kind, reasons = _absent_reasons(cg, row, made, by_product, needed, names, product_names, routes)
        reasons += _unverified(row.product_id, reasons, by_product, names)
        if row.focus:
            reasons.append({"code": "focus"})
        gaps.append(Gap(chain_id=row.chain_id, chain_name=chain_names[row.chain_id], product_id=row.product_id,
                        product_name=row.name_zh, product_name_en=row.name_en, segment=row.segment,
                        focus=bool(row.focus), kind=kind, kind_zh=KIND_ZH[kind], status=row.status,
                        priority=gap_priority(bool(row.focus), s),
                        reasons=reasons, reason_zh=reason_zh(reasons, home_name, row.name_zh)))
    chain_order = {c: i for i, c in enumerate(cg.tables["chains"]["chain_id"])}
    gaps.sort(key=lambda g: (chain_order[g.chain_id], KIND_ORDER[g.kind], -g.priority,
                             SEGMENT_ORDER.get(g.segment, 3), g.product_id))
    return gaps


def completeness(source: ChainGraph | Source, settings: dict[str, Any] | None = None,
                 cov: pd.DataFrame | None = None) -> dict[str, ChainScore]:
    """Completeness of each chain: the weighted share of its links the home region covers.

    score = Σ weight × credit / Σ weight over the chain's links, where weight is
    `completeness.focus_weight` for a focus product and 1 otherwise, and credit is 1 for a link
    made locally (弱链 and 本地自用/副产 included), `project_credit` for one under way, `neighbour_credit` for one
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
            focus_links=int(f["focus"].sum()), focus_covered=int((f["focus"] & f["covered"]).sum()),
            captive=int(counts.get("captive", 0)))
    return out
