"""Synthetic regions, chains, products, chain products and FEEDS for `loaders.generate`."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.generate.spec import HOME, SOURCE, Spec

HOME_LAT, HOME_LON = 39.655, 106.794  # 乌海市
LAYERS = 6
LAYER_SHARE = np.array([0.12, 0.16, 0.20, 0.20, 0.18, 0.14])
SEGMENT_OF_LAYER = ["上游", "上游", "中游", "中游", "下游", "下游"]
LOCAL_SHARE_OF_LAYER = np.array([0.6, 0.5, 0.35, 0.2, 0.1, 0.05])  # chance Wuhai already makes it
AUX_SHARE_LOW = 0.28  # of layer 0-1 products are catalysts, solvents, additives: about 8 % of all
INPUTS_P = np.array([0.30, 0.35, 0.20, 0.15])  # 1, 2, 3 or 4 raw-material inputs
AUX_INPUT_P, SAME_CHAIN_P, SECOND_CHAIN_P, FOCUS_P = 0.35, 0.8, 0.10, 0.2
# products.kind of a product outside every flow (FEEDS join materials only): a few are equipment or uses
EQUIPMENT_P, USE_P = 0.05, 0.02
DISTRICTS, PARKS, NEAR, FAR = 3, 4, 6, 3
NEAR_PROVINCES = ["内蒙古自治区", "宁夏回族自治区"]


@dataclass
class Catalogue:
    """What the firm tables need to know of the products and regions."""

    product_ids: np.ndarray  # object array of ids, in id order
    product_names: np.ndarray
    chain: np.ndarray  # home chain index per product
    popularity: np.ndarray  # relative weight of a product among producers
    local: np.ndarray  # bool: Wuhai firms may make it
    home_regions: list[str]  # districts and parks of Wuhai
    near_regions: list[tuple[str, str]]  # (region id, province)
    far_regions: list[tuple[str, str]]


def destination(lat: float, lon: float, km: float, bearing_deg: float) -> tuple[float, float]:
    """The point `km` away from (lat, lon) along a bearing, rounded to 4 decimals.

    >>> destination(0.0, 0.0, 111.195, 90.0)
    (0.0, 1.0)
    """
    d, b, p1 = km / 6371.0, math.radians(bearing_deg), math.radians(lat)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = math.radians(lon) + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return round(math.degrees(p2), 4) + 0.0, round(math.degrees(l2), 4) + 0.0


def regions_table(rng: np.random.Generator) -> tuple[pd.DataFrame, Catalogue]:
    rows = [{"region_id": HOME, "name_zh": "乌海市", "kind": "city", "province": "内蒙古自治区",
             "lat": HOME_LAT, "lon": HOME_LON}]
    districts = [f"{HOME}_d{i + 1}" for i in range(DISTRICTS)]
    rows += [{"region_id": r, "name_zh": f"合成区{i + 1}", "kind": "district", "parent_id": HOME}
             for i, r in enumerate(districts)]
    parks = [f"{HOME}_park{i + 1}" for i in range(PARKS)]
    rows += [{"region_id": r, "name_zh": f"合成工业园区{i + 1}", "kind": "park", "parent_id": districts[i % DISTRICTS]}
             for i, r in enumerate(parks)]
    near, far = [], []
    for prefix, count, lo, hi, kind, out in (("near", NEAR, 20, 140, "town", near), ("far", FAR, 180, 400, "city", far)):
        for i in range(count):
            lat, lon = destination(HOME_LAT, HOME_LON, float(rng.uniform(lo, hi)), float(rng.uniform(0, 360)))
            province = NEAR_PROVINCES[i % 2]
            rid = f"{prefix}{i + 1:02d}"
            label = "周边镇" if prefix == "near" else "远郊市"
            rows.append({"region_id": rid, "name_zh": f"合成{label}{i + 1:02d}", "kind": kind,
                         "province": province, "lat": lat, "lon": lon})
            out.append((rid, province))
    frame = pd.DataFrame(rows).fillna({"parent_id": "", "province": ""})
    frame["lat"] = frame["lat"].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
    frame["lon"] = frame["lon"].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
    frame["source"] = SOURCE
    empty = np.array([], dtype=object)
    return frame, Catalogue(empty, empty, empty, empty, empty, districts + parks, near, far)


def chains_table(k: int) -> pd.DataFrame:
    tiers = ["千亿级集群"] * 2 + ["百亿级产业链"] * 5
    return pd.DataFrame({
        "chain_id": [f"chain{i + 1:02d}" for i in range(k)],
        "name_zh": [f"合成产业链{i + 1:02d}" for i in range(k)],
        "name_en": [f"Synthetic chain {i + 1:02d}" for i in range(k)],
        "tier": [tiers[i] if i < len(tiers) else "重点产业链" for i in range(k)],
        "description": "合成数据 / synthetic",
        "source": SOURCE,
    })


def product_layout(spec: Spec, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chain, layer and auxiliary flag per product, sorted by (layer, chain) so ids run upstream first."""
    chain = np.arange(spec.products) % spec.chains
    layer = np.minimum(np.searchsorted(np.cumsum(LAYER_SHARE), rng.random(spec.products), side="right"), LAYERS - 1)
    layer[: spec.chains * 2] = np.repeat([0, 1], spec.chains)  # every chain has raw materials and a layer 1
    aux = (layer <= 1) & (rng.random(spec.products) < AUX_SHARE_LOW)
    order = np.lexsort((rng.random(spec.products), chain, layer))
    return chain[order], layer[order], aux[order]


