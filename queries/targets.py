"""Leader-plus-supporting targeting (龙头+配套): whom to court for each gap, and why.

For a gap product P of a chain:

- **leader candidates** (龙头): firms tagged 龙头, not local, that make P or a direct output of P;
- **supporting candidates** (配套): firms not local that make an input (原料) or auxiliary (辅料) of
  P, P itself, or a direct output of P, and are either 专精特新 (and not 龙头) or already in the
  neighbouring area. A firm is listed once per gap: as a leader if it qualifies as one.

Each candidate's score is the sum of the components named in `settings.toml` ([leader_score],
[support_score]); the components are returned with it, so the ranking can be checked by hand.
`capacity_top` is its weight times the firm's known capacity of P over the largest known capacity
of P anywhere; `local_feedstock` is its weight per main input the home region already makes (at
most 3); `focus_product` applies when P is a focus product of the chain. Ties are broken by firm
name, then id.
"""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from graph import ChainGraph
from queries.coverage import coverage, producer_table
from queries.gaps import find_gaps
from queries.locality import LOCAL, NEIGHBOUR
from queries.codes import RELS, Codes
from queries.settings import load_settings

SELF, DOWNSTREAM, INPUT, AUXILIARY = "self", "downstream", "input", "auxiliary"
REL_ZH = {SELF: "生产{p}", DOWNSTREAM: "生产其下游产品{x}", INPUT: "生产其原料{x}", AUXILIARY: "生产其辅料{x}"}
MAX_FEEDSTOCK = 3
POOL_COLUMNS = ["enterprise_id", "product_id", "capacity", "leader", "srdi_level", "listed_code", "locality"]


def related_products(cg: ChainGraph, products: list[str]) -> pd.DataFrame:
    """For each product P: rows (gap, product, rel) for P itself, its outputs, inputs and auxiliaries."""
    feeds = cg.tables["feeds"]
    wanted = set(products)
    down = feeds[feeds["input_id"].isin(wanted)]
    up = feeds[feeds["output_id"].isin(wanted)]
    return pd.concat([
        pd.DataFrame({"gap": products, "product_id": products, "rel": SELF}),
        pd.DataFrame({"gap": down["input_id"].values, "product_id": down["output_id"].values, "rel": DOWNSTREAM}),
        pd.DataFrame({"gap": up["output_id"].values, "product_id": up["input_id"].values,
                      "rel": [AUXILIARY if k == "辅料" else INPUT for k in up["kind"]]}),
    ], ignore_index=True).drop_duplicates()


def _firm_components(m: pd.DataFrame, weights: dict[str, float], role: str, max_cap: pd.Series) -> pd.DataFrame:
    """Firm-level score components per (gap product, firm), before the gap-level ones."""
    flags = (m[["gap", "enterprise_id", "rel"]].drop_duplicates().assign(_one=1)
             .set_index(["gap", "enterprise_id", "rel"])["_one"].unstack("rel", fill_value=0))
    flags.columns = [RELS[r] for r in flags.columns]  # codes back to names
    for rel in (SELF, DOWNSTREAM, INPUT, AUXILIARY):
        if rel not in flags:
            flags[rel] = 0
    firms = m.drop_duplicates(["gap", "enterprise_id"]).set_index(["gap", "enterprise_id"])
    comp = pd.DataFrame(index=flags.index)
    comp["makes_gap_product"] = flags[SELF] * weights.get("makes_gap_product", 0)
    comp["makes_downstream"] = flags[DOWNSTREAM] * weights.get("makes_downstream", 0)
    if role == "leader":
        comp["listed"] = (firms["listed_code"] != "").astype(int) * weights.get("listed", 0)
        own = m[m["rel"] == RELS.index(SELF)].set_index(["gap", "enterprise_id"])["capacity"]
        own = own[~own.index.duplicated()].reindex(comp.index)
        top = own / comp.index.get_level_values("gap").map(max_cap).to_numpy()
        comp["capacity_top"] = (top.fillna(0) * weights.get("capacity_top", 0)).round(2)
    else:
        comp["makes_input"] = flags[INPUT] * weights.get("makes_input", 0)
        comp["makes_auxiliary"] = flags[AUXILIARY] * weights.get("makes_auxiliary", 0)
        level = firms["srdi_level"]
        comp["national_srdi"] = (level == "国家级专精特新小巨人").astype(int) * weights.get("national_srdi", 0)
        comp["provincial_srdi"] = (level == "省级专精特新").astype(int) * weights.get("provincial_srdi", 0)
        comp["neighbour"] = (firms["locality"] == NEIGHBOUR).astype(int) * weights.get("neighbour", 0)
    return comp.astype(float)


