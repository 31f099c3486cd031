"""The overview page: the chains with their completeness, the gap list and the target list.

The page itself holds only the chain table. The gap and target lists (tens of thousands of rows on
a national graph) are data, packed by `pages.lists` (shared with the target map); in a site they
come as the data script `lib/data/index.js` (`pages/shared_assets.py`), alone they are inlined.
The page script (index.js) builds the table rows from it as text, a page of rows at a time,
sorting and filtering over all of them.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from graph import ChainGraph
from pages.assets import own, script_json
from pages.chain_page import STANDALONE_CSP
from pages.lists import LISTS_KEY, analysis_lists
from pages.render import render
from pages.shared_assets import SITE_CSP, Library, lazy_loader_js, packed_js
from queries.analysis import Analysis
from queries.vocabulary import KIND_ORDER, SEGMENT_ORDER

DATA_KEY = LISTS_KEY  # the data script's key and file name (lib/data/index.js): the lists of pages.lists
PAGE_ROWS = 200  # rows the page shows at once; the rest through its pager


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


def render_index(cg: ChainGraph, analysis: Analysis, hrefs: dict[str, str], home_name: str,
                 download: str | None, library: Library | None = None, data_src: str | None = None) -> str:
    """The HTML of the overview page; `hrefs` maps chain id -> chain page, `download` the XLSX (or None).

    In a site, `library` (from `shared_assets.write_library`) and `data_src` (the data script of
    `pages.lists.analysis_lists`, written under the key DATA_KEY) are paths relative to the page;
    alone (either None) the data and the loader are inlined.
    """
    inline_data = None
    if library is None or data_src is None:
        inline_data = (f"(window.chainkgData = window.chainkgData || {{}})[{script_json(DATA_KEY)}] = "
                       f"{script_json(analysis_lists(analysis))};")
    settings = {"key": DATA_KEY, "src": data_src if inline_data is None else None, "page_rows": PAGE_ROWS,
                "kind_rank": KIND_ORDER, "segment_rank": SEGMENT_ORDER}
    return render("index.html", home_name=home_name, banner=analysis.banner, chains=chain_rows(cg, analysis, hrefs),
                  gap_count=len(analysis.gaps), target_count=len(analysis.targets), download=download,
                  csp=SITE_CSP if inline_data is None else STANDALONE_CSP, library=library if inline_data is None else None,
                  lazy_js=None if inline_data is None else lazy_loader_js(), inline_data=inline_data,
                  packed_js=None if inline_data is None else packed_js(),
                  settings_json=script_json(settings), page_css=own("style.css"), page_js=own("index.js"))
