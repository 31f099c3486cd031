"""What-if: if these firms made these products here, which gaps close and which open?"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from graph import ChainGraph
from loaders.validate import spellings
from queries.coverage import coverage
from queries.gaps import completeness, find_gaps
from queries.locality import LOCAL, enterprise_locality
from queries.settings import load_settings


@dataclass(frozen=True)
class Addition:
    """A hypothetical plant: `firm` (id or name) makes `product` (id, name or alias) in the home region."""
    firm: str
    product: str
    capacity: float | None = None


def _resolve(lookup: dict[str, str], value: str, what: tuple[str, str]) -> str:
    """The id a planner's spelling names; a bilingual error when nothing matches."""
    value = value.strip()
    found = lookup.get(value, lookup.get(value.lower()))
    if found is None:
        raise KeyError(f"未找到{what[0]}“{value}” / {what[1]} '{value}' not found")
    return found


def _firm_spellings(firms: pd.DataFrame) -> dict[str, str]:
    """Enterprise id, full name or short name -> id (ids win)."""
    lookup: dict[str, str] = {}
    for column in ("short_name", "name", "enterprise_id"):
        lookup.update({str(v).lower(): i for v, i in zip(firms[column], firms["enterprise_id"]) if v})
        lookup.update({str(v): i for v, i in zip(firms[column], firms["enterprise_id"]) if v})
    return lookup


def with_plants(cg: ChainGraph, additions: list[Addition], settings: dict[str, Any] | None = None) -> ChainGraph:
    """A new graph in which each addition is a plant in operation in the home region.

    A local firm gets the PRODUCES edge itself; a firm from elsewhere gets a plant: a new
    enterprise '<id>@<home>' located in the home region, with the firm's tags.
    """
    s = settings or load_settings()
    home = s["home_region"]
    t = {k: v for k, v in cg.tables.items()}
    firms = t["enterprises"]
    where = enterprise_locality(cg, home, s["neighbour_radius_km"])
    home_name = t["regions"].set_index("region_id")["name_zh"].get(home, home)
    firm_ids, product_ids = _firm_spellings(firms), spellings(t, "products")
    new_firms, new_rows = [], []
    for a in additions:
        eid = _resolve(firm_ids, a.firm, ("企业", "firm"))
        pid = _resolve(product_ids, a.product, ("产品", "product"))
        if where.get(eid) != LOCAL:
            plant = firms[firms["enterprise_id"] == eid].iloc[0].to_dict()
            plant.update(enterprise_id=f"{eid}@{home}", name=f"{plant['name']}（{home_name}新建）",
                         region_id=home, note="假设 / hypothetical")
            new_firms.append(plant)
            eid = plant["enterprise_id"]
        new_rows.append({"enterprise_id": eid, "product_id": pid, "capacity": a.capacity, "unit": "",
                         "status": "在产", "source": "假设 / hypothetical"})
    t["enterprises"] = pd.concat([firms, pd.DataFrame(new_firms, columns=firms.columns)],
                                 ignore_index=True).drop_duplicates("enterprise_id")
    added = pd.DataFrame(new_rows, columns=t["produces"].columns)
    keys = set(zip(added["enterprise_id"], added["product_id"]))
    kept = t["produces"][[k not in keys for k in zip(t["produces"]["enterprise_id"], t["produces"]["product_id"])]]
    t["produces"] = pd.concat([kept, added], ignore_index=True)
    return ChainGraph(t)


def what_if(cg: ChainGraph, additions: list[Addition], settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Compare gaps and completeness before and after the hypothetical plants.

    Returns {"closed": gaps that are no longer gaps, "changed": gaps whose kind changed
    (e.g. 断链 -> 弱链 when a single new plant fills a link), "opened": new gaps (typically 延链
    made possible by the new local feedstock), "completeness": {chain: {"before", "after",
    "delta"}}}. Gap entries are those of `find_gaps`, with "kind_before"/"kind_after" on changes.
    """
    s = settings or load_settings()
    after_cg = with_plants(cg, additions, s)
    cov_before, cov_after = coverage(cg, s), coverage(after_cg, s)
    return compare(find_gaps(cg, settings=s, cov=cov_before), find_gaps(after_cg, settings=s, cov=cov_after),
                   completeness(cg, s, cov_before), completeness(after_cg, s, cov_after))


def compare(gaps_before: list[dict[str, Any]], gaps_after: list[dict[str, Any]],
            comp_before: dict[str, dict[str, Any]], comp_after: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The what-if result (see `what_if`) from the gaps and completeness before and after."""
    before = {(g["chain"], g["product"]): g for g in gaps_before}
    after = {(g["chain"], g["product"]): g for g in gaps_after}
    return {
        "closed": [g for k, g in before.items() if k not in after],
        "changed": [{**after[k], "kind_before": g["kind"], "kind_after": after[k]["kind"]}
                    for k, g in before.items() if k in after and after[k]["kind"] != g["kind"]],
        "opened": [g for k, g in after.items() if k not in before],
        "completeness": {c: {"name": comp_before[c]["name"], "before": comp_before[c]["score"],
                             "after": comp_after[c]["score"],
                             "delta": round(comp_after[c]["score"] - comp_before[c]["score"], 4)}
                         for c in comp_before},
    }


def project_additions(cg: ChainGraph, project_id: str) -> list[Addition]:
    """The plants a signed project would put in operation: its investor making its products."""
    projects = cg.tables["projects"].set_index("project_id")
    if project_id not in projects.index:
        raise KeyError(f"未找到项目“{project_id}” / project '{project_id}' not found")
    p = projects.loc[project_id]
    return [Addition(p["enterprise_id"], pid) for pid in p["product_ids"].split("|") if pid]
