"""Candidate rows for targeting from Neo4j: what `TableSource.candidates` gives, for the few
firms that can make a gap's list.

Cypher starts from the pool (`queries.scoring.in_pool`: firms not local that are 龙头, 专精特新 or
in the neighbouring area, found through indexes), reads what each makes (PRODUCES, and the
operating-project rule), gathers per (gap product, firm) what the firm makes around the gap,
decides its role, scores it with the firm-level parts of `queries.scoring` and keeps, per gap
and role, only the firms that can reach the top N (every firm scoring within `MARGIN` of the
N-th, so ties and rounding cannot drop one). Python then scores and ranks those few exactly as
for the tables (`queries.targets.rank_targets`). The gap-level parts of a leader's score are the
same for every firm of a gap, so they cannot change who is in the top N.

The competitor penalty (`queries.scoring.competitor`) is part of the Cypher score too. Leaving it
out would NOT keep a superset: a penalty lowers only some firms, so the N best unpenalised firms
may all be penalised and fall below a firm the pre-filter dropped, which Python would then list.
With the penalty in, the Cypher score equals the Python firm-level score and the margin suffices.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from graph import ChainGraph
from graph.neo4j_store.cypher import ident
from graph.neo4j_store.rows import frame_from_maps
from graph.neo4j_store.store import Neo4jStore
from graph.schema import FOR_PRODUCT, INVESTS, PRODUCES, PRODUCT
from queries.codes import Codes
from queries.cypher.producers import LOCALITY, PID, E, J, P
from queries.scoring import (AUXILIARY, COMPETITOR_PENALTY, DOWNSTREAM, INPUT, LEADER_PARTS, LEADER_RELS, SELF,
                             SUPPORT_PARTS)
from queries.source import Candidates
from queries.vocabulary import NATIONAL_SRDI, PROVINCIAL_SRDI

MARGIN = 0.02
M_COLUMNS = ["gap", "product_id", "rel", "enterprise_id", "capacity", "leader", "srdi_level", "listed_code",
             "locality"]


def _has(rel: str) -> str:
    return f"CASE WHEN ${rel} IN rels THEN 1.0 ELSE 0.0 END"


# Each firm-level score part of `queries.scoring` in Cypher (unweighted), over `rels` (what the
# firm makes around the gap), `own` (its capacity of the gap product), `f` and `loc`.
PART_CYPHER = {
    "makes_gap_product": _has("SELF"), "makes_downstream": _has("DOWNSTREAM"),
    "makes_input": _has("INPUT"), "makes_auxiliary": _has("AUXILIARY"),
    "listed": "CASE WHEN f.listed_code IS NULL THEN 0.0 ELSE 1.0 END",
    "capacity_top": "CASE WHEN own IS NULL OR coalesce($max_cap[gap], 0) <= 0 THEN 0.0 ELSE own / $max_cap[gap] END",
    "national_srdi": "CASE WHEN f.srdi_level = $national THEN 1.0 ELSE 0.0 END",
    "provincial_srdi": "CASE WHEN f.srdi_level = $provincial THEN 1.0 ELSE 0.0 END",
    "neighbour": "CASE WHEN loc = $NEIGHBOUR THEN 1.0 ELSE 0.0 END",
    # `queries.scoring.competitor`; its weight is minus [targets] competitor_penalty
    COMPETITOR_PENALTY: "CASE WHEN any(m IN made WHERE m.rel = $DOWNSTREAM AND m.product_id IN $local_made) "
                        "THEN 1.0 ELSE 0.0 END",
}
LEADER_SCORED, SUPPORT_SCORED = (*LEADER_PARTS, COMPETITOR_PENALTY), (*SUPPORT_PARTS, COMPETITOR_PENALTY)


def score_expression(parts: tuple[str, ...], weights: str) -> str:
    """Σ weight × part in Cypher; a part without a Cypher twin is an error, never left out."""
    missing = [p for p in parts if p not in PART_CYPHER]
    if missing:
        raise NotImplementedError(f"score parts without a Cypher expression: {missing}")
    return " + ".join(f"${weights}.{p} * ({PART_CYPHER[p]})" for p in parts)


def candidates_query(store: Neo4jStore) -> str:
    """Best candidates per (gap, role) with what they make around the gap; see the module doc."""
    leader_score, support_score = score_expression(LEADER_SCORED, "lw"), score_expression(SUPPORT_SCORED, "sw")
    pool = (f"MATCH (f:{E}) WHERE f.leader = true RETURN f UNION "
            f"MATCH (f:{E}) WHERE f.srdi_level IS NOT NULL RETURN f UNION "
            f"MATCH (f:{E}) WHERE f.region_id IN $near RETURN f")
    produces = f"MATCH (f)-[r:{ident(PRODUCES)}]->(p:{P}) RETURN collect([p.{PID}, r.capacity]) AS made"
    projects = (f"MATCH (f)-[:{ident(INVESTS)}]->(j:{J})-[:{ident(FOR_PRODUCT)}]->(p:{P}) "
                f"WHERE j.status = $project_done AND j.region_id IN $local "
                f"AND NOT EXISTS {{ (f)-[:{ident(PRODUCES)}]->(p) }} "
                f"WITH DISTINCT p RETURN collect([p.{PID}, null]) AS done")
    return (f"{store.call(pool)} "
            f"WITH f, {LOCALITY.format(r='f.region_id')} AS loc WHERE loc <> $LOCAL "
            f"{store.call(produces, 'f')} {store.call(projects, 'f')} "
            f"WITH f, loc, made, done, [pc IN made + done WHERE pc[0] IN $local_made | pc[0]] AS competes "
            f"UNWIND made + done AS pc "
            f"WITH f, loc, competes, pc[0] AS product_id, pc[1] AS capacity "
            f"UNWIND $related[product_id] AS x "
            f"WITH x.gap AS gap, f, loc, competes, "
            f"collect({{product_id: product_id, rel: x.rel, capacity: capacity}}) AS made "
            f"WITH gap, f, loc, competes, made, f.leader AND any(m IN made WHERE m.rel IN $leader_rels) AS leads "
            f"WHERE leads OR (NOT f.leader AND f.srdi_level IS NOT NULL) OR loc = $NEIGHBOUR "
            f"WITH gap, f, loc, competes, leads, CASE WHEN leads THEN [m IN made WHERE m.rel IN $leader_rels] "
            f"ELSE made END AS made "
            f"WITH gap, f, loc, competes, leads, made, [m IN made | m.rel] AS rels, "
            f"head([m IN made WHERE m.rel = $SELF | m.capacity]) AS own "
            f"WITH gap, f, loc, competes, leads, made, "
            f"CASE WHEN leads THEN {leader_score} ELSE {support_score} END AS score "
            f"ORDER BY score DESC "
            f"WITH gap, leads, collect({{f: f, loc: loc, made: made, score: score, competes: competes}}) AS cands "
            f"WITH gap, leads, cands, CASE WHEN leads THEN $leaders_per_gap ELSE $supporters_per_gap END AS n "
            f"WITH gap, cands, cands[(CASE WHEN size(cands) < n THEN size(cands) ELSE n END) - 1].score AS nth "
            f"UNWIND [c IN cands WHERE c.score >= nth - $margin] AS c "
            f"WITH gap, c, c.f AS f RETURN gap, f {{.*}} AS firm, c.loc AS locality, c.made AS made, "
            f"c.competes AS competes")


def max_capacity_query() -> str:
    return (f"UNWIND $gaps AS gid MATCH (p:{ident(PRODUCT)} {{{PID}: gid}})<-[r:{ident(PRODUCES)}]-() "
            f"RETURN gid, max(r.capacity) AS max_cap")


def _weights(weights: dict[str, Any], parts: tuple[str, ...]) -> dict[str, float]:
    return {p: float(weights.get(p, 0)) for p in parts}


def _weights_with_penalty(weights: dict[str, Any], parts: tuple[str, ...], settings: dict[str, Any]) -> dict[str, float]:
    return {**_weights(weights, parts), COMPETITOR_PENALTY: -float(settings["targets"].get(COMPETITOR_PENALTY, 0))}


def fetch_candidates(store: Neo4jStore, small: ChainGraph, related: pd.DataFrame, params: dict[str, Any],
                     settings: dict[str, Any], local_made: frozenset[str] = frozenset()) -> Candidates:
    """`queries.source.Candidates` for the best candidates only (see the module doc)."""
    s = settings
    gap_products = sorted(set(related["gap"]))
    max_cap = {r["gid"]: r["max_cap"] for r in store.read(max_capacity_query(), gaps=gap_products)}
    by_product = {pid: group[["gap", "rel"]].to_dict("records") for pid, group in related.groupby("product_id")}
    params = {**params, "related": by_product, "max_cap": max_cap,
              "lw": _weights_with_penalty(s["leader_score"], LEADER_PARTS, s),
              "sw": _weights_with_penalty(s["support_score"], SUPPORT_PARTS, s), "local_made": sorted(local_made),
              "leaders_per_gap": int(s["targets"]["leaders_per_gap"]),
              "supporters_per_gap": int(s["targets"]["supporters_per_gap"]), "margin": MARGIN,
              "national": NATIONAL_SRDI, "provincial": PROVINCIAL_SRDI, "leader_rels": list(LEADER_RELS),
              "SELF": SELF, "DOWNSTREAM": DOWNSTREAM, "INPUT": INPUT, "AUXILIARY": AUXILIARY}
    found = store.read(candidates_query(store), **params)
    firms = frame_from_maps("enterprises", [r["firm"] for r in found]).drop_duplicates("enterprise_id")
    m = pd.DataFrame([{"gap": r["gap"], "product_id": x["product_id"], "rel": x["rel"],
                       "enterprise_id": r["firm"]["enterprise_id"],
                       "capacity": float("nan") if x["capacity"] is None else float(x["capacity"]),
                       "leader": bool(r["firm"].get("leader", False)), "srdi_level": r["firm"].get("srdi_level") or "",
                       "listed_code": r["firm"].get("listed_code") or "", "locality": r["locality"]}
                      for r in found for x in r["made"]], columns=M_COLUMNS)
    m["leader"] = m["leader"].astype(bool)
    caps = pd.Series({k: float("nan") if v is None else float(v) for k, v in max_cap.items()}, dtype=float)
    competes = {r["firm"]["enterprise_id"]: sorted(set(r["competes"])) for r in found if r["competes"]}
    return Candidates(Codes.from_rows(m, gap_products, firms), caps, firms, local_made, competes)
