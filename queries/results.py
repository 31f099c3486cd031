"""The typed results of the analysis: one frozen dataclass per kind of answer.

Field names are the table-column names (`chain_id`, `product_id`, `enterprise_id`, `links`, ...),
the same in Python, in JSON, in the pages and in the workbook. `to_json()` gives the plain dict a
JSON file, a page or a notebook shows.

>>> ChainScore("c1", "可降解材料", 0.5, 5, 2, 2, 1, 1, 1, 2, 0).to_json()["links"]
5
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class _Plain:
    def to_json(self) -> dict[str, Any]:
        """The fields as a plain dict (shallow: the lists and dicts inside are plain already)."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Gap(_Plain):
    """A link a chain lacks (断链 missing), has too thinly (弱链 weak) or could extend to (延链 extend).

    `reasons`: dicts, each with a machine-readable `code` and the ids (and names) behind it, in
    the order they were found; `reason_zh`: the same as one Chinese sentence.
    """
    chain_id: str
    chain_name: str
    product_id: str
    product_name: str
    product_name_en: str
    segment: str
    focus: bool
    kind: str
    kind_zh: str
    status: str
    reasons: list[dict[str, Any]] = field(default_factory=list)
    reason_zh: str = ""
    priority: float = 0.0  # chain-level urgency (`queries.scoring.gap_priority`); gaps are ordered by it


@dataclass(frozen=True)
class Target(_Plain):
    """A firm to court for a gap: a leader (龙头) or a supporting firm (配套), with its score's parts.

    `components`: the non-zero parts of `score` by name; `makes`: what the firm makes around the
    gap, {relation: [product ids]} with relation self / downstream / input / auxiliary;
    `competes_with`: the locally made products it makes too (竞争者), wherever it appears; a
    negative `competitor_penalty` component when one of them is downstream of the gap.
    """
    chain_id: str
    chain_name: str
    product_id: str
    product_name: str
    kind: str
    kind_zh: str
    focus: bool
    role: str
    role_zh: str
    rank: int
    enterprise_id: str
    name: str
    short_name: str
    province: str
    city: str
    locality: str
    srdi_level: str
    listed_code: str
    score: float
    components: dict[str, float] = field(default_factory=dict)
    makes: dict[str, list[str]] = field(default_factory=dict)
    reason_zh: str = ""
    competes_with: list[str] = field(default_factory=list)  # products it makes that the home region makes (竞争者)


@dataclass(frozen=True)
class ChainScore(_Plain):
    """How complete one chain is locally (see `queries.gaps.completeness`); counts are links."""
    chain_id: str
    chain_name: str
    score: float
    links: int
    covered: int
    weak: int
    project: int
    neighbour: int
    missing: int
    focus_links: int
    focus_covered: int
    captive: int = 0  # links covered only by a captive intermediate or by-product (本地自用/副产)


@dataclass(frozen=True)
class KindChange:
    """A gap that stays a gap under a what-if but changes kind (e.g. 断链 -> 弱链); `gap` is the after state."""
    gap: Gap
    kind_before: str
    kind_after: str

    def to_json(self) -> dict[str, Any]:
        return {**self.gap.to_json(), "kind_before": self.kind_before, "kind_after": self.kind_after}


@dataclass(frozen=True)
class ScoreChange(_Plain):
    """A chain's completeness before and after a what-if."""
    chain_id: str
    chain_name: str
    before: float
    after: float
    delta: float


@dataclass(frozen=True)
class Plant(_Plain):
    """A hypothetical plant of a what-if as it was assumed: the firm (a new investor not in the
    data has a made-up id and a name saying 假设新投资方, `new_firm`) and the product, by id."""
    enterprise_id: str
    name: str
    product_id: str
    product_name: str
    capacity: float | None
    new_firm: bool


@dataclass(frozen=True)
class WhatIf:
    """What hypothetical plants change: gaps closed, changed in kind, newly opened, and
    completeness; `plants`: the plants assumed."""
    closed: list[Gap]
    changed: list[KindChange]
    opened: list[Gap]
    completeness: dict[str, ScoreChange]
    plants: list[Plant] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"closed": [g.to_json() for g in self.closed], "changed": [c.to_json() for c in self.changed],
                "opened": [g.to_json() for g in self.opened],
                "completeness": {k: c.to_json() for k, c in self.completeness.items()},
                "plants": [p.to_json() for p in self.plants]}


@dataclass(frozen=True)
class Regions:
    """Where the home region is and what lies around it (see `queries.locality`).

    local: the home region and every region inside it; neighbours: regions within the radius and
    not local, nearest first; distances: km from home to every region with coordinates (its own
    or its nearest ancestor's); inside: for each region, itself and the regions inside it.
    """
    home_region: str
    radius_km: float
    local: frozenset[str]
    neighbours: tuple[str, ...]
    distances: dict[str, float]
    inside: dict[str, frozenset[str]]
