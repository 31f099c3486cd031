"""Write the static site: index.html, one chain_<id>.html per chain and the target-list XLSX.

>>> chain_file_names(["coal_chem", "../x", "硅基"])
{'coal_chem': 'chain_coal_chem.html', '../x': 'chain_x.html', '硅基': 'chain_3.html'}
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

from graph import ChainGraph
from pages.analysis import Analysis, analyse
from pages.chain_data import chain_payload
from pages.chain_page import render_chain_page
from pages.index_page import render_index

INDEX = "index.html"
TARGET_XLSX = "targets.xlsx"


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


def home_name(cg: ChainGraph, home_region: str) -> str:
    """The Chinese name of the home region ('乌海市'), or its id when the regions table lacks it."""
    regions = cg.tables["regions"]
    match = regions.loc[regions["region_id"] == home_region, "name_zh"]
    return str(match.iloc[0]) if len(match) else home_region


def write_download(cg: ChainGraph, out: Path, analysis: Analysis) -> Path | None:
    """Write the target-list XLSX (from the same analysis) when `reports.target_list` is installed."""
    if importlib.util.find_spec("reports") is None or importlib.util.find_spec("reports.target_list") is None:
        return None
    from reports.target_list import write_target_list

    return write_target_list(cg, out / TARGET_XLSX, settings=analysis.settings, data=analysis.target_list_data())


def write_site(cg: ChainGraph, out: str | Path, analysis: Analysis | None = None,
               settings: dict[str, Any] | None = None, download: bool = True) -> list[Path]:
    """Write the site into `out` and return the pages written (index first).

    `analysis` defaults to running the gap queries with `settings`.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    analysis = analysis or analyse(cg, settings)
    home = home_name(cg, analysis.home_region)
    chain_ids = [str(c) for c in cg.tables["chains"]["chain_id"]]
    files = chain_file_names(chain_ids)
    xlsx = write_download(cg, out, analysis) if download else None
    index = out / INDEX
    index.write_text(render_index(cg, analysis, files, home, xlsx.name if xlsx else None), encoding="utf-8")
    written = [index]
    for chain_id in chain_ids:
        html = render_chain_page(chain_payload(cg, chain_id, analysis), home, INDEX)
        path = out / files[chain_id]
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written
