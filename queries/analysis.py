"""The analysis pipeline: coverage once, then gaps, completeness and targets, as one typed result.

Reports, pages, the command line and the workbench call `analyse` (and `what_if`, and `stats`
for the graph's counts) and nothing else; the parts (`queries.coverage`, `gaps`, `targets`, `whatif`) stay public for notebooks.
`source` is a ChainGraph (the tables in memory) or any `queries.source.Source`, such as
`queries.cypher.Neo4jSource`: the same code runs on both.

>>> from loaders import load; from graph import ChainGraph
>>> a = analyse(ChainGraph(load()[0]), chain="degradable")
>>> {g.chain_id for g in a.gaps}, list(a.completeness)
({'degradable'}, ['degradable'])
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from graph import ChainGraph
from queries.banner import Banner, data_banner
from queries.coverage import coverage
from queries.gaps import completeness, find_gaps
from queries.library import firm_tracking, target_library
from queries.errors import InputError, UnknownName
from queries.locality import haversine_km, local_regions, neighbour_regions, region_distances, region_tree
from queries.names import CHAIN, REGION, resolve
from queries.results import ChainScore, Gap, Regions, Target, WhatIf
from queries.settings import load_settings
from queries.source import Source, TableSource, as_source
from queries.summary import stats
from queries.targets import find_targets
from queries.whatif import Addition, NewFirm, parse_addition, parse_new_firm, project_additions, with_new_firms
from queries.whatif import what_if as _what_if


@dataclass(frozen=True)
class Analysis:
    """Everything the analysis found, with what it was computed for.

    graph: the small tables the result refers to (for the in-memory source, the whole graph);
    coverage: one row per (chain_id, product_id), see `queries.coverage.coverage` (every chain);
    gaps, targets: in the order of `find_gaps` / `find_targets`; completeness: chain id -> score.
    """
    graph: ChainGraph
    settings: dict[str, Any]
    home_region: str
    home_name: str
    coverage: pd.DataFrame
    gaps: list[Gap]
    completeness: dict[str, ChainScore]
    targets: Sequence[Target]  # queries.targets.Targets: each described when first read
    regions: Regions
    banner: Banner | None = None  # what the data is and how much is confirmed (tables in memory only)
    chain: str | None = None  # the one chain analysed, or None for all

    def library(self, priorities: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """The target-enterprise library (目标企业库): one row per firm (`queries.library.target_library`)."""
        return target_library([g.to_json() for g in self.gaps], [t.to_json() for t in self.targets], priorities)

    def to_json(self) -> dict[str, Any]:
        """Completeness, gaps and targets as plain data (what `targets --out x.json` writes)."""
        return {"completeness": {k: c.to_json() for k, c in self.completeness.items()},
                "gaps": [g.to_json() for g in self.gaps], "targets": [t.to_json() for t in self.targets]}


def settings_for(settings: dict[str, Any] | None = None, region: str | None = None) -> dict[str, Any]:
    """The settings to analyse with: the given (or default) ones, with `region` as home if given."""
    s = dict(settings or load_settings())
    if region:
        s["home_region"] = region
    return s


def region_facts(source: ChainGraph | Source, settings: dict[str, Any]) -> Regions:
    """The home region's local regions, neighbours (nearest first) and distances, for `settings`."""
    cg = as_source(source).small
    home, radius = settings["home_region"], float(settings["neighbour_radius_km"])
    distances = region_distances(cg, home)
    tree = region_tree(cg)
    return Regions(home_region=home, radius_km=radius, local=frozenset(local_regions(cg, home)),
                   neighbours=tuple(sorted(neighbour_regions(cg, home, radius), key=lambda r: (distances[r], r))),
                   distances=distances, inside={r: frozenset({r} | nx.descendants(tree, r)) for r in tree})


def home_settings(source: ChainGraph | Source, settings: dict[str, Any] | None = None,
                  region: str | None = None) -> dict[str, Any]:
    """`settings_for`, with the home region (`region`, or the settings' home_region) resolved to
    its id: a region id, name or short name; an unknown one is an `UnknownName` (unknown-region)."""
    s = settings_for(settings, region)
    option = "--region" if region else "home_region"
    try:
        s["home_region"] = resolve(as_source(source).small, REGION, str(s["home_region"]), option=option)
    except UnknownName as e:
        if not region:  # from a settings file (or the defaults): say how to choose another
            e.hint_zh, e.hint_en = "用 --region 或参数文件（--config）中的 home_region 指定本地区域", \
                "choose the home region with --region or home_region in the settings file (--config)"
        raise
    return s


def analyse(source: ChainGraph | Source, settings: dict[str, Any] | None = None, chain: str | None = None,
            region: str | None = None) -> Analysis:
    """Coverage, gaps, completeness and targets of every chain (or one) for the home region.

    `chain` and `region` may be ids, names or short names (`queries.names`); an unknown one is an
    `UnknownName` error listing the closest, never an empty result."""
    src = as_source(source)
    s = home_settings(src, settings, region)
    if chain is not None:
        chain = resolve(src.small, CHAIN, chain)
    cov = coverage(src, s)
    gaps = find_gaps(src, chain=chain, settings=s, cov=cov)
    scores = completeness(src, s, cov)
    if chain is not None:
        scores = {k: v for k, v in scores.items() if k == chain}
    regions = src.small.tables["regions"].set_index("region_id")["name_zh"]
    return Analysis(graph=src.small, settings=s, home_region=s["home_region"],
                    home_name=str(regions.get(s["home_region"], s["home_region"])), coverage=cov, gaps=gaps,
                    completeness=scores, targets=find_targets(src, gaps, s), regions=region_facts(src, s),
                    banner=data_banner(src.small.tables, home=s["home_region"]) if isinstance(src, TableSource) else None,
                    chain=chain)


def what_if(source: ChainGraph | Source, additions: list[Addition] = (), projects: list[str] = (),
            settings: dict[str, Any] | None = None, region: str | None = None,
            new_firms: list[NewFirm] = ()) -> WhatIf:
    """Gaps and completeness before and after hypothetical plants: `additions`, plus the plants of
    signed `projects` (ids or names) going into operation. `new_firms` are investors not in the
    data, named by the additions (`with_new_firms`); their plants show as 假设 / hypothetical.

    >>> from loaders import load; from graph import ChainGraph
    >>> r = what_if(ChainGraph(load()[0]), [Addition("某某新材料", "乳酸", 10)], new_firms=[NewFirm("某某新材料", "浙江省")])
    >>> c = r.changed[0]
    >>> c.gap.product_name, c.kind_before, c.kind_after, c.gap.reasons[0]["firm_names"]
    ('乳酸', 'missing', 'weak', ['某某新材料（假设新投资方，乌海市新建）'])
    """
    if not additions and not projects:
        raise InputError("请给出假设的企业产品（--add 企业:产品[:产能]）或签约项目（--project 项目编号）",
                         "give a hypothetical plant (--add FIRM:PRODUCT[:CAPACITY]) or a signed project (--project ID)",
                         code="whatif-nothing", option="--add")
    src = as_source(source)
    s = home_settings(src, settings, region)
    plants = with_new_firms(list(additions), list(new_firms)) + [a for p in projects for a in project_additions(src, p)]
    return _what_if(src, plants, s)


__all__ = ["Addition", "Analysis", "Banner", "NewFirm", "analyse", "data_banner", "firm_tracking", "haversine_km",
           "home_settings", "parse_addition", "parse_new_firm", "region_facts", "settings_for", "stats",
           "target_library", "what_if"]
