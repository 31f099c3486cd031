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
    settings: dict[str, Any] | None = None

    def target_list_data(self) -> dict[str, Any]:
        """The plain data `reports.target_list.write_target_list` takes as `data`."""
        return {"completeness": self.completeness, "gaps": self.gaps, "targets": self.targets}


def analyse(cg: ChainGraph, settings: dict[str, Any] | None = None) -> Analysis:
    """Run the gap queries on `cg` with the given (or default) settings."""
    from queries.coverage import coverage
    from queries.gaps import completeness, find_gaps
    from queries.settings import load_settings
    from queries.targets import find_targets

    s = settings or load_settings()
    cov = coverage(cg, s)
    gaps = find_gaps(cg, settings=s, cov=cov)
    return Analysis(coverage=cov, gaps=gaps, targets=find_targets(cg, gaps, s),
                    completeness=completeness(cg, s, cov), home_region=s["home_region"], settings=s)
