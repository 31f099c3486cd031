"""Write the static site: index.html and one chain_<id>.html per chain, from one analysis.

>>> chain_file_names(["coal_chem", "../x", "硅基"])
{'coal_chem': 'chain_coal_chem.html', '../x': 'chain_x.html', '硅基': 'chain_3.html'}
"""
from __future__ import annotations

import re
from pathlib import Path

from pages.chain_data import chain_payload
from pages.chain_page import render_chain_page
from pages.index_page import render_index
from pages.local_map import render_local_map
from pages.target_map import render_target_map
from queries.analysis import Analysis

INDEX = "index.html"
TARGET_MAP, LOCAL_MAP = "target_map.html", "local_map.html"
TARGET_XLSX = "targets.xlsx"  # the target list the site links to, when its writer puts one beside it


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
    local map are written beside them: TARGET_MAP, LOCAL_MAP). `download` names a file beside the pages (the
    target-list XLSX its caller writes) for the index to link to."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cg = analysis.graph
    chain_ids = [str(c) for c in cg.tables["chains"]["chain_id"]]
    files = chain_file_names(chain_ids)
    index = out / INDEX
    index.write_text(render_index(cg, analysis, files, analysis.home_name, download), encoding="utf-8")
    targets = [t.to_json() for t in analysis.targets]
    (out / TARGET_MAP).write_text(render_target_map(targets, cg.tables, analysis.settings, analysis.home_name, INDEX,
                                                    banner=analysis.banner),
                                  encoding="utf-8")
    (out / LOCAL_MAP).write_text(render_local_map(cg.tables, analysis.settings, analysis.home_name, INDEX,
                                                  banner=analysis.banner),
                                 encoding="utf-8")
    written = [index]
    for chain_id in chain_ids:
        html = render_chain_page(chain_payload(cg, chain_id, analysis), analysis.home_name, INDEX, analysis.banner)
        path = out / files[chain_id]
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written
