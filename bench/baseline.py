"""The naive baseline: the gap and target queries written as plain Python loops over rows.

It computes what `queries.gaps.find_gaps` and `queries.targets.find_targets` compute (same
coverage rules, same score components and tie-breaks), one firm and one PRODUCES row at a time,
with dicts and sets and no pandas beyond reading the columns. The benchmark times it beside the
library and checks that both give the same gaps and the same ranked candidates.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from queries.locality import ELSEWHERE, LOCAL, NEIGHBOUR, haversine_km

OPERATING, UNDER_WAY, PROJECT_UNDER_WAY, PROJECT_DONE = "在产", ("在建", "规划"), ("签约", "在建"), "投产"
NATIONAL, PROVINCIAL = "国家级专精特新小巨人", "省级专精特新"


def _regions(tables: dict[str, pd.DataFrame], home: str, radius: float) -> tuple[set[str], set[str]]:
    """Local region ids (home and everything under it) and neighbour region ids."""
    parent, coords = {}, {}
    for rid, par, lat, lon in zip(*(tables["regions"][c].tolist() for c in ("region_id", "parent_id", "lat", "lon"))):
        parent[rid] = par
        if not (math.isnan(lat) or math.isnan(lon)):
            coords[rid] = (lat, lon)

    def ancestors(rid: str) -> list[str]:
        chain = [rid]
        while parent.get(chain[-1]):
            chain.append(parent[chain[-1]])
        return chain

    def where(rid: str) -> tuple[float, float] | None:
        return next((coords[r] for r in ancestors(rid) if r in coords), None)

    local = {r for r in parent if home in ancestors(r)}
    origin = where(home)
    near = {r for r in parent if r not in local and origin and where(r)
            and haversine_km(*origin, *where(r)) <= radius}
    return local, near


def baseline_coverage(tables: dict[str, pd.DataFrame], settings: dict[str, Any]) -> dict[str, Any]:
    """One pass over firms, one over PRODUCES rows: per-product producers, and each firm's tags."""
    local_regions, near_regions = _regions(tables, settings["home_region"], settings["neighbour_radius_km"])
    f = tables["enterprises"]
    firm = {}
    for eid, name, region, leader, srdi, listed in zip(
            *(f[c].tolist() for c in ("enterprise_id", "name", "region_id", "leader", "srdi_level", "listed_code"))):
        where = LOCAL if region in local_regions else NEIGHBOUR if region in near_regions else ELSEWHERE
        firm[eid] = {"name": name, "where": where, "leader": leader, "srdi": srdi, "listed": listed}
    p = tables["produces"]
    rows = list(zip(*(p[c].tolist() for c in ("enterprise_id", "product_id", "capacity", "status", "verified"))))
    projects = tables["projects"]
    local_projects = defaultdict(set)
    for pid, eid, products, region, status in zip(*(projects[c].tolist() for c in (
            "project_id", "enterprise_id", "product_ids", "region_id", "status"))):
        for q in filter(None, products.split("|")):
            if region in local_regions and status == PROJECT_DONE and eid:
                rows.append((eid, q, float("nan"), OPERATING, ""))
            elif region in local_regions and status in PROJECT_UNDER_WAY:
                local_projects[q].add(pid)
    by_product, seen = defaultdict(list), set()
    local, local_caps, building, near = defaultdict(set), defaultdict(list), defaultdict(set), defaultdict(set)
    elsewhere, unverified = defaultdict(int), defaultdict(set)
    for eid, q, cap, status, checked in rows:
        if (eid, q) in seen:
            continue
        seen.add((eid, q))
        by_product[q].append((eid, cap))
        where = firm[eid]["where"]
        if where == LOCAL and status == OPERATING:
            local[q].add(eid)
            local_caps[q].append(cap)
            if checked != "已核实":
                unverified[q].add(eid)
        elif where == LOCAL and status in UNDER_WAY:
            building[q].add(eid)
        elif status == OPERATING and where == NEIGHBOUR:
            near[q].add(eid)
        elif status == OPERATING:
            elsewhere[q] += 1
    return {"firm": firm, "by_product": by_product, "local": local, "local_caps": local_caps,
            "building": building, "projects": local_projects, "near": near, "elsewhere": elsewhere,
            "unverified": unverified}


