"""Write the static site: index.html, one chain_<id>.html per chain and the shared `lib/` folder,
from one analysis.

`lib/` holds what every page shares, once: vis-network's JS and CSS (as pyvis ships them), the lazy
loader and the reader of packed data, the chain pages' script and style, and under `lib/data/`
each chain's detail data as a script (`pages.chain_page`), the site's gap and target lists as
`lib/data/index.js` (`pages.lists`, read by the index and the target map) and the target firms'
places as `lib/data/target_map.js` (`pages.target_map`). Reasons are packed once for all of
them (`pages.reasons`). Pages load them with relative script and link tags, so the whole
folder, copied anywhere, works offline; a page copied out alone does not (render it alone with
`render_chain_page`, `render_index` or `render_target_map` for that).

>>> chain_file_names(["coal_chem", "../x", "硅基"])
{'coal_chem': 'chain_coal_chem.html', '../x': 'chain_x.html', '硅基': 'chain_3.html'}
"""
from __future__ import annotations

import re
from pathlib import Path

from pages.assets import write_own
from pages.chain_data import chain_payload, site_lookups
from pages.chain_page import detail_data, render_chain_page
from pages.index_page import render_index
from pages.lists import LISTS_KEY, analysis_lists, firm_ids
from pages.local_map import render_local_map
from pages.reasons import analysis_reasons
from pages.shared_assets import LIB, write_data_script, write_library
from pages.target_map import PLACES_KEY, render_site_target_map, target_map_data, target_map_places
from queries.analysis import Analysis

INDEX = "index.html"
TARGET_MAP, LOCAL_MAP = "target_map.html", "local_map.html"
TARGET_XLSX = "targets.xlsx"  # the target list the site links to, when its writer puts one beside it
PAGE_FILES = ("chain.js", "style.css")  # our own files the chain pages load from lib/


def chain_file_names(chain_ids: list[str]) -> dict[str, str]:
    """A safe, unique file name per chain id (ASCII letters, digits, _ and - only)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for i, chain_id in enumerate(chain_ids, start=1):
        stem = re.sub(r"[^A-Za-z0-9_-]+", "", str(chain_id)) or str(i)
        name = f"chain_{stem}.html"
        if name in used:
            name = f"chain_{stem}_{i}.html"
        used.add(name)
        names[chain_id] = name
    return names


def write_site(analysis: Analysis, out: str | Path, download: str | None = None) -> list[Path]:
    """Write the site of `analysis` (its graph must hold every table: the in-memory source) into
    `out`; return the pages written, index first, then the chain pages (the target map and the
    local map are written beside them: TARGET_MAP, LOCAL_MAP; the files under `lib/` are not listed).
    `download` names a file beside the pages (the target-list XLSX its caller writes) for the index
    to link to."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cg = analysis.graph
    chain_ids = [str(c) for c in cg.tables["chains"]["chain_id"]]
    files = chain_file_names(chain_ids)
    library = write_library(out)
    reasons = analysis_reasons(analysis)  # packed once, for every page
    index = out / INDEX
    lists_src = write_data_script(out, LISTS_KEY, analysis_lists(analysis, reasons))
    index.write_text(render_index(cg, analysis, files, analysis.home_name, download, library=library,
                                  data_src=lists_src), encoding="utf-8")
    targets = [vars(t) for t in analysis.targets]
    places = target_map_data(targets, cg.tables, analysis.settings, analysis.home_name)
    places_src = write_data_script(out, PLACES_KEY, target_map_places(places, firm_ids(targets)))
    (out / TARGET_MAP).write_text(render_site_target_map(places, analysis.home_name, library, lists_src, places_src,
                                                         INDEX, banner=analysis.banner), encoding="utf-8")
    (out / LOCAL_MAP).write_text(render_local_map(cg.tables, analysis.settings, analysis.home_name, INDEX,
                                                  banner=analysis.banner),
                                 encoding="utf-8")
    written = [index]
    own = write_own(out / LIB, PAGE_FILES, LIB)
    lookups = site_lookups(analysis, reasons)
    assets = {"js": own["chain.js"], "css": own["style.css"]}
    for chain_id in chain_ids:
        payload = chain_payload(cg, chain_id, analysis, lookups)
        key = files[chain_id][: -len(".html")]  # chain_<stem>: unique, letters, digits, _ and -
        src = write_data_script(out, key, detail_data(payload))
        html = render_chain_page(payload, analysis.home_name, INDEX, library=library, detail_src=src,
                                 detail_key=key, page_assets=assets, banner=analysis.banner)
        path = out / files[chain_id]
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written
