"""The table source's firm-scale work: every firm's PRODUCES rows with locality and tags, and the
aggregations over them that `queries.source.TableSource` supplies (per-product producers, the
targeting pool). The Neo4j source does the same in Cypher (`queries.cypher`).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from graph import ChainGraph
from queries.codes import distinct_pairs, pair_key, rows_of
from queries.locality import enterprise_locality, local_regions
from queries.settings import load_settings
from queries.vocabulary import (ELSEWHERE, LIST_SEPARATOR, LOCAL, NEIGHBOUR, OPERATING, PROJECT_DONE, UNDER_WAY,
                                VERIFIED)

# The per-product frame a source supplies (index: product_id, in products-table order). Pairs are
# (firm id, route id) tuples, sorted; route "" where the plant's route is unknown.
PRODUCER_COLUMNS = ("local_producers", "local_capacities", "local_building", "neighbour_producers",
                    "local_routes", "captive_producers", "local_unverified", "elsewhere_count")
FIRM_ROW = "firm_row"  # producer_table column: the firm's row in the enterprises table
PRODUCT_ROW = "product_row"  # producer_table column: the product's row in the products table
LOCALITIES = (LOCAL, NEIGHBOUR, ELSEWHERE)
WHERE = "where"  # producer_table column: the index of its locality in LOCALITIES (int8)
RUNNING = "running"  # producer_table column: status is 在产 (bool)
BUILDING = "building"  # producer_table column: status is 在建 or 规划 (bool)


def operating_projects(projects: pd.DataFrame, local: set[str]) -> pd.DataFrame:
    """The operating-project rule: a project in operation (投产) in the home region, with an investor,
    counts as its investor producing the project's products there (rows enterprise_id, product_id),
    in case the PRODUCES table does not say so yet. Cypher restates it in `queries.cypher.producers`."""
    done = projects[(projects["status"] == PROJECT_DONE) & projects["region_id"].isin(local)
                    & (projects["enterprise_id"] != "")]
    rows = done.assign(product_id=done["product_ids"].str.split(LIST_SEPARATOR)).explode("product_id")
    return rows.loc[rows["product_id"] != "", ["enterprise_id", "product_id"]]


def producer_table(cg: ChainGraph, settings: dict[str, Any] | None = None) -> pd.DataFrame:
    """PRODUCES rows with each firm's locality (one row per firm and product): enterprise_id,
    product_id, capacity, status, route_id, verified, locality, and for integer work the firm's and
    product's row positions (`firm_row`, `product_row`), the locality's code (`where`, index in
    LOCALITIES) and the status as flags (`running` 在产, `building` 在建 or 规划). Firm tags are not
    copied onto the millions of rows: take them from the enterprises table by `firm_row`.

    Includes the operating projects (`operating_projects`) unless PRODUCES has the pair already.
    Computed once per graph, home region and radius (kept in `cg.derived`); the frame returned is
    a copy-on-write view, so changing it leaves the kept one alone.
    """
    s = settings or load_settings()
    key = ("producer_table", s["home_region"], float(s["neighbour_radius_km"]))
    if key not in cg.derived:
        cg.derived[key] = _producer_table(cg, s["home_region"], float(s["neighbour_radius_km"]))
    return cg.derived[key].copy(deep=False)


def _producer_table(cg: ChainGraph, home: str, radius: float) -> pd.DataFrame:
    produces = cg.tables["produces"][["enterprise_id", "product_id", "capacity", "status", "route_id", "verified"]]
    firm = rows_of(produces, "enterprise_id", cg.ids["enterprises"])  # found by the validator
    if firm is None:
        firm = _positions(cg.ids["enterprises"], produces["enterprise_id"])
    product = rows_of(produces, "product_id", cg.ids["products"])
    if product is None:
        product = cg.ids["products"].get_indexer(produces["product_id"])  # few products: direct lookup is faster
    done = operating_projects(cg.tables["projects"], local_regions(cg, home))
    if len(done):
        done_firm = cg.ids["enterprises"].get_indexer(done["enterprise_id"])
        done_product = cg.ids["products"].get_indexer(done["product_id"])
        new = _new_pairs(firm, product, done_firm, done_product, len(cg.ids["products"]))
        done = done[new].assign(capacity=float("nan"), status=OPERATING, route_id="", verified="")
        produces = pd.concat([produces, done], ignore_index=True)
        firm, product = np.r_[firm, done_firm[new]], np.r_[product, done_product[new]]
    if (firm < 0).any() or (product < 0).any():  # validation rejects such rows; a hand-built graph may not
        raise ValueError("生产关系引用了不存在的企业或产品 / PRODUCES or a project names an unknown firm or product")
    table = produces.reset_index(drop=True)
    for col in ("route_id", "verified"):  # hypothetical plants (what-if) have none
        if table[col].hasnans:
            table[col] = table[col].fillna("")
    where = firm_where(cg, home, radius)[firm]
    status = values(table["status"])
    table["locality"] = np.array(LOCALITIES, dtype=object)[where]
    table[FIRM_ROW], table[PRODUCT_ROW], table[WHERE] = firm, product, where
    table[RUNNING] = status == OPERATING
    table[BUILDING] = np.logical_or.reduce([status == v for v in UNDER_WAY])  # np.isin would sort the text
    return table


def _new_pairs(firm: np.ndarray, product: np.ndarray, done_firm: np.ndarray, done_product: np.ndarray,
               width: int) -> np.ndarray:
    """Which (done_firm, done_product) pairs PRODUCES (firm, product) lacks, each pair's first row only.

    >>> _new_pairs(np.array([0, 1]), np.array([5, 5]), np.array([1, 1, 2, 2]), np.array([5, 6, 6, 6]), 10).tolist()
    [False, True, True, False]
    """
    near = np.isin(firm, done_firm)  # the few PRODUCES rows of the projects' investors
    key = pair_key(done_firm, done_product, width)
    return ~np.isin(key, pair_key(firm[near], product[near], width)) & distinct_pairs(done_firm, done_product, width)


def firm_where(cg: ChainGraph, home: str, radius: float) -> np.ndarray:
    """Each enterprises row's locality as its index in LOCALITIES (int8), kept in `cg.derived`."""
    key = ("firm_where", home, radius)
    if key not in cg.derived:
        where = enterprise_locality(cg, home, radius).to_numpy(dtype=object)
        codes = np.full(len(where), LOCALITIES.index(ELSEWHERE), dtype=np.int8)
        for i, name in enumerate(LOCALITIES):
            codes[where == name] = i
        cg.derived[key] = codes
    return cg.derived[key]


