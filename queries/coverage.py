"""Coverage: for every link of every chain, who makes it locally, nearby and elsewhere.

Two steps. A data source aggregates its producers per product (`queries.producers` for the
tables, `queries.cypher` for Neo4j): the firm-scale work. `link_coverage` then judges each
(chain, product) link from that small frame, the same code for every source.

>>> from loaders import load; from graph import ChainGraph
>>> cov = coverage(ChainGraph(load()[0]))
>>> set(cov["status"]) <= {"local", "weak", "captive", "project", "neighbour", "missing"}
True
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from graph import ChainGraph
from queries.locality import local_regions
from queries.producers import PRODUCER_COLUMNS, lists
from queries.settings import load_settings
from queries.source import Source, as_source
from queries.vocabulary import LIST_SEPARATOR, PROJECT_UNDER_WAY

LINK_COLUMNS = ["chain_id", "product_id", "name_zh", "name_en", "unit", "segment", "focus", "status",
                "local_producers", "local_capacity", "local_building", "projects", "neighbour_producers",
                "elsewhere_count", "weak_reasons", "local_routes", "captive_producers", "local_unverified"]


def project_links(cg: ChainGraph, home: str) -> pd.Series:
    """For each product id, the sorted ids of home-region projects signed or being built for it."""
    projects = cg.tables["projects"]
    under_way = projects[projects["status"].isin(PROJECT_UNDER_WAY) & projects["region_id"].isin(local_regions(cg, home))]
    rows = under_way.assign(product_id=under_way["product_ids"].str.split(LIST_SEPARATOR)).explode("product_id")
    return lists(rows, "product_id", "project_id")


def is_weak(n_local: int, capacities: list[float], unit: str, settings: dict[str, Any]) -> tuple[bool, list[str]]:
    """Weak link (弱链) test on a covered link; returns (weak, reason codes).

    >>> s = {"weak": {"single_producer": True, "min_capacity": {"万吨/年": 10}}}
    >>> is_weak(1, [40.0], "万吨/年", s)
    (True, ['single_producer'])
    >>> is_weak(2, [3.0, 4.0], "万吨/年", s)
    (True, ['low_capacity'])
    >>> is_weak(2, [3.0, float("nan")], "万吨/年", s)  # unknown capacity: cannot call it low
    (False, [])
    """
    weak = settings["weak"]
    codes = []
    if weak.get("single_producer", True) and n_local == 1:
        codes.append("single_producer")
    threshold = weak.get("min_capacity", {}).get(unit)
    known = [c for c in capacities if pd.notna(c)]
    if threshold is not None and known and len(known) == len(capacities) and sum(known) < threshold:
        codes.append("low_capacity")
    return bool(codes), codes


def coverage(source: ChainGraph | Source, settings: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per (chain, product) saying how the home region covers that link.

    `source` is a ChainGraph or a `queries.source.Source` (e.g. Neo4j). Columns: chain_id,
    product_id, name_zh, name_en, unit, segment, focus, local_producers, local_capacity (sum of
    known local capacity, NaN if none known), local_building (local firms with the product
    在建/规划), projects (ids of home-region projects 签约/在建 for it), neighbour_producers,
    elsewhere_count, weak_reasons, local_routes ((firm, route) of each local producer, route ""
    when unknown), captive_producers ((firm, route) of the local plants in operation making it
    as a captive intermediate or by-product of their route), local_unverified (local producers
    whose PRODUCES row is 待核实) and status:

    - "local": made by local firms in operation; "weak": local but 弱链 (see `is_weak`);
    - "captive": no local firm lists it, but a local plant in operation runs a route that makes
      it on the way or as a by-product (本地自用/副产): covered, naming plant and route;
    - "project": not made locally yet, but a local project or plant is under way;
    - "neighbour": made only in the neighbouring area; "missing": none of these.
    """
    s = settings or load_settings()
    src = as_source(source)
    return link_coverage(src.small, src.product_producers(s), s)


def link_coverage(small: ChainGraph, producers: pd.DataFrame, settings: dict[str, Any]) -> pd.DataFrame:
    """The rows of `coverage` from a source's per-product producer frame; reads only small tables."""
    s = settings
    products = small.tables["products"].set_index("product_id")[["name_zh", "name_en", "unit"]]
    cov = small.tables["chain_products"][["chain_id", "product_id", "segment", "focus"]].join(products, on="product_id")
    cov = cov.join(producers[list(PRODUCER_COLUMNS)], on="product_id")
    cov["projects"] = cov["product_id"].map(project_links(small, s["home_region"]))
    cov["projects"] = cov["projects"].map(lambda v: v if isinstance(v, list) else [])
    cov["local_capacity"] = cov["local_capacities"].map(lambda c: sum(x for x in c if pd.notna(x))
                                                        if any(pd.notna(x) for x in c) else float("nan"))
    weak = [is_weak(len(p), c, u, s) for p, c, u in zip(cov["local_producers"], cov["local_capacities"], cov["unit"])]
    cov["weak_reasons"] = [codes for _, codes in weak]
    has_local = cov["local_producers"].map(len) > 0
    under_way = (cov["projects"].map(len) > 0) | (cov["local_building"].map(len) > 0)
    cov["status"] = "missing"
    cov.loc[cov["neighbour_producers"].map(len) > 0, "status"] = "neighbour"
    cov.loc[under_way, "status"] = "project"
    cov.loc[cov["captive_producers"].map(len) > 0, "status"] = "captive"
    cov.loc[has_local, "status"] = "local"
    cov.loc[has_local & pd.Series([w for w, _ in weak], index=cov.index), "status"] = "weak"
    return cov[LINK_COLUMNS].reset_index(drop=True)