def _status(q: str, unit: str, cov: dict[str, Any], settings: dict[str, Any]) -> tuple[str, list[str]]:
    weak = settings["weak"]
    if cov["local"][q]:
        codes = ["single_producer"] if weak.get("single_producer", True) and len(cov["local"][q]) == 1 else []
        caps, threshold = cov["local_caps"][q], weak.get("min_capacity", {}).get(unit)
        if threshold is not None and caps and not any(math.isnan(c) for c in caps) and sum(caps) < threshold:
            codes.append("low_capacity")
        return ("weak" if codes else "local"), codes
    if cov["projects"][q] or cov["building"][q]:
        return "project", []
    return ("neighbour" if cov["near"][q] else "missing"), []


def baseline_gaps(tables: dict[str, pd.DataFrame], settings: dict[str, Any]) -> tuple[list[dict[str, Any]], dict]:
    """Gaps as (chain, product, kind, reason codes, focus, local inputs), plus the coverage for targets."""
    cov = baseline_coverage(tables, settings)
    units = dict(zip(tables["products"]["product_id"].tolist(), tables["products"]["unit"].tolist()))
    status = {q: _status(q, units[q], cov, settings) for q in units}
    made = {q for q, (s, _) in status.items() if s in ("local", "weak")}
    needed = made | {q for q, (s, _) in status.items() if s == "project"}
    inputs, outputs = defaultdict(list), defaultdict(list)
    fd = tables["feeds"]
    for a, b, kind in zip(fd["input_id"].tolist(), fd["output_id"].tolist(), fd["kind"].tolist()):
        outputs[a].append(b)
        if kind == "原料":
            inputs[b].append(a)
    gaps = []
    cp = tables["chain_products"]
    for chain, q, segment, focus in zip(*(cp[c].tolist() for c in ("chain_id", "product_id", "segment", "focus"))):
        s, codes = status[q]
        if s in ("local", "project"):
            continue
        feed = sorted(x for x in inputs[q] if x in made)
        if s == "weak":
            kind = "weak"
            doubtful = "single_producer" in codes and cov["local"][q] & cov["unverified"][q]
        else:
            demand = [x for x in outputs[q] if x in needed]
            kind = "extend" if feed and not demand else "missing"
            codes = ["no_local_producer"] + (["local_feedstock"] if feed else []) + (["local_demand"] if demand else [])
            codes += ["neighbour_supply"] if cov["near"][q] else [] if cov["elsewhere"][q] else ["no_producer_known"]
            doubtful = any(cov["unverified"][x] for x in feed) or any(cov["unverified"][x] for x in demand)
        codes = codes + (["unverified"] if doubtful else [])
        gaps.append({"chain_id": chain, "product_id": q, "kind": kind, "codes": codes + (["focus"] if focus else []),
                     "focus": bool(focus), "segment": segment, "feedstock": feed if s != "weak" else []})
    order = {c: i for i, c in enumerate(tables["chains"]["chain_id"].tolist())}
    kinds, segments = {"missing": 0, "weak": 1, "extend": 2}, {"上游": 0, "中游": 1, "下游": 2}
    focus = float(settings.get("gap_priority", {}).get("focus_product", 0))
    gaps.sort(key=lambda g: (order[g["chain_id"]], kinds[g["kind"]], -focus * g["focus"], segments.get(g["segment"], 3),
                             g["product_id"]))
    return gaps, {"cov": cov, "inputs": inputs, "outputs": outputs, "feeds": fd}


