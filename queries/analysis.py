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

from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from graph import ChainGraph
from queries.coverage import coverage
from queries.gaps import completeness, find_gaps
from queries.library import firm_tracking, target_library
from queries.locality import haversine_km, local_regions, neighbour_regions, region_distances, region_tree
from queries.results import ChainScore, Gap, Regions, Target, WhatIf
from queries.settings import load_settings
from queries.source import Source, as_source
from queries.summary import stats
from queries.targets import find_targets
from queries.whatif import Addition, project_additions
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
    targets: list[Target]
    regions: Regions
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


def analyse(source: ChainGraph | Source, settings: dict[str, Any] | None = None, chain: str | None = None,
            region: str | None = None) -> Analysis:
    """Coverage, gaps, completeness and targets of every chain (or one) for the home region."""
    s = settings_for(settings, region)
    src = as_source(source)
    cov = coverage(src, s)
    gaps = find_gaps(src, chain=chain, settings=s, cov=cov)
    scores = completeness(src, s, cov)
    if chain is not None:
        scores = {k: v for k, v in scores.items() if k == chain}
    regions = src.small.tables["regions"].set_index("region_id")["name_zh"]
    return Analysis(graph=src.small, settings=s, home_region=s["home_region"],
                    home_name=str(regions.get(s["home_region"], s["home_region"])), coverage=cov, gaps=gaps,
                    completeness=scores, targets=find_targets(src, gaps, s), regions=region_facts(src, s), chain=chain)


def what_if(source: ChainGraph | Source, additions: list[Addition] = (), projects: list[str] = (),
            settings: dict[str, Any] | None = None, region: str | None = None) -> WhatIf:
    """Gaps and completeness before and after hypothetical plants: `additions`, plus the plants of
    signed `projects` (ids) going into operation."""
    src = as_source(source)
    plants = list(additions) + [a for p in projects for a in project_additions(src, p)]
    return _what_if(src, plants, settings_for(settings, region))


__all__ = ["Addition", "Analysis", "analyse", "firm_tracking", "haversine_km", "region_facts", "settings_for", "stats", "target_library", "what_if"]
