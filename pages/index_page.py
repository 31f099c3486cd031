"""The overview page: the chains with their completeness, the gap list and the target list."""
from __future__ import annotations

from collections import Counter
from typing import Any

from graph import ChainGraph
from pages.assets import own
from pages.render import render
from queries.analysis import Analysis
from queries.vocabulary import KIND_ORDER, SEGMENT_ORDER


def chain_rows(cg: ChainGraph, analysis: Analysis, hrefs: dict[str, str]) -> list[dict[str, Any]]:
    """One row per chain, in table order: names, completeness, gap counts by kind, product count."""
    chains = cg.tables["chains"]
    members = cg.tables["chain_products"]["chain_id"].value_counts()
    gap_counts = Counter((g.chain_id, g.kind) for g in analysis.gaps)
    rows = []
    for chain_id, name_zh, name_en, tier in zip(chains["chain_id"], chains["name_zh"], chains["name_en"],
                                                chains["tier"]):
        score = analysis.completeness.get(chain_id)
        rows.append({"id": chain_id, "name_zh": name_zh, "name_en": name_en or "", "tier": tier or "",
                     "score": score.score if score else None, "covered": score.covered if score else None,
                     "links": score.links if score else None, "products": int(members.get(chain_id, 0)),
                     "gaps": {k: gap_counts[(chain_id, k)] for k in KIND_ORDER}, "href": hrefs[chain_id]})
    return rows


def gap_rows(analysis: Analysis) -> list[dict[str, Any]]:
    return [{**g.to_json(), "kind_rank": KIND_ORDER[g.kind], "segment_rank": SEGMENT_ORDER.get(g.segment, 9)}
            for g in analysis.gaps]


def target_rows(analysis: Analysis) -> list[dict[str, Any]]:
    return [{**t.to_json(), "score_text": f"{t.score:g}"} for t in analysis.targets]


def render_index(cg: ChainGraph, analysis: Analysis, hrefs: dict[str, str], home_name: str,
                 download: str | None) -> str:
    """The HTML of the overview page; `hrefs` maps chain id -> chain page, `download` the XLSX (or None)."""
    return render("index.html", home_name=home_name, banner=analysis.banner, chains=chain_rows(cg, analysis, hrefs),
                  gaps=gap_rows(analysis), targets=target_rows(analysis), download=download,
                  page_css=own("style.css"), page_js=own("index.js"))
