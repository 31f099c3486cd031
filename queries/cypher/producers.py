"""The producer rows in Cypher, and the per-product producer aggregation over them.

`producer_rows` is the Cypher twin of `queries.producers.producer_table`: one row per (firm,
product) from PRODUCES, plus the operating-project rule of `queries.producers.operating_projects`
(investors of home-region projects 投产, for their products, unless PRODUCES already has the
pair; the statuses come in as parameters from `queries.vocabulary`). `$override` pairs are left
out and `$extra` rows (hypothetical plants, what-if) added, as `TableSource.with_plants` does to
the tables.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from graph import ChainGraph
from graph.neo4j_store.cypher import ident
from graph.neo4j_store.store import Neo4jStore
from graph.schema import ENTERPRISE, FOR_PRODUCT, INVESTS, NODE_KIND, PRODUCES, PRODUCT, PROJECT, ROUTE
from queries.producers import PRODUCER_COLUMNS

E, P, J = ident(ENTERPRISE), ident(PRODUCT), ident(PROJECT)
EID, PID = (ident(NODE_KIND[k].key) for k in (ENTERPRISE, PRODUCT))
LOCALITY = "CASE WHEN {r} IN $local THEN $LOCAL WHEN {r} IN $near THEN $NEIGHBOUR ELSE $ELSEWHERE END"


def producer_rows(drive: str = "", carry: str = "", product: str = "", extra: bool = False) -> str:
    """Body of a CALL subquery returning [carry,] f, eid, region, product_id, status, capacity, seq,
    route ('' when unknown), verified.

    `drive` starts each branch (e.g. ``UNWIND $related AS x``), `carry` names what it adds to the
    rows (``x,``), `product` restricts the product node (``{product_id: x.product_id}``).
    """
    branches = [
        f"{drive} MATCH (f:{E})-[r:{ident(PRODUCES)}]->(p:{P}{product}) "
        f"WHERE NOT [f.{EID}, p.{PID}] IN $override "
        f"RETURN {carry} f, f.{EID} AS eid, f.region_id AS region, p.{PID} AS product_id, "
        f"r.status AS status, r.capacity AS capacity, r.seq AS seq, coalesce(r.route_id, '') AS route, "
        f"r.verified AS verified",
        f"{drive} MATCH (f:{E})-[:{ident(INVESTS)}]->(j:{J})-[:{ident(FOR_PRODUCT)}]->(p:{P}{product}) "
        f"WHERE j.status = $project_done AND j.region_id IN $local "
        f"AND NOT EXISTS {{ (f)-[:{ident(PRODUCES)}]->(p) }} AND NOT [f.{EID}, p.{PID}] IN $override "
        f"WITH DISTINCT {carry} f, p "
        f"RETURN {carry} f, f.{EID} AS eid, f.region_id AS region, p.{PID} AS product_id, "
        f"$operating AS status, null AS capacity, null AS seq, '' AS route, null AS verified",
    ]
    if extra:
        branches.append(f"UNWIND $extra AS e MATCH (p:{P} {{{PID}: e.product_id}}) "
                        f"RETURN {carry} null AS f, e.enterprise_id AS eid, $home AS region, p.{PID} AS product_id, "
                        f"$operating AS status, e.capacity AS capacity, e.seq AS seq, "
                        f"coalesce(e.route_id, '') AS route, null AS verified")
    return " UNION ALL ".join(branches)


def product_coverage_query(store: Neo4jStore) -> str:
    return (f"{store.call(producer_rows(extra=True))} "
            f"WITH product_id, eid, status, capacity, seq, route, verified, {LOCALITY.format(r='region')} AS loc, "
            f"status = $operating AS operating "
            f"RETURN product_id, "
            f"collect(CASE WHEN operating AND loc = $LOCAL THEN eid END) AS local_producers, "
            f"collect(CASE WHEN operating AND loc = $LOCAL THEN [seq, capacity] END) AS local_capacities, "
            f"collect(CASE WHEN loc = $LOCAL AND status IN $under_way THEN eid END) AS local_building, "
            f"collect(CASE WHEN operating AND loc = $NEIGHBOUR THEN eid END) AS neighbour_producers, "
            f"collect(CASE WHEN operating AND loc = $LOCAL THEN [eid, route] END) AS local_routes, "
            f"collect(CASE WHEN operating AND loc = $LOCAL AND coalesce(verified, '') <> $verified THEN eid END) "
            f"AS local_unverified, "
            f"count(CASE WHEN operating AND loc = $ELSEWHERE THEN 1 END) AS elsewhere_count")


def captive_query(store: Neo4jStore) -> str:
    """Per product, the local plants in operation that make it on a route of another product: the
    route's captive intermediates and by-products (`queries.producers.route_outputs`)."""
    return (f"{store.call(producer_rows(extra=True))} "
            f"WITH eid, route, status, {LOCALITY.format(r='region')} AS loc "
            f"WHERE status = $operating AND loc = $LOCAL AND route <> '' "
            f"MATCH (rt:{ident(ROUTE)} {{{ident(NODE_KIND[ROUTE].key)}: route}}) "
            f"UNWIND coalesce(rt.captive, []) + coalesce(rt.byproducts, []) AS made "
            f"RETURN made AS product_id, collect(DISTINCT [eid, route]) AS captive")


def _pairs(found: list[list[str]]) -> list[tuple[str, str]]:
    return sorted({(a, b) for a, b in found})


def _capacities(pairs: list[list[Any]]) -> list[float]:
    """Local capacities in producer-table order (PRODUCES rows by seq, then the rest), NaN if unknown."""
    ordered = sorted(pairs, key=lambda sc: (sc[0] is None, sc[0] or 0))
    return [float("nan") if c is None else float(c) for _, c in ordered]


def product_producers(store: Neo4jStore, small: ChainGraph, params: dict[str, Any]) -> pd.DataFrame:
    """The frame of `queries.producers.product_producers`, aggregated per product in Cypher."""
    rows = {r["product_id"]: r for r in store.read(product_coverage_query(store), **params)}
    captive = {r["product_id"]: _pairs(r["captive"]) for r in store.read(captive_query(store), **params)}
    records = []
    for pid in small.tables["products"]["product_id"]:
        r = rows.get(pid)
        records.append({
            "local_producers": sorted(set(r["local_producers"])) if r else [],
            "local_capacities": _capacities(r["local_capacities"]) if r else [],
            "local_building": sorted(set(r["local_building"])) if r else [],
            "neighbour_producers": sorted(set(r["neighbour_producers"])) if r else [],
            "local_routes": _pairs(r["local_routes"]) if r else [],
            "captive_producers": captive.get(pid, []),
            "local_unverified": sorted(set(r["local_unverified"])) if r else [],
            "elsewhere_count": int(r["elsewhere_count"]) if r else 0,
        })
    index = pd.Index(small.tables["products"]["product_id"], name="product_id")
    frame = pd.DataFrame(records, index=index, columns=list(PRODUCER_COLUMNS))
    frame["elsewhere_count"] = frame["elsewhere_count"].astype(int)
    return frame
