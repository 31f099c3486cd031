"""Leader-plus-supporting targeting (龙头+配套): whom to court for each gap, and why.

Who is a candidate, and in which role, is defined in `queries.scoring`. Each candidate's score
is the sum of the components named in `settings.toml` ([leader_score], [support_score]); the
components are returned with it, so the ranking can be checked by hand. `capacity_top` is its
weight times the firm's known capacity of the gap product P over the largest known capacity of P
anywhere; `local_feedstock` is its weight per main input the home region already makes (at most
3). Every part depends only on the firm and P, so a firm scores the same for P in every chain;
whether P is a focus product of a chain is the gap's priority (`queries.scoring.gap_priority`).
Ties are broken by firm name, then id.

Worked example (tests/conftest.py): E3, a listed 龙头 making BDO (10 万吨/年, the largest known),
for the BDO gap where acetylene is made locally, scores
50 (makes it) + 10 (listed) + 20 × 10/10 (capacity) + 5 (one local input) = 85.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from graph import ChainGraph
from queries.codes import Codes, pair_key
from queries.coverage import coverage
from queries.gaps import find_gaps, supply_text
from queries.producers import values
from queries.results import Gap, Target
from queries.scoring import (AUXILIARY, COMPETITOR_PENALTY, DOWNSTREAM, INPUT, LEADER_GAP_PARTS, LEADER_PARTS,
                             LEADER_RELS, MAX_FEEDSTOCK, RELS, SELF, SUPPORT_PARTS, competitor, supports)
from queries.settings import load_settings
from queries.source import Candidates, Source, as_source
from queries.vocabulary import (AUXILIARY_INPUT, LEADER, NATIONAL_SRDI, NEIGHBOUR, PROVINCIAL_SRDI, REL_ZH,
                                ROLE_ZH, SUPPORTING)

FIRM_FIELDS = ["name", "short_name", "province", "city", "srdi_level", "listed_code"]  # used per candidate


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
                      "rel": [AUXILIARY if k == AUXILIARY_INPUT else INPUT for k in up["kind"]]}),
    ], ignore_index=True).drop_duplicates()


def _firm_parts(m: pd.DataFrame, role: str, max_cap: pd.Series, product_local: np.ndarray) -> pd.DataFrame:
    """Every firm-level part of `role`, unweighted, per (gap product, firm), indexed by their codes
    in sorted order (`pair_key`: grouping is numpy work on one integer column)."""
    gap, firm, rel = (m[c].to_numpy(dtype=np.int64) for c in ("gap_code", "firm_code", "rel_code"))
    width = int(firm.max()) + 1
    keys, first, pair = np.unique(pair_key(gap, firm, width), return_index=True, return_inverse=True)
    flags = np.zeros((len(keys), len(RELS)))
    flags[pair, rel] = 1.0

    def firm_values(column: str) -> np.ndarray:  # a firm-level column, from each pair's first row
        return values(m[column])[first]

    raw = {"makes_gap_product": flags[:, RELS.index(SELF)], "makes_downstream": flags[:, RELS.index(DOWNSTREAM)]}
    rival = np.zeros(len(keys))
    rival[pair[competitor(rel, product_local[m["product_code"].to_numpy(dtype=np.int64)])]] = 1.0
    raw[COMPETITOR_PENALTY] = rival
    if role == LEADER:
        raw["listed"] = (firm_values("listed_code") != "").astype(float)
        own = np.full(len(keys), np.nan)
        is_self = np.flatnonzero(rel == RELS.index(SELF))
        self_pair, at = np.unique(pair[is_self], return_index=True)  # each pair's first own row
        own[self_pair] = m["capacity"].to_numpy(dtype=float)[is_self[at]]
        with np.errstate(divide="ignore", invalid="ignore"):
            top = own / max_cap.to_numpy(dtype=float)[keys // width]
        raw["capacity_top"] = np.where(np.isnan(top), 0.0, top)
    else:
        raw["makes_input"] = flags[:, RELS.index(INPUT)]
        raw["makes_auxiliary"] = flags[:, RELS.index(AUXILIARY)]
        level = firm_values("srdi_level")
        raw["national_srdi"] = (level == NATIONAL_SRDI).astype(float)
        raw["provincial_srdi"] = (level == PROVINCIAL_SRDI).astype(float)
        raw["neighbour"] = (firm_values("locality") == NEIGHBOUR).astype(float)
    index = pd.MultiIndex.from_arrays([keys // width, keys % width], names=["gap_code", "firm_code"])
    return pd.DataFrame(raw, index=index)


def _weighted(parts: pd.DataFrame, names: tuple[str, ...], weights: dict[str, Any]) -> pd.DataFrame:
    """The named parts times their weights (capacity_top rounded to 2 places, as shown)."""
    out = pd.DataFrame({n: parts[n] * float(weights.get(n, 0)) for n in names}, index=parts.index)
    if "capacity_top" in out:
        out["capacity_top"] = out["capacity_top"].round(2)
    return out


def _roles(m: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The candidate rows of leaders and of supporting firms (a firm leads a gap or supports it)."""
    leads = m["leader"].to_numpy() & m["rel_code"].isin([RELS.index(r) for r in LEADER_RELS]).to_numpy()
    width = int(m["firm_code"].max()) + 1 if len(m) else 1
    key = pair_key(m["gap_code"].to_numpy(), m["firm_code"].to_numpy(), width)
    leader_pair = np.isin(key, key[leads])
    can_support = supports(m["leader"].to_numpy(), values(m["srdi_level"]), values(m["locality"]))
    return m[leads], m[~leader_pair & can_support]