def _reason(role: str, firm: dict[str, Any], makes: dict[str, list[str]], gap: dict[str, Any],
            names: Mapping[str, str]) -> str:
    head = "龙头企业" if role == "leader" else (firm["srdi_level"] or "周边企业")
    parts = [head]
    for rel in (SELF, INPUT, AUXILIARY, DOWNSTREAM):
        if makes.get(rel):
            parts.append(REL_ZH[rel].format(p=gap["product_name"], x="、".join(names[q] for q in makes[rel])))
    if firm["listed_code"] and role == "leader":
        parts.append(f"上市公司（{firm['listed_code']}）")
    if firm["locality"] == NEIGHBOUR:
        parts.append("已在周边地区布局")
    feed = next((r for r in gap["reasons"] if r["code"] == "local_feedstock"), None)
    if feed:
        supply = "、".join(f"{n}（{'、'.join(f)}）" for n, f in zip(feed["input_names"], feed["firm_names"]))
        parts.append(f"本地可供原料{supply}")
    if gap["focus"]:
        parts.append(f"补齐重点产品{gap['product_name']}")
    return "；".join(parts)


def find_targets(cg: ChainGraph, gaps: list[dict[str, Any]] | None = None,
                 settings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Ranked leader and supporting candidates for each gap.

    Returns one dict per (gap, candidate): chain, chain_name, product, product_name, kind (gap
    kind), kind_zh, role ("leader"/"supporting"), role_zh (龙头/配套), rank (1 = best within the
    gap and role), enterprise_id, name, short_name, province, city, locality, srdi_level,
    listed_code, score, components (dict of the score's parts), makes ({rel: [product ids]}) and
    reason_zh. Gaps come in the order of `find_gaps`; candidates best first.
    """
    s = settings or load_settings()
    if gaps is None:
        gaps = find_gaps(cg, settings=s, cov=coverage(cg, s))
    if not gaps:
        return []
    prod = producer_table(cg, s)
    max_cap = prod.groupby("product_id")["capacity"].max()
    pool = prod.loc[(prod["locality"] != LOCAL) & (prod["leader"] | (prod["srdi_level"] != "")
                                                   | (prod["locality"] == NEIGHBOUR)), POOL_COLUMNS]
    gap_products = sorted({g["product"] for g in gaps})
    code = Codes(related_products(cg, gap_products), pool, cg.tables["enterprises"])
    return rank_targets(gaps, code, max_cap, cg.tables["enterprises"], cg.tables["products"], s)


def rank_targets(gaps: list[dict[str, Any]], code: Codes, max_cap: pd.Series, firms: pd.DataFrame,
                 products: pd.DataFrame, settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Score, rank and describe the coded candidate rows of `code`; `max_cap` is the largest known
    capacity per product id, `firms` at least the candidates' enterprises rows. The Neo4j backend
    shares this with rows it fetched (`Codes.from_rows`)."""
    s = settings
    m, max_cap = code.rows, code.by_product(max_cap)
    is_leader = m["leader"] & m["rel"].isin([RELS.index(SELF), RELS.index(DOWNSTREAM)])
    leader_m = m[is_leader]
    pairs = pd.MultiIndex.from_frame(m[["gap", "enterprise_id"]])
    is_leader_pair = pairs.isin(pd.MultiIndex.from_frame(leader_m[["gap", "enterprise_id"]]))
    support_m = m[~is_leader_pair & ((~m["leader"] & (m["srdi_level"] != "")) | (m["locality"] == NEIGHBOUR))]
    product_names = products.set_index("product_id")["name_zh"].to_dict()
    firms = firms.set_index("enterprise_id")
    gap_frame = pd.DataFrame({
        "gap_index": range(len(gaps)), "product": code.product_codes([g["product"] for g in gaps]),
        "focus": [g["focus"] for g in gaps],
        "feedstock": [min(MAX_FEEDSTOCK, len(next((r["inputs"] for r in g["reasons"]
                                                   if r["code"] == "local_feedstock"), []))) for g in gaps]})
    out: list[dict[str, Any]] = []
    for role, rows, weights, limit in (
            ("leader", leader_m, s["leader_score"], s["targets"]["leaders_per_gap"]),
            ("supporting", support_m, s["support_score"], s["targets"]["supporters_per_gap"])):
        if rows.empty:
            continue
        comp = _firm_components(rows, weights, role, max_cap).reset_index().rename(columns={"gap": "product"})
        parts = [c for c in comp.columns if c not in ("product", "enterprise_id")]
        c = gap_frame.merge(comp, on="product")
        if role == "leader":
            c["focus_product"] = c["focus"].astype(float) * float(weights.get("focus_product", 0))
            c["local_feedstock"] = c["feedstock"] * float(weights.get("local_feedstock", 0))
            parts += ["focus_product", "local_feedstock"]
        c["score"] = c[parts].sum(axis=1).round(2)
        c["name"] = code.name_rank[c["enterprise_id"].to_numpy()]  # sorts as the names do
        c = c.sort_values(["gap_index", "score", "name", "enterprise_id"], ascending=[True, False, True, True])
        c["rank"] = c.groupby("gap_index").cumcount() + 1
        c = c[c["rank"] <= limit]
        chosen = rows.merge(c[["product", "enterprise_id"]].drop_duplicates().rename(columns={"product": "gap"}),
                            on=["gap", "enterprise_id"])  # only the listed candidates' rows
        makes, locality = code.makes(chosen)
        c = code.decode(c)
        listed_firms = firms.loc[c["enterprise_id"].unique()].to_dict("index")
        for rec in c.to_dict("records"):
            gap, eid, p = gaps[rec["gap_index"]], rec["enterprise_id"], rec["product"]
            firm = listed_firms[eid]
            info = {"srdi_level": firm["srdi_level"], "listed_code": firm["listed_code"],
                    "locality": locality[(p, eid)]}
            made = {rel: makes[(p, eid, rel)] for rel in (SELF, DOWNSTREAM, INPUT, AUXILIARY)
                    if (p, eid, rel) in makes}
            out.append({
                "chain": gap["chain"], "chain_name": gap["chain_name"], "product": p,
                "product_name": gap["product_name"], "kind": gap["kind"], "kind_zh": gap["kind_zh"],
                "focus": gap["focus"], "role": role, "role_zh": "龙头" if role == "leader" else "配套",
                "rank": int(rec["rank"]), "enterprise_id": eid, "name": firm["name"],
                "short_name": firm["short_name"], "province": firm["province"], "city": firm["city"], **info,
                "score": float(rec["score"]),
                "components": {k: round(float(rec[k]), 2) for k in parts if rec[k]},
                "makes": made, "reason_zh": _reason(role, info, made, gap, product_names),
            })
    gap_order = {(g["chain"], g["product"]): i for i, g in enumerate(gaps)}
    out.sort(key=lambda t: (gap_order[(t["chain"], t["product"])], t["role"] != "leader", t["rank"]))
    return out