def feeds_rows(rng: np.random.Generator, chain: np.ndarray, layer: np.ndarray, aux: np.ndarray,
               popularity: np.ndarray, flowing: np.ndarray) -> pd.DataFrame:
    """Each product above layer 0 takes 1-4 raw materials and perhaps one auxiliary from earlier layers;
    only products marked `flowing` take part (all of them unless the spec says otherwise)."""
    rows = []
    for p in np.flatnonzero((layer > 0) & flowing):
        earlier = (layer < layer[p]) & ~aux & flowing
        same = earlier & (chain == chain[p])
        pool = np.flatnonzero(same if same.any() and rng.random() < SAME_CHAIN_P else earlier)
        if not len(pool):
            continue
        n = min(len(pool), 1 + int(np.searchsorted(np.cumsum(INPUTS_P), rng.random(), side="right")))
        w = popularity[pool] / popularity[pool].sum()
        rows += [(i, p, "原料") for i in sorted(rng.choice(pool, size=n, replace=False, p=w))]
        helpers = np.flatnonzero(aux & (layer < layer[p]) & flowing)
        if len(helpers) and rng.random() < AUX_INPUT_P:
            rows.append((int(rng.choice(helpers)), p, "辅料"))
    return pd.DataFrame(rows, columns=["input", "output", "kind"])


def chain_tables(spec: Spec, rng: np.random.Generator) -> tuple[dict[str, pd.DataFrame], Catalogue]:
    """The regions, chains, products, chain_products and feeds tables, and the catalogue for firms."""
    regions, cat = regions_table(rng)
    chains = chains_table(spec.chains)
    chain, layer, aux = product_layout(spec, rng)
    m = spec.products
    ids = np.array([f"p{i + 1:05d}" for i in range(m)], dtype=object)
    names = np.array([f"合成{'辅料' if a else '产品'}{i + 1:05d}" for i, a in enumerate(aux)], dtype=object)
    popularity = rng.lognormal(0.0, 1.0, m)
    # a separate stream, so the default (every product flowing) draws exactly as before
    flowing = np.random.default_rng([spec.seed, 1]).random(m) < spec.flows if spec.flows < 1 else np.ones(m, bool)
    draw = np.random.default_rng([spec.seed, 2]).random(m)  # and another for the product kinds
    kind = np.where(flowing | aux, "物料", np.where(draw < EQUIPMENT_P, "设备", np.where(draw < EQUIPMENT_P + USE_P, "用途", "物料")))
    products = pd.DataFrame({
        "product_id": ids, "name_zh": names, "name_en": [f"Synthetic product {i + 1:05d}" for i in range(m)],
        "aliases": [f"SP{i + 1:05d}" if i % 3 == 0 else "" for i in range(m)], "unit": "万吨/年", "kind": kind,
        "note": np.where(aux, "辅料（催化剂、溶剂、助剂）", ""),
    })
    second = (layer > 0) & (rng.random(m) < SECOND_CHAIN_P) & (spec.chains > 1)
    other = (chain + 1 + rng.integers(0, max(spec.chains - 1, 1), m)) % spec.chains
    member = np.concatenate([np.arange(m), np.flatnonzero(second)])
    member_chain = np.concatenate([chain, other[second]])
    cp = pd.DataFrame({"chain_id": chains["chain_id"].to_numpy()[member_chain], "product_id": ids[member],
                       "segment": np.array(SEGMENT_OF_LAYER)[layer[member]],
                       "focus": np.where(rng.random(len(member)) < FOCUS_P, "是", "否"), "_c": member_chain,
                       "_p": member}).sort_values(["_c", "_p"], kind="stable").drop(columns=["_c", "_p"])
    f = feeds_rows(rng, chain, layer, aux, popularity, flowing)
    feeds = pd.DataFrame({"input_id": ids[f["input"].to_numpy(int)], "output_id": ids[f["output"].to_numpy(int)],
                          "kind": f["kind"], "note": ""})
    cat.product_ids, cat.product_names, cat.chain, cat.popularity = ids, names, chain, popularity
    cat.local = rng.random(m) < LOCAL_SHARE_OF_LAYER[layer]
    tables = {"regions": regions, "chains": chains, "products": products, "chain_products": cp, "feeds": feeds}
    return tables, cat
