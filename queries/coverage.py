"""Coverage: for every link of every chain, who makes it locally, nearby and elsewhere.

>>> from loaders import load; from graph import ChainGraph
>>> cov = coverage(ChainGraph(load()[0]))
>>> sorted(cov["status"].unique()) <= ["local", "missing", "neighbour", "project", "weak"]
True
"""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pandas as pd

from graph import ChainGraph
from queries.locality import ELSEWHERE, LOCAL, NEIGHBOUR, enterprise_locality, local_regions
from queries.settings import load_settings

OPERATING, UNDER_WAY = "在产", ("在建", "规划")
PROJECT_UNDER_WAY, PROJECT_DONE = ("签约", "在建"), "投产"
STATUSES = ("local", "weak", "project", "neighbour", "missing")


def _lists(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """Group `value` into sorted lists per `key`."""
    if frame.empty:
        return pd.Series(dtype=object)
    return frame.groupby(key)[value].agg(lambda s: sorted(set(s)))


FIRM_CODE = "_firm"  # producer_table column: the firm's row in the enterprises table, when ids are unique
PRODUCT_CODE = "_product"  # producer_table column: the product's row in the products table, when ids are unique
TAGS = ["name", "leader", "srdi_level", "listed_code", "province", "city"]
_PRODUCERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # graph -> {(home, radius): table}


def producer_table(cg: ChainGraph, settings: dict[str, Any] | None = None) -> pd.DataFrame:
    """PRODUCES rows joined with each firm's locality and tags (one row per firm and product).

    Projects in the home region that are in operation (投产) count as their investor producing
    the project's products there, in case the PRODUCES table does not say so yet.

    Computed once per graph, home region and radius (coverage and targeting both need it); the
    frame returned is a copy-on-write view, so changing it leaves the cached one alone.
    """
    s = settings or load_settings()
    key = (s["home_region"], float(s["neighbour_radius_km"]))
    cached = _PRODUCERS.setdefault(cg, {})
    if key not in cached:
        cached[key] = _producer_table(cg, *key)
    return cached[key].copy(deep=False)


def _producer_table(cg: ChainGraph, home: str, radius: float) -> pd.DataFrame:
    firms = cg.tables["enterprises"]
    where = enterprise_locality(cg, home, radius)
    produces = cg.tables["produces"][["enterprise_id", "product_id", "capacity", "status"]]
    projects = cg.tables["projects"]
    done = projects[(projects["status"] == PROJECT_DONE) & projects["region_id"].isin(local_regions(cg, home))
                    & (projects["enterprise_id"] != "")]
    firm_index, product_index = pd.Index(firms["enterprise_id"]), pd.Index(cg.tables["products"]["product_id"])
    if not (firm_index.is_unique and product_index.is_unique):
        return _producer_table_by_join(cg, produces, done, where)
    if len(done):
        produces = pd.concat([produces, _project_rows(done)], ignore_index=True)
    firm = _positions(firm_index, produces["enterprise_id"])
    product = product_index.get_indexer(produces["product_id"])  # few products: direct lookup is faster
    if len(done):
        if (firm < 0).any() or (product < 0).any():
            return _producer_table_by_join(cg, produces, pd.DataFrame(), where)
        first = ~pd.Series(firm.astype(np.int64) * len(product_index) + product).duplicated().to_numpy()
        produces, firm, product = produces[first], firm[first], product[first]
    table = produces.reset_index(drop=True)
    fill = bool((firm < 0).any())
    for col in TAGS:
        table[col] = pd.api.extensions.take(firms[col].array, firm, allow_fill=fill)
    table["locality"] = pd.Series(pd.api.extensions.take(where.array, firm, allow_fill=fill)).fillna(ELSEWHERE)
    table[FIRM_CODE] = firm  # position in the enterprises table (-1: not in it)
    table[PRODUCT_CODE] = product  # position in the products table (-1: not in it), for integer grouping
    return table


def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
    """`index.get_indexer(values)`, looking each distinct value up once (ids repeat across rows)."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    return index.get_indexer(distinct)[codes]


def _project_rows(done: pd.DataFrame) -> pd.DataFrame:
    extra = done.assign(product_id=done["product_ids"].str.split("|")).explode("product_id")
    return extra[extra["product_id"] != ""][["enterprise_id", "product_id"]].assign(capacity=float("nan"),
                                                                                   status=OPERATING)


def _producer_table_by_join(cg: ChainGraph, produces: pd.DataFrame, done: pd.DataFrame,
                            where: pd.Series) -> pd.DataFrame:
    """The same table by a join on firm ids: for graphs whose firm or product ids repeat."""
    if len(done):
        produces = pd.concat([produces, _project_rows(done)], ignore_index=True)
    produces = produces.drop_duplicates(["enterprise_id", "product_id"])
    tags = cg.tables["enterprises"].set_index("enterprise_id")[TAGS]
    table = produces.join(tags, on="enterprise_id")
    table["locality"] = table["enterprise_id"].map(where).fillna(ELSEWHERE)
    return table.reset_index(drop=True)


def _values(column: pd.Series) -> np.ndarray:
    """A string column as an object array, so that comparing it with a string is a plain numpy loop
    (a missing value compares unequal, as in pandas)."""
    return column.to_numpy(dtype=object, na_value=None)


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


def product_coverage(cg: ChainGraph, settings: dict[str, Any] | None = None) -> pd.DataFrame:
    """Per product (index: product_id, in products-table order): local_producers, local_capacities
    (known or NaN, one per local producer row), local_building, projects, neighbour_producers (sorted
    id lists) and elsewhere_count. The Neo4j backend computes the same frame in Cypher."""
    s = settings or load_settings()
    prod = producer_table(cg, s)
    status, where = _values(prod["status"]), _values(prod["locality"])
    is_operating, is_local = status == OPERATING, where == LOCAL
    columns = ["enterprise_id", "product_id", "capacity"]
    local = prod.loc[is_operating & is_local, columns]
    building = prod.loc[is_local & ((status == UNDER_WAY[0]) | (status == UNDER_WAY[1])), columns]
    neighbour = prod.loc[is_operating & (where == NEIGHBOUR), columns]
    elsewhere = is_operating & (where == ELSEWHERE)
    projects = cg.tables["projects"]
    local_projects = projects[projects["status"].isin(PROJECT_UNDER_WAY)
                              & projects["region_id"].isin(local_regions(cg, s["home_region"]))]
    project_rows = local_projects.assign(product_id=local_projects["product_ids"].str.split("|")).explode("product_id")

    per_product = pd.DataFrame(index=cg.tables["products"]["product_id"])
    per_product["local_producers"] = _lists(local, "product_id", "enterprise_id")
    per_product["local_capacities"] = local.groupby("product_id")["capacity"].agg(list)
    per_product["local_building"] = _lists(building, "product_id", "enterprise_id")
    per_product["projects"] = _lists(project_rows, "product_id", "project_id")
    per_product["neighbour_producers"] = _lists(neighbour, "product_id", "enterprise_id")
    if PRODUCT_CODE in prod and per_product.index.is_unique:  # count product codes, not ids
        code = prod[PRODUCT_CODE].to_numpy()[elsewhere]
        per_product["elsewhere_count"] = np.bincount(code[code >= 0], minlength=len(per_product))
    else:
        per_product["elsewhere_count"] = prod.loc[elsewhere, "product_id"].value_counts()
    for col in ("local_producers", "local_capacities", "local_building", "projects", "neighbour_producers"):
        per_product[col] = per_product[col].map(lambda v: v if isinstance(v, list) else [])
    per_product["elsewhere_count"] = per_product["elsewhere_count"].fillna(0).astype(int)
    return per_product


def coverage(cg: ChainGraph, settings: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per (chain, product) saying how the home region covers that link.

    Columns: chain_id, product_id, name_zh, name_en, unit, segment, focus, local_producers,
    local_capacity (sum of known local capacity, NaN if none known), local_building (local firms
    with the product 在建/规划), projects (ids of home-region projects 签约/在建 for it),
    neighbour_producers, elsewhere_count, weak_reasons and status:

    - "local": made by local firms in operation; "weak": local but 弱链 (see `is_weak`);
    - "project": not made locally yet, but a local project or plant is under way;
    - "neighbour": made only in the neighbouring area; "missing": none of these.
    """
    s = settings or load_settings()
    return link_coverage(cg, product_coverage(cg, s), s)


def link_coverage(cg: ChainGraph, per_product: pd.DataFrame, settings: dict[str, Any]) -> pd.DataFrame:
    """The coverage rows of `coverage` from the per-product frame of `product_coverage`.

    Reads only the small tables of `cg` (chain_products, products), so the Neo4j backend shares it.
    """
    s = settings
    products = cg.tables["products"].set_index("product_id")[["name_zh", "name_en", "unit"]]
    cov = cg.tables["chain_products"][["chain_id", "product_id", "segment", "focus"]].join(products, on="product_id")
    cov = cov.join(per_product, on="product_id")
    cov["local_capacity"] = cov["local_capacities"].map(lambda c: sum(x for x in c if pd.notna(x))
                                                        if any(pd.notna(x) for x in c) else float("nan"))
    weak = [is_weak(len(p), c, u, s) for p, c, u in zip(cov["local_producers"], cov["local_capacities"], cov["unit"])]
    cov["weak_reasons"] = [codes for _, codes in weak]
    has_local = cov["local_producers"].map(len) > 0
    under_way = (cov["projects"].map(len) > 0) | (cov["local_building"].map(len) > 0)
    near = cov["neighbour_producers"].map(len) > 0
    cov["status"] = "missing"
    cov.loc[near, "status"] = "neighbour"
    cov.loc[under_way, "status"] = "project"
    cov.loc[has_local, "status"] = "local"
    cov.loc[has_local & pd.Series([w for w, _ in weak], index=cov.index), "status"] = "weak"
    columns = ["chain_id", "product_id", "name_zh", "name_en", "unit", "segment", "focus", "status",
               "local_producers", "local_capacity", "local_building", "projects", "neighbour_producers",
               "elsewhere_count", "weak_reasons"]
    return cov[columns].reset_index(drop=True)
