"""What-if: if these firms made these products here, which gaps close and which open?

>>> from loaders import load; from graph import ChainGraph
>>> cg = ChainGraph(load()[0])
>>> project_additions(cg, "P011")[0].product
'lithium_ion_cell'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from graph import ChainGraph
from loaders.validate import spellings
from queries.coverage import coverage
from queries.gaps import completeness, find_gaps
from queries.locality import local_regions
from queries.results import ChainScore, Gap, KindChange, ScoreChange, WhatIf
from queries.settings import load_settings
from queries.source import Source, as_source
from queries.vocabulary import LIST_SEPARATOR, OPERATING

HYPOTHETICAL = "假设 / hypothetical"


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


def with_plants(source: ChainGraph | Source, additions: list[Addition], settings: dict[str, Any] | None = None) -> Source:
    """The source with each addition as a plant in operation in the home region.

    A local firm gets the PRODUCES row itself; a firm from elsewhere gets a plant: a new
    enterprise '<id>@<home>' located in the home region, with the firm's tags.
    """
    s = settings or load_settings()
    src = as_source(source)
    home = s["home_region"]
    t = src.small.tables
    local = local_regions(src.small, home)
    home_name = t["regions"].set_index("region_id")["name_zh"].get(home, home)
    product_ids = spellings(t, "products")
    new_firms, new_rows = [], []
    for a in additions:
        named = src.firms_named(a.firm)
        eid = _resolve(_firm_spellings(named), a.firm, ("企业", "firm"))
        pid = _resolve(product_ids, a.product, ("产品", "product"))
        firm = named[named["enterprise_id"] == eid].iloc[0].to_dict()
        if firm["region_id"] not in local:
            firm.update(enterprise_id=f"{eid}@{home}", name=f"{firm['name']}（{home_name}新建）", region_id=home,
                        note=HYPOTHETICAL)
            new_firms.append(firm)
            eid = firm["enterprise_id"]
        new_rows.append({"enterprise_id": eid, "product_id": pid, "capacity": a.capacity, "unit": "",
                         "status": OPERATING, "source": HYPOTHETICAL})
    firms = pd.DataFrame(new_firms, columns=t["enterprises"].columns).drop_duplicates("enterprise_id")
    return src.with_plants(firms, pd.DataFrame(new_rows, columns=t["produces"].columns))


def compare(gaps_before: list[Gap], gaps_after: list[Gap], comp_before: dict[str, ChainScore],
            comp_after: dict[str, ChainScore]) -> WhatIf:
    """The what-if result from the gaps and completeness before and after: gaps closed, gaps whose
    kind changed (e.g. 断链 -> 弱链 when a single new plant fills a link), gaps opened (typically
    延链 made possible by the new local feedstock) and each chain's completeness change."""
    before = {(g.chain_id, g.product_id): g for g in gaps_before}
    after = {(g.chain_id, g.product_id): g for g in gaps_after}
    return WhatIf(
        closed=[g for k, g in before.items() if k not in after],
        changed=[KindChange(after[k], g.kind, after[k].kind) for k, g in before.items()
                 if k in after and after[k].kind != g.kind],
        opened=[g for k, g in after.items() if k not in before],
        completeness={c: ScoreChange(c, b.chain_name, b.score, comp_after[c].score,
                                     round(comp_after[c].score - b.score, 4)) for c, b in comp_before.items()})


def what_if(source: ChainGraph | Source, additions: list[Addition], settings: dict[str, Any] | None = None) -> WhatIf:
    """Compare gaps and completeness before and after the hypothetical plants (see `compare`)."""
    s = settings or load_settings()
    src = as_source(source)
    after = with_plants(src, additions, s)
    cov_before, cov_after = coverage(src, s), coverage(after, s)
    return compare(find_gaps(src, settings=s, cov=cov_before), find_gaps(after, settings=s, cov=cov_after),
                   completeness(src, s, cov_before), completeness(after, s, cov_after))


def project_additions(source: ChainGraph | Source, project_id: str) -> list[Addition]:
    """The plants a signed project would put in operation: its investor making its products."""
    projects = as_source(source).small.tables["projects"].set_index("project_id")
    if project_id not in projects.index:
        raise KeyError(f"未找到项目“{project_id}” / project '{project_id}' not found")
    p = projects.loc[project_id]
    return [Addition(p["enterprise_id"], pid) for pid in p["product_ids"].split(LIST_SEPARATOR) if pid]
