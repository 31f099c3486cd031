"""The overview page: the chains with their completeness, the gap list and the target list."""
from __future__ import annotations

from collections import Counter
from typing import Any

from graph import ChainGraph
from pages.analysis import Analysis
from pages.assets import own
from pages.legend import GAP_KIND_ZH, ROLE_ZH
from pages.render import render

KIND_RANK = {"missing": 0, "weak": 1, "extend": 2}
SEGMENT_RANK = {"上游": 0, "中游": 1, "下游": 2}


def chain_rows(cg: ChainGraph, analysis: Analysis, hrefs: dict[str, str]) -> list[dict[str, Any]]:
    """One row per chain, in table order: names, completeness, gap counts by kind, product count."""
    chains = cg.tables["chains"]
    members = cg.tables["chain_products"]["chain_id"].value_counts()
    gap_counts = Counter((g["chain"], g["kind"]) for g in analysis.gaps)
    rows = []
    for chain_id, name_zh, name_en, tier in zip(chains["chain_id"], chains["name_zh"], chains["name_en"],
                                                chains["tier"]):
        score = analysis.completeness.get(chain_id, {})
        rows.append({"id": chain_id, "name_zh": name_zh, "name_en": name_en or "", "tier": tier or "",
                     "score": score.get("score"), "covered": _number(score.get("covered")),
                     "total": _number(score.get("total", score.get("links"))), "products": int(members.get(chain_id, 0)),
                     "gaps": {k: gap_counts[(chain_id, k)] for k in KIND_RANK}, "href": hrefs[chain_id]})
    return rows


def _number(value: Any) -> Any:
    """Whole numbers without a decimal point, others to one decimal.

    >>> _number(3.0), _number(2.5), _number(None)
    (3, 2.5, None)
    """
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, 1)


def gap_rows(analysis: Analysis) -> list[dict[str, Any]]:
    return [{**g, "kind_zh": GAP_KIND_ZH.get(g["kind"], g["kind"]), "kind_rank": KIND_RANK.get(g["kind"], 9),
             "segment_rank": SEGMENT_RANK.get(g.get("segment", ""), 9)} for g in analysis.gaps]


def target_rows(analysis: Analysis, products: dict[str, str], chains: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for t in analysis.targets:
        score = t.get("score")
        rows.append({**t, "chain_name": t.get("chain_name") or chains.get(t["chain"], t["chain"]),
                     "product_name": t.get("product_name") or products.get(t["product"], t["product"]),
                     "kind_zh": GAP_KIND_ZH.get(t.get("kind", ""), t.get("kind", "")),
                     "role_zh": ROLE_ZH.get(t.get("role", ""), t.get("role", "")),
                     "province": t.get("province") or "", "city": t.get("city") or "",
                     "reason_zh": t.get("reason_zh") or "",
                     "score_text": "" if score is None else f"{float(score):g}"})
    return rows


def render_index(cg: ChainGraph, analysis: Analysis, hrefs: dict[str, str], home_name: str,
                 download: str | None) -> str:
    """The HTML of the overview page; `hrefs` maps chain id -> chain page, `download` the XLSX (or None)."""
    t = cg.tables
    products = dict(zip(t["products"]["product_id"], t["products"]["name_zh"]))
    chains = dict(zip(t["chains"]["chain_id"], t["chains"]["name_zh"]))
    return render("index.html", home_name=home_name, chains=chain_rows(cg, analysis, hrefs),
                  gaps=gap_rows(analysis), targets=target_rows(analysis, products, chains), download=download,
                  page_css=own("style.css"), page_js=own("index.js"))
