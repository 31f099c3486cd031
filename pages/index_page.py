"""The overview page: the chains with their completeness, the gap list and the target list.

The page itself holds only the chain table. The gap and target lists (tens of thousands of rows on
a national graph) are data, packed by `index_data` (a list of columns and rows per table, every text
an index into one list of distinct texts, reasons as lists of indices into their distinct clauses);
in a site they come as the data script `lib/data/index.js` (`pages/shared_assets.py`), alone they
are inlined. The page script (index.js) builds the table rows from it as text, a page of rows at a
time, sorting and filtering over all of them.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from graph import ChainGraph
from pages.assets import own, script_json
from pages.chain_page import REASON_SEPARATOR, STANDALONE_CSP
from pages.render import render
from pages.shared_assets import SITE_CSP, Library, lazy_loader_js
from queries.analysis import Analysis
from queries.vocabulary import KIND_ORDER, SEGMENT_ORDER

DATA_KEY = "index"  # the data script's key and file name (lib/data/index.js)
PAGE_ROWS = 200  # rows the page shows at once; the rest through its pager
GAP_COLUMNS = ["chain", "product", "kind", "focus", "segment", "reason", "kind_rank", "segment_rank"]
TARGET_COLUMNS = ["chain", "product", "kind", "role", "name", "province", "city", "score", "reason"]


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


def index_data(gaps: list[dict[str, Any]], targets: list[dict[str, Any]]) -> dict[str, Any]:
    """The gap and target lists (result dicts, `to_json()`) packed for the page: per table its
    columns (GAP_COLUMNS, TARGET_COLUMNS) and rows; a text cell is an index into `texts`, a reason a
    list of indices (its clauses, joined again with REASON_SEPARATOR), focus 0/1, score a number;
    kind_rank and segment_rank are the gap table's sort keys.

    >>> d = index_data([{"chain_name": "链", "product_name": "甲", "kind": "missing", "kind_zh": "断链",
    ...     "focus": True, "segment": "下游", "reason_zh": "无；缺"}],
    ...     [{"chain_name": "链", "product_name": "甲", "kind_zh": "断链", "role_zh": "龙头", "name": "某公司",
    ...       "province": "", "city": "", "score": 9.5, "reason_zh": "缺"}])
    >>> d["texts"], d["gaps"]["rows"], d["targets"]["rows"]  # doctest: +NORMALIZE_WHITESPACE
    (['链', '甲', '断链', '下游', '无', '缺', '龙头', '某公司', ''],
     [[0, 1, 2, 1, 3, [4, 5], 0, 2]], [[0, 1, 2, 6, 7, 8, 8, 9.5, [5]]])
    """
    texts: dict[str, int] = {}

    def text(value: Any) -> int:
        return texts.setdefault(str(value or ""), len(texts))

    def reason(value: str) -> list[int]:
        return [text(part) for part in value.split(REASON_SEPARATOR)] if value else []

    gap_rows = [[text(g["chain_name"]), text(g["product_name"]), text(g["kind_zh"]), int(bool(g["focus"])),
                 text(g["segment"]), reason(g["reason_zh"]), KIND_ORDER[g["kind"]],
                 SEGMENT_ORDER.get(g["segment"], 9)] for g in gaps]
    target_rows = [[text(t["chain_name"]), text(t["product_name"]), text(t["kind_zh"]), text(t["role_zh"]),
                    text(t["name"]), text(t["province"]), text(t["city"]), t["score"], reason(t["reason_zh"])]
                   for t in targets]
    return {"texts": list(texts), "gaps": {"columns": GAP_COLUMNS, "rows": gap_rows},
            "targets": {"columns": TARGET_COLUMNS, "rows": target_rows}}


def analysis_index_data(analysis: Analysis) -> dict[str, Any]:
    """`index_data` of an analysis's gaps and targets."""
    return index_data([g.to_json() for g in analysis.gaps], [t.to_json() for t in analysis.targets])


def render_index(cg: ChainGraph, analysis: Analysis, hrefs: dict[str, str], home_name: str,
                 download: str | None, library: Library | None = None, data_src: str | None = None) -> str:
    """The HTML of the overview page; `hrefs` maps chain id -> chain page, `download` the XLSX (or None).

    In a site, `library` (from `shared_assets.write_library`) and `data_src` (the data script of
    `analysis_index_data`, written under the key DATA_KEY) are paths relative to the page; alone
    (either None) the data and the loader are inlined.
    """
    inline_data = None
    if library is None or data_src is None:
        inline_data = (f"(window.chainkgData = window.chainkgData || {{}})[{script_json(DATA_KEY)}] = "
                       f"{script_json(analysis_index_data(analysis))};")
    settings = {"key": DATA_KEY, "src": data_src if inline_data is None else None, "page_rows": PAGE_ROWS,
                "reason_separator": REASON_SEPARATOR}
    return render("index.html", home_name=home_name, banner=analysis.banner, chains=chain_rows(cg, analysis, hrefs),
                  gap_count=len(analysis.gaps), target_count=len(analysis.targets), download=download,
                  csp=SITE_CSP if inline_data is None else STANDALONE_CSP, library=library if inline_data is None else None,
                  lazy_js=None if inline_data is None else lazy_loader_js(), inline_data=inline_data,
                  settings_json=script_json(settings), page_css=own("style.css"), page_js=own("index.js"))