def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
    """`index.get_indexer(values)`, looking each distinct value up once (ids repeat across rows)."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    return index.get_indexer(distinct)[codes]


def values(column: pd.Series) -> np.ndarray:
    """A string column as an object array, so that comparing it with a string is a plain numpy loop
    (a missing value, NaN or None, compares unequal, as in pandas). Without a copy for text in
    Python storage (what `loaders.load` makes): asking for `na_value=None` would scan for NaN."""
    return column.to_numpy(dtype=object)


def lists(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """Group `value` into sorted distinct lists per `key` (index: the keys, sorted), by one sort
    rather than a pandas group per key.

    >>> lists(pd.DataFrame({"k": ["b", "a", "b", "b"], "v": ["y", "x", "z", "y"]}), "k", "v").to_dict()
    {'a': ['x'], 'b': ['y', 'z']}
    """
    if frame.empty:
        return pd.Series(dtype=object)
    pairs = frame[[key, value]].drop_duplicates().sort_values([key, value])
    k, v = pairs[key].to_numpy(dtype=object), pairs[value].tolist()
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]).tolist()
    return pd.Series([v[a:b] for a, b in zip(starts, starts[1:] + [len(k)])], index=k[starts], dtype=object)


def route_outputs(routes: pd.DataFrame) -> pd.DataFrame:
    """What an integrated plant on each route makes besides the route's product: rows (route_id,
    product_id) for its captive intermediates and by-products.

    >>> route_outputs(pd.DataFrame({"route_id": ["pvc:carbide"], "captive": ["acetylene|vcm"],
    ...                             "byproducts": ["carbide_slag"]}))["product_id"].tolist()
    ['acetylene', 'vcm', 'carbide_slag']
    """
    made = (routes["captive"] + LIST_SEPARATOR + routes["byproducts"]).str.split(LIST_SEPARATOR)
    rows = pd.DataFrame({"route_id": routes["route_id"], "product_id": made}).explode("product_id")
    return rows[rows["product_id"].fillna("") != ""].reset_index(drop=True)


def pairs(frame: pd.DataFrame, key: str, a: str, b: str) -> pd.Series:
    """Group (a, b) tuples into sorted lists per `key`."""
    if frame.empty:
        return pd.Series(dtype=object)
    return pd.Series(list(zip(frame[a], frame[b])), index=frame.index).groupby(frame[key]).agg(
        lambda s: sorted(set(s)))


def product_producers(cg: ChainGraph, settings: dict[str, Any] | None = None) -> pd.DataFrame:
    """Per product (index: product_id, in products-table order), the columns of PRODUCER_COLUMNS:
    local operating producers (sorted ids) and their capacities (known or NaN, one per producer
    row), local firms building or planning it, neighbouring producers, the local producers with
    the route each runs, the local plants that make it on a route of another product (captive
    intermediate or by-product: (firm, route) of `route_outputs`), the local producers whose
    PRODUCES row is not 已核实, and the count elsewhere."""
    s = settings or load_settings()
    prod = producer_table(cg, s)
    running, where = prod[RUNNING].to_numpy(), prod[WHERE].to_numpy()
    is_local = where == LOCALITIES.index(LOCAL)
    columns = ["enterprise_id", "product_id", "capacity", "route_id", "verified"]
    local = prod.loc[running & is_local, columns]
    building = prod.loc[is_local & prod[BUILDING].to_numpy(), columns]
    neighbour = prod.loc[running & (where == LOCALITIES.index(NEIGHBOUR)), columns]
    elsewhere = prod[PRODUCT_ROW].to_numpy()[running & (where == LOCALITIES.index(ELSEWHERE))]
    frame = pd.DataFrame(index=pd.Index(cg.tables["products"]["product_id"], name="product_id"))
    frame["local_producers"] = lists(local, "product_id", "enterprise_id")
    frame["local_capacities"] = local.groupby("product_id")["capacity"].agg(list)
    frame["local_building"] = lists(building, "product_id", "enterprise_id")
    frame["neighbour_producers"] = lists(neighbour, "product_id", "enterprise_id")
    frame["local_routes"] = pairs(local, "product_id", "enterprise_id", "route_id")
    plants = local[local["route_id"] != ""][["enterprise_id", "route_id"]]
    captive = plants.merge(route_outputs(cg.tables["routes"]), on="route_id")
    frame["captive_producers"] = pairs(captive, "product_id", "enterprise_id", "route_id")
    frame["local_unverified"] = lists(local[local["verified"] != VERIFIED], "product_id", "enterprise_id")
    for col in PRODUCER_COLUMNS[:-1]:
        frame[col] = frame[col].map(lambda v: v if isinstance(v, list) else [])
    frame["elsewhere_count"] = np.bincount(elsewhere, minlength=len(frame))
    return frame