def _gap_frame(gaps: list[Gap], code: Codes) -> pd.DataFrame:
    """Per gap (in list order): its product code, focus flag and number of local inputs (capped)."""
    feedstock = [min(MAX_FEEDSTOCK, len(next((r["inputs"] for r in g.reasons if r["code"] == "local_feedstock"), [])))
                 for g in gaps]
    return pd.DataFrame({"gap_index": range(len(gaps)), "gap_code": code.product_codes([g.product_id for g in gaps]),
                         "focus": [g.focus for g in gaps], "feedstock": feedstock})


def _ranked(rows: pd.DataFrame, role: str, gap_frame: pd.DataFrame, code: Codes, max_cap: pd.Series,
            product_local: np.ndarray, settings: dict[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    """Scored candidates of one role per gap, best first, cut to the role's limit; and the part names."""
    weights = {**settings["leader_score" if role == LEADER else "support_score"],
               COMPETITOR_PENALTY: -float(settings["targets"].get(COMPETITOR_PENALTY, 0))}
    names = (*(LEADER_PARTS if role == LEADER else SUPPORT_PARTS), COMPETITOR_PENALTY)
    comp = _weighted(_firm_parts(rows, role, max_cap, product_local), names, weights).reset_index()
    c = gap_frame.merge(comp, on="gap_code")
    parts = list(names)
    if role == LEADER:
        gap_values = {"local_feedstock": c["feedstock"].astype(float)}
        for name in LEADER_GAP_PARTS:
            c[name] = gap_values[name] * float(weights.get(name, 0))
        parts += list(LEADER_GAP_PARTS)
    c["score"] = c[parts].sum(axis=1).round(2)
    c["name"] = code.name_rank[c["firm_code"].to_numpy()]  # sorts as the names do
    # by gap, best score first, then name, then id (np.lexsort: last key first)
    c = c.iloc[np.lexsort((c["firm_code"].to_numpy(), c["name"].to_numpy(), -c["score"].to_numpy(),
                           c["gap_index"].to_numpy()))]
    gap_index = c["gap_index"].to_numpy()
    start = np.flatnonzero(np.r_[True, gap_index[1:] != gap_index[:-1]])  # each gap's first row
    c["rank"] = np.arange(len(c)) - np.repeat(start, np.diff(np.r_[start, len(c)])) + 1
    limit = settings["targets"]["leaders_per_gap" if role == LEADER else "supporters_per_gap"]
    return c[c["rank"] <= limit], parts


def _gap_tail(gap: Gap) -> list[str]:
    """The closing parts of every candidate's reason for a gap: local feedstock, focus product."""
    parts = []
    feed = next((r for r in gap.reasons if r["code"] == "local_feedstock"), None)
    if feed:
        parts.append(f"本地可供原料{supply_text(feed)}")
    if gap.focus:
        parts.append(f"补齐重点产品{gap.product_name}")
    return parts


def _reason(role: str, srdi_level: str, listed_code: str, locality: str, makes: dict[str, list[str]], gap: Gap,
            names: Mapping[str, str], tail: list[str], rivals: list[str]) -> str:
    parts = ["龙头企业" if role == LEADER else (srdi_level or "周边企业")]
    for rel in (SELF, INPUT, AUXILIARY, DOWNSTREAM):
        if makes.get(rel):
            parts.append(REL_ZH[rel].format(p=gap.product_name, x="、".join(names[q] for q in makes[rel])))
    if listed_code and role == LEADER:
        parts.append(f"上市公司（{listed_code}）")
    if locality == NEIGHBOUR:
        parts.append("已在周边地区布局")
    if rivals:
        parts.append(f"竞争者：亦生产本地已有的{'、'.join(names[q] for q in rivals)}")
    return "；".join(parts + tail)


class _Listed:
    """The listed candidates of one role, as columns, and what it takes to describe each one
    (`target(i)`: the Target of row i). Built for every candidate; described only when asked."""

    def __init__(self, role: str, c: pd.DataFrame, parts: list[str], rows: pd.DataFrame, gaps: list[Gap],
                 cands: Candidates, product_names: dict[str, str], tails: list[list[str]]):
        code = cands.code
        chosen = rows.merge(c[["gap_code", "firm_code"]].drop_duplicates(),
                            on=["gap_code", "firm_code"])  # only the listed candidates' rows
        self.makes, self.locality = code.makes(chosen)
        firm_rows = code.firm_rows[c["firm_code"].to_numpy()]
        self.firm = {f: cands.firms[f].to_numpy(dtype=object)[firm_rows].tolist() for f in FIRM_FIELDS}
        c = code.decode(c)
        self.col = {k: c[k].tolist() for k in ["gap_index", "enterprise_id", "product_id", "rank"]}
        self.score = c["score"].to_numpy(dtype=float).tolist()
        self.parts = [(k, c[k].to_numpy(dtype=float).tolist()) for k in parts]
        self.role, self.gaps, self.competes = role, gaps, cands.competes
        self.product_names, self.tails = product_names, tails

    def __len__(self) -> int:
        return len(self.score)

    def target(self, i: int) -> Target:
        g, eid, p = self.col["gap_index"][i], self.col["enterprise_id"][i], self.col["product_id"][i]
        gap, where, role, firm = self.gaps[g], self.locality[(p, eid)], self.role, self.firm
        made = {rel: self.makes[(p, eid, rel)] for rel in (SELF, DOWNSTREAM, INPUT, AUXILIARY)
                if (p, eid, rel) in self.makes}
        rivals = self.competes.get(eid, [])
        srdi, listed = firm["srdi_level"][i], firm["listed_code"][i]
        return Target(
            chain_id=gap.chain_id, chain_name=gap.chain_name, product_id=p, product_name=gap.product_name,
            kind=gap.kind, kind_zh=gap.kind_zh, focus=gap.focus, role=role, role_zh=ROLE_ZH[role],
            rank=int(self.col["rank"][i]), enterprise_id=eid, name=firm["name"][i], short_name=firm["short_name"][i],
            province=firm["province"][i], city=firm["city"][i], locality=where, srdi_level=srdi,
            listed_code=listed, score=self.score[i],
            components={k: round(v[i], 2) for k, v in self.parts if v[i]}, makes=made, competes_with=rivals,
            reason_zh=_reason(role, srdi, listed, where, made, gap, self.product_names, self.tails[g], rivals))


class Targets(Sequence[Target]):
    """The ranked targets, a read-only list whose Target objects (with their reason sentences) are
    made when first read: a command that counts, slices or discards the list pays only for the
    ranking. Compares equal to a list of the same Targets; `+` gives a list."""

    def __init__(self, listed: list[_Listed] = (), order: list[tuple[int, int]] = ()):
        self._listed, self._order = list(listed), list(order)
        self._made: list[Target | None] = [None] * len(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if self._made[k] is None:
            part, i = self._order[k]
            self._made[k] = self._listed[part].target(i)
        return self._made[k]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, Targets)) and list(self) == list(other)

    def __add__(self, other: Sequence[Target]) -> list[Target]:
        return list(self) + list(other)

    def __radd__(self, other: Sequence[Target]) -> list[Target]:
        return list(other) + list(self)

    def __repr__(self) -> str:
        return f"Targets({len(self)} targets)"


def rank_targets(gaps: list[Gap], cands: Candidates, products: pd.DataFrame, settings: dict[str, Any]) -> Targets:
    """Score, rank and describe the candidates a source supplied for `gaps`; every source shares it.

    Ordered by gap (in the order given), leaders first, then rank."""
    code = cands.code
    max_cap = code.by_product(cands.max_capacity)
    leader_rows, support_rows = _roles(code.rows)
    gap_frame = _gap_frame(gaps, code)
    product_names = products.set_index("product_id")["name_zh"].to_dict()
    tails = [_gap_tail(g) for g in gaps]
    product_local = np.isin(code.products, list(cands.local_products))
    gap_order = {(g.chain_id, g.product_id): i for i, g in enumerate(gaps)}
    of_gap = np.array([gap_order[(g.chain_id, g.product_id)] for g in gaps], dtype=np.int64)
    listed: list[_Listed] = []
    keys: list[np.ndarray] = []
    for role, rows in ((LEADER, leader_rows), (SUPPORTING, support_rows)):
        if len(rows):
            ranked, parts = _ranked(rows, role, gap_frame, code, max_cap, product_local, settings)
            listed.append(_Listed(role, ranked, parts, rows, gaps, cands, product_names, tails))
            n = len(ranked)
            keys.append(np.stack([of_gap[ranked["gap_index"].to_numpy()], np.full(n, role != LEADER),
                                  ranked["rank"].to_numpy(), np.full(n, len(listed) - 1), np.arange(n)]))
    if not keys:
        return Targets()
    key = np.concatenate(keys, axis=1)
    at = np.lexsort(key[2::-1])  # stable: by gap, role, rank; ties keep the order they were listed in
    return Targets(listed, list(zip(key[3, at].tolist(), key[4, at].tolist())))


def find_targets(source: ChainGraph | Source, gaps: list[Gap] | None = None,
                 settings: dict[str, Any] | None = None) -> Targets:
    """Ranked leader and supporting candidates for each gap (default: every gap of `find_gaps`).

    One Target per (gap, candidate), gaps in the order given, leaders first, best first; `rank` is
    1 for the best within the gap and role.
    """
    s = settings or load_settings()
    src = as_source(source)
    if gaps is None:
        gaps = find_gaps(src, settings=s, cov=coverage(src, s))
    if not gaps:
        return Targets()
    related = related_products(src.small, sorted({g.product_id for g in gaps}))
    return rank_targets(gaps, src.candidates(related, s), src.small.tables["products"], s)
