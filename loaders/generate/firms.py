"""Synthetic enterprises, PRODUCES rows and projects for `loaders.generate`, vectorised over firms."""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generate.chains import Catalogue
from loaders.generate.spec import SOURCE, Spec

LEADER_SHARE, SRDI_SHARE, NATIONAL_SHARE = 0.01, 0.03, 0.3
LISTED_LEADER_P, LISTED_OTHER_P = 0.5, 0.005
REDRAWS = 4
MAIN_CHAIN_P = 0.8  # a firm's products mostly come from its own chain
EMPTY_CAPACITY_P = 0.3
STATUS = np.array(["在产", "在建", "规划"], dtype=object)
STATUS_P = [0.85, 0.10, 0.05]
PROJECT_STATUS = np.array(["签约", "在建", "投产"], dtype=object)
LOCAL, NEAR, FAR, ELSEWHERE = 1, 2, 3, 0
CITIES = 30
PROVINCES = {  # rough weights: where China's industrial firms are
    "广东省": 12, "江苏省": 12, "浙江省": 11, "山东省": 8, "河南省": 5, "福建省": 4, "湖北省": 4, "安徽省": 4,
    "河北省": 4, "湖南省": 4, "四川省": 4, "上海市": 3, "江西省": 3, "北京市": 2, "天津市": 2, "重庆市": 2,
    "辽宁省": 2, "陕西省": 2, "广西壮族自治区": 2, "山西省": 1.5, "云南省": 1.5, "内蒙古自治区": 1,
    "贵州省": 1, "吉林省": 1, "黑龙江省": 1, "新疆维吾尔自治区": 1, "甘肃省": 0.8, "宁夏回族自治区": 0.5,
    "海南省": 0.5, "青海省": 0.3, "西藏自治区": 0.1,
}


def weighted_pick(rng: np.random.Generator, groups: list[np.ndarray], weights: list[np.ndarray],
                  group_of_row: np.ndarray) -> np.ndarray:
    """For each row draw one item of its group, with probability proportional to the item weights.

    Vectorised: the groups' cumulative weights are laid end to end as g + (0, 1] and one
    `searchsorted` draws every row at once.
    """
    flat = np.concatenate([g + np.cumsum(w) / w.sum() for g, w in enumerate(weights)])
    items = np.concatenate(groups)
    ends = np.cumsum([len(g) for g in groups])
    idx = np.searchsorted(flat, group_of_row + rng.random(len(group_of_row)), side="right")
    return items[np.minimum(idx, ends[group_of_row] - 1)]


def placement(spec: Spec, rng: np.random.Generator, cat: Catalogue) -> pd.DataFrame:
    """Province, city, region and where-kind (LOCAL, NEAR, FAR, ELSEWHERE) of every firm."""
    n = spec.firms
    where = np.full(n, ELSEWHERE, dtype=np.int8)
    perm = rng.permutation(n)
    far = spec.neighbours // 4
    cuts = np.cumsum([spec.local, spec.neighbours, far])
    where[perm[: cuts[0]]], where[perm[cuts[0]: cuts[1]]], where[perm[cuts[1]: cuts[2]]] = LOCAL, NEAR, FAR
    province = np.full(n, "", dtype=object)
    city = np.full(n, "", dtype=object)
    region = np.full(n, "", dtype=object)
    names = np.array(list(PROVINCES), dtype=object)
    weights = np.array(list(PROVINCES.values()))
    out = where == ELSEWHERE
    province[out] = names[rng.choice(len(names), out.sum(), p=weights / weights.sum())]
    city[out] = np.array([f"合成市{j:02d}" for j in range(1, CITIES + 1)], dtype=object)[rng.integers(0, CITIES, out.sum())]
    here = where == LOCAL
    region[here] = np.array(cat.home_regions, dtype=object)[rng.integers(0, len(cat.home_regions), here.sum())]
    province[here], city[here] = "内蒙古自治区", "乌海市"
    for kind, regions in ((NEAR, cat.near_regions), (FAR, cat.far_regions)):
        sel = where == kind
        pick = rng.integers(0, len(regions), sel.sum())
        region[sel] = np.array([r for r, _ in regions], dtype=object)[pick]
        province[sel] = np.array([p for _, p in regions], dtype=object)[pick]
    return pd.DataFrame({"province": province, "city": city, "region_id": region, "_where": where})