def _candidates(q: str, ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Firms outside the home region related to gap product q, with what they make of it."""
    cov, found = ctx["cov"], {}
    feeds = ctx["aux"].get(q, set())
    related = [(q, "self")] + [(x, "downstream") for x in ctx["outputs"][q]] + \
        [(x, "auxiliary" if x in feeds else "input") for x in ctx["all_inputs"][q]]
    for x, rel in related:
        for eid, cap in cov["by_product"][x]:
            f = cov["firm"][eid]
            if f["where"] == LOCAL or not (f["leader"] or f["srdi"] or f["where"] == NEIGHBOUR):
                continue
            c = found.setdefault(eid, {"rels": set(), "capacity": float("nan"), "rival": False})
            c["rels"].add(rel)
            c["rival"] |= rel == "downstream" and bool(cov["local"][x])  # a locally made output of q
            if rel == "self":
                c["capacity"] = cap
    return found


def _round2(x: float) -> float:
    """Round as pandas does (numpy's round half to even on x * 100), not as Python's round()."""
    return float(np.round(x, 2))


def _score(role: str, eid: str, c: dict[str, Any], gap: dict[str, Any], top: float,
           ctx: dict[str, Any], w: dict[str, float]) -> float:
    """The candidate's score: its components added in the library's column order, then rounded."""
    f, rels = ctx["cov"]["firm"][eid], c["rels"]
    parts = [w.get("makes_gap_product", 0) * ("self" in rels), w.get("makes_downstream", 0) * ("downstream" in rels)]
    if role == "leader":
        share = c["capacity"] / top if top > 0 and not math.isnan(c["capacity"]) else 0.0
        parts += [w.get("listed", 0) * (f["listed"] != ""), _round2(share * w.get("capacity_top", 0)),
                  -ctx["penalty"] * c["rival"], min(3, len(gap["feedstock"])) * w.get("local_feedstock", 0)]
    else:
        parts += [w.get("makes_input", 0) * ("input" in rels), w.get("makes_auxiliary", 0) * ("auxiliary" in rels),
                  w.get("national_srdi", 0) * (f["srdi"] == NATIONAL),
                  w.get("provincial_srdi", 0) * (f["srdi"] == PROVINCIAL), w.get("neighbour", 0) * (f["where"] == NEIGHBOUR),
                  -ctx["penalty"] * c["rival"]]
    score = 0.0
    for part in parts:
        score += float(part)
    return _round2(score)


def baseline_targets(tables: dict[str, pd.DataFrame], gaps: list[dict[str, Any]], ctx: dict[str, Any],
                     settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Ranked leaders and supporters per gap: (chain, product, role, rank, enterprise_id, score)."""
    ctx["all_inputs"], ctx["aux"] = defaultdict(list), defaultdict(set)
    ctx["penalty"] = float(settings["targets"].get("competitor_penalty", 0))
    fd = ctx["feeds"]
    for a, b, kind in zip(fd["input_id"].tolist(), fd["output_id"].tolist(), fd["kind"].tolist()):
        ctx["all_inputs"][b].append(a)
        if kind == "辅料":
            ctx["aux"][b].add(a)
    cache: dict[str, dict[str, dict[str, Any]]] = {}
    out = []
    limits = {"leader": settings["targets"]["leaders_per_gap"], "supporting": settings["targets"]["supporters_per_gap"]}
    weights = {"leader": settings["leader_score"], "supporting": settings["support_score"]}
    for gap in gaps:
        q = gap["product_id"]
        found = cache.setdefault(q, _candidates(q, ctx))
        caps = [c for _, c in ctx["cov"]["by_product"][q] if not math.isnan(c)]
        top = max(caps) if caps else float("nan")
        ranked: dict[str, list[tuple[float, str, str]]] = {"leader": [], "supporting": []}
        for eid, c in found.items():
            f = ctx["cov"]["firm"][eid]
            if f["leader"] and c["rels"] & {"self", "downstream"}:
                role = "leader"
                c = {**c, "rels": c["rels"] & {"self", "downstream"}}
            elif (not f["leader"] and f["srdi"]) or f["where"] == NEIGHBOUR:
                role = "supporting"
            else:
                continue
            ranked[role].append((-_score(role, eid, c, gap, top, ctx, weights[role]), f["name"], eid))
        for role in ("leader", "supporting"):
            for rank, (neg, _, eid) in enumerate(sorted(ranked[role])[: limits[role]], start=1):
                out.append({"chain_id": gap["chain_id"], "product_id": q, "role": role, "rank": rank,
                            "enterprise_id": eid, "score": -neg})
    return out
