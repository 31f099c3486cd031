"""The query results the pages show, gathered once: coverage, gaps, completeness and targets."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graph import ChainGraph


@dataclass(frozen=True)
class Analysis:
    """Plain query results; the page builders read nothing else from `queries`.

    coverage: one row per (chain_id, product_id), see `queries.coverage.coverage`.
    gaps: items of `queries.gaps.find_gaps`; targets: items of `queries.targets.find_targets`;
    completeness: `queries.gaps.completeness`, chain id -> {score, covered, total, ...}.
    """
    coverage: pd.DataFrame
    gaps: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    completeness: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_region: str = "wuhai"


def analyse(cg: ChainGraph, settings: dict[str, Any] | None = None) -> Analysis:
    """Run the gap queries on `cg` with the given (or default) settings."""
    from queries.coverage import coverage
    from queries.gaps import completeness, find_gaps
    from queries.settings import load_settings
    from queries.targets import find_targets

    s = settings or load_settings()
    gaps = find_gaps(cg, settings=s)
    return Analysis(coverage=coverage(cg, settings=s), gaps=gaps,
                    targets=find_targets(cg, gaps=gaps, settings=s),
                    completeness=completeness(cg, settings=s), home_region=s["home_region"])