def enterprises_table(spec: Spec, rng: np.random.Generator, cat: Catalogue) -> pd.DataFrame:
    n, w = spec.firms, spec.width
    firms = placement(spec, rng, cat)
    tags = rng.permutation(n)
    n_leaders, n_srdi = round(n * LEADER_SHARE), round(n * SRDI_SHARE)
    leader = np.zeros(n, dtype=bool)
    leader[tags[:n_leaders]] = True
    srdi = np.full(n, "", dtype=object)
    national = rng.random(n_srdi) < NATIONAL_SHARE
    srdi[tags[n_leaders: n_leaders + n_srdi]] = np.where(national, "国家级专精特新小巨人", "省级专精特新")
    listed = rng.random(n) < np.where(leader, LISTED_LEADER_P, LISTED_OTHER_P)
    numbers = [f"{i:0{w}d}" for i in range(1, n + 1)]
    firms.insert(0, "enterprise_id", [f"E{x}" for x in numbers])
    firms.insert(1, "name", [f"合成企业{x}" for x in numbers])
    firms["leader"] = np.where(leader, "是", "否")
    firms["srdi_level"] = srdi
    firms["listed_code"] = np.where(listed, np.array([f"S{x}.SYN" for x in numbers], dtype=object), "")
    firms["source"] = SOURCE
    return firms


def produces_table(spec: Spec, rng: np.random.Generator, cat: Catalogue, firms: pd.DataFrame) -> pd.DataFrame:
    """About 3 products per firm (leaders 4-10), drawn by popularity from the firm's main chain."""
    n, k, m = spec.firms, spec.chains, spec.products
    leader = (firms["leader"] == "是").to_numpy()
    counts = np.where(leader, np.minimum(4 + rng.poisson(2.0, n), 10), np.clip(1 + rng.poisson(2.0, n), 1, 8))
    firm = np.repeat(np.arange(n), counts)
    sizes = np.bincount(cat.chain, minlength=k)
    main = rng.choice(k, n, p=sizes / sizes.sum())[firm]
    group = np.where(rng.random(len(firm)) < MAIN_CHAIN_P, main, rng.integers(0, k, len(firm)))
    group[(firms["_where"].to_numpy() == LOCAL)[firm]] = k  # Wuhai firms make what Wuhai makes
    members = [np.flatnonzero(cat.chain == c) for c in range(k)] + [np.flatnonzero(cat.local)]
    weights = [cat.popularity[g] for g in members]
    product = weighted_pick(rng, members, weights, group)
    for _ in range(REDRAWS):  # a firm makes a product once: draw repeats again, drop what still repeats
        _, first = np.unique(firm.astype(np.int64) * m + product, return_index=True)
        again = np.ones(len(firm), dtype=bool)
        again[first] = False
        if not again.any():
            break
        product[again] = weighted_pick(rng, members, weights, group[again])
    _, first = np.unique(firm.astype(np.int64) * m + product, return_index=True)
    keep = np.sort(first)
    firm, product = firm[keep], product[keep]
    capacity = np.maximum(np.round(rng.lognormal(1.5, 1.0, len(firm)) * np.where(leader[firm], 3, 1), 1), 0.1)
    capacity[rng.random(len(firm)) < EMPTY_CAPACITY_P] = np.nan
    return pd.DataFrame({
        "enterprise_id": firms["enterprise_id"].to_numpy()[firm], "product_id": cat.product_ids[product],
        "capacity": capacity, "unit": "万吨/年", "status": STATUS[rng.choice(3, len(firm), p=STATUS_P)],
        "source": SOURCE,
    })


def projects_table(spec: Spec, rng: np.random.Generator, cat: Catalogue, firms: pd.DataFrame) -> pd.DataFrame:
    """Signed projects in Wuhai, mostly for products Wuhai does not make yet."""
    rows = []
    leaders = np.flatnonzero((firms["leader"] == "是").to_numpy())
    gaps, everything = np.flatnonzero(~cat.local), np.arange(spec.products)
    for i in range(spec.projects):
        investor = rng.choice(leaders) if len(leaders) and rng.random() < 0.5 else rng.integers(spec.firms)
        pool = gaps if len(gaps) and rng.random() < 0.7 else everything
        products = np.sort(rng.choice(pool, size=min(len(pool), 1 + int(rng.random() < 0.3)), replace=False))
        tons = int(rng.integers(1, 31))
        rows.append({
            "project_id": f"P{i + 1:04d}",
            "name": f"合成项目{i + 1:04d}（年产{tons}万吨{cat.product_names[products[0]]}）",
            "enterprise_id": firms["enterprise_id"].iat[int(investor)],
            "product_ids": "|".join(cat.product_ids[products]),
            "region_id": cat.home_regions[int(rng.integers(len(cat.home_regions)))],
            "amount": round(float(rng.lognormal(2.0, 0.8)), 1),
            "status": PROJECT_STATUS[rng.choice(3, p=[0.4, 0.4, 0.2])],
            "date": f"{int(rng.integers(2019, 2025))}-{int(rng.integers(1, 13)):02d}",
            "source": SOURCE,
        })
    return pd.DataFrame(rows)


def firm_tables(spec: Spec, rng: np.random.Generator, cat: Catalogue) -> dict[str, pd.DataFrame]:
    firms = enterprises_table(spec, rng, cat)
    return {"enterprises": firms, "produces": produces_table(spec, rng, cat, firms),
            "projects": projects_table(spec, rng, cat, firms)}
