"""One chain map page: the chain's products drawn by vis-network, laid out and grouped by the page.

A page carries two parts of data. The *map* (embedded in the page, small: per product its name,
segment, column, status and counts, and the links by position) is all the page needs to draw. The
*detail* (firm lists, projects, gap reasons, targets, firm records: most of the weight on a large
chain) is what tooltips, the side panel, firm search and the product table show; in a site it is a
data script `lib/data/<chain>.js` loaded after the map has drawn, alone it is inlined. Either way
the page script reads it through `chainkgLoad` (`pages/shared_assets.py`).

The vis-network library comes from the site's `lib/` folder (written once by `pages.site`), or is
inlined when the page is rendered alone (`library=None`, e.g. in a notebook). Nothing from the data
is parsed as HTML: the page builds labels, tooltips and the panel as text.

>>> m = map_data({"chain": {"id": "c"}, "products": {
...     "a": {"name_zh": "甲", "segment": "上游", "focus": True, "level": 0, "status": "local",
...           "local": ["E1"], "building": [], "neighbour": [], "elsewhere_count": 2, "targets": [], "gaps": []},
...     "b": {"name_zh": "乙", "segment": "下游", "focus": False, "level": 1, "status": "missing",
...           "local": [], "building": [], "neighbour": ["E2"], "elsewhere_count": 0,
...           "targets": [{"enterprise_id": "E2"}], "gaps": [{"kind": "missing"}]}},
...     "links": [{"from": "a", "to": "b", "kind": "原料", "via": []}]})
>>> [(p["id"], p["n"], p["gap"], p["linked"]) for p in m["products"]]
[('a', [1, 0, 3, 0], '', True), ('b', [0, 1, 1, 1], 'missing', True)]
>>> m["links"]
[[0, 1, 0]]
"""
from __future__ import annotations

from typing import Any

from pages.assets import own, script_json, vis_css, vis_js
from pages.chain_data import TOOLTIP_TARGETS
from pages.legend import FEEDS_COLOUR, FOCUS_MARK, STATUSES
from pages.packing import Packer
from pages.reasons import GAP_END, TARGET_END
from pages.render import render
from queries.analysis import Banner
from pages.shared_assets import SITE_CSP, Library, lazy_loader_js, packed_js
from queries.vocabulary import EQUIPMENT, KIND_ZH, MATERIAL_PRODUCT, ROLE_ZH, USE

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
FONT_SIZE = 14  # label font in map units; with READABLE_PX, the smallest scale a label is drawn at
READABLE_PX = 12  # fitting never goes below it; vis-network fades labels under it and drops them under 11 px
GROUP_ABOVE = 150  # a chain with more products opens with its products grouped and collapsed
DRAW_CAP = 250  # at most this many product nodes are drawn at once; the rest through groups and the table
FEED_CODES = {"原料": 0, "辅料": 1, "经由": 2}
MAP_CODES = ("segment", "type", "status", "gap")  # map columns of a few repeated words, each written once
MAP_FLAGS = ("focus", "linked")  # map columns of yes/no, written 0/1
PRODUCT_TYPES = [MATERIAL_PRODUCT, EQUIPMENT, USE]  # products.kind, in the order groups of them are shown
FIRM_LISTS = ("local", "building", "neighbour", "unverified")  # a product's firms by role, as firm indices
STANDALONE_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                  "font-src data:; base-uri 'none'; form-action 'none'")
OPTIONS: dict[str, Any] = {
    "layout": {"hierarchical": {"enabled": False}, "improvedLayout": False},
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": False, "multiselect": False,
                    "navigationButtons": True, "hideEdgesOnDrag": True},
    "nodes": {"shape": "box", "font": {"face": FONT, "size": FONT_SIZE, "color": "#212121"}, "margin": 6,
              "scaling": {"label": {"drawThreshold": READABLE_PX}}},
    "edges": {"smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "color": {"color": FEEDS_COLOUR},
              "width": 1.2},
}


def _counts(p: dict[str, Any]) -> list[int]:
    """本地 / 周边 / 全国 producers and targets of a product record (全国 counts every producer)."""
    local, neighbour = len(p["local"]), len(p["neighbour"])
    return [local, neighbour, local + neighbour + int(p["elsewhere_count"] or 0), len(p["targets"])]


def map_data(payload: dict[str, Any]) -> dict[str, Any]:
    """What the page draws from: products in payload order (with counts, first gap kind and whether
    any link touches them) and links as [from index, to index, feed code(, via names)]."""
    ids = list(payload["products"])
    position = {pid: i for i, pid in enumerate(ids)}
    linked = {x for link in payload["links"] for x in (link["from"], link["to"])}
    products = [{"id": pid, "name": p["name_zh"], "segment": p["segment"], "type": p.get("type", MATERIAL_PRODUCT),
                 "focus": bool(p["focus"]),
                 "level": p["level"], "status": p["status"], "n": _counts(p),
                 "gap": p["gaps"][0]["kind"] if p["gaps"] else "", "linked": pid in linked}
                for pid, p in payload["products"].items()]
    links = []
    for link in payload["links"]:
        row: list[Any] = [position[link["from"]], position[link["to"]], FEED_CODES.get(link["kind"], 0)]
        if link["via"]:
            row.append(link["via"])
        links.append(row)
    return {"products": products, "links": links}


def packed_map(m: dict[str, Any]) -> dict[str, Any]:
    """The map data as the page embeds it: its products as a table packed by column
    (`pages.packing`; segment, status and gap kind coded, focus and linked as 0/1), and the links
    as they are. The page script unpacks it (lib/packed.js).

    >>> m = packed_map({"products": [{"id": "a", "segment": "上游", "focus": True}, {"id": "b", "segment": "上游",
    ...                 "focus": False}], "links": [[0, 1, 0]]})
    >>> m["products"]["cols"], m["products"]["codes"], m["links"]
    ({'id': ['a', 'b'], 'segment': [0, 0], 'focus': [1, 0]}, {'segment': ['上游']}, [[0, 1, 0]])
    """
    pk = Packer()
    rows = [{k: int(v) if k in MAP_FLAGS else v for k, v in p.items()} for p in m["products"]]
    return pk.finish({"products": pk.table(rows, codes=MAP_CODES, columns=list(m["products"][0]) if rows else []),
                      "links": m["links"]})


def detail_data(payload: dict[str, Any]) -> dict[str, Any]:
    """What tooltips, the side panel, firm search and the product table read (loaded after drawing),
    without what the map data already says (names, status, segment, counts). Tables packed by
    column (`pages.packing`), rows in the map's product order: `products` (English name, aliases,
    the firms of each role as indices into `firms`, captive plants, projects), `gaps` and
    `targets` (each with its product's index, targets leaders first then by score, with the firm's
    index) and `firms`; reasons packed with `templates` (`pages.reasons`), every other repeated
    string once in `texts`.

    >>> d = detail_data({"templates": [["生产", 0]], "products": {"a": {"name_en": "", "aliases": [], "local": ["E1"],
    ...     "building": [], "neighbour": [], "projects": [], "gaps": [{"kind": "missing", "priority": 2.0,
    ...     "reason": ["甲", "乙"]}], "targets": [{"enterprise_id": "E1", "role": "leader", "score": 9.0, "rank": 1,
    ...     "competes_zh": [], "reason": ["龙头企业", [0, "甲"]]}]}},
    ...     "firms": {"E1": {"id": "E1", "name": "某公司", "short": "某公司", "province": "", "city": "", "leader": True,
    ...                      "srdi": "", "listed": ""}}})
    >>> d["products"]["cols"]["local"], d["gaps"]["cols"]["reason"], d["targets"]["cols"]["reason"]
    ([[0, [0]]], [[0, 1]], [[2, 3]])
    >>> d["clauses"], d["texts"]
    ([0, 1, 2, [0, 0]], ['甲', '乙', '龙头企业', ''])
    >>> from pages.packing import records
    >>> records(d["targets"], d)[0]["reason"], records(d["firms"], d)[0]["short"]
    ('龙头企业；生产甲', '')
    """
    pk = Packer()
    firm_ids = list(payload["firms"])
    firm_at = {fid: i for i, fid in enumerate(firm_ids)}
    products, gaps, targets = [], [], []
    for i, p in enumerate(payload["products"].values()):
        hypothetical = p.get("hypothetical", [])
        products.append({
            "name_en": p["name_en"], "aliases": p["aliases"],
            **{k: [firm_at[f] for f in p.get(k, [])] for k in FIRM_LISTS},
            "captive": [[firm_at[c["firm"]], c["route_zh"]] for c in p.get("captive", [])],
            "projects": [[x["name"], x["status"]] for x in p["projects"]],
            "hypothetical": [firm_at[f] for f in hypothetical]})
        gaps += [{"product": i, "kind": g["kind"], "priority": g["priority"], "reason": g["reason"]} for g in p["gaps"]]
        targets += [{"product": i, "firm": firm_at[t["enterprise_id"]], "role": t["role"], "rank": t["rank"],
                     "score": t["score"], "competes": t["competes_zh"], "reason": t["reason"]} for t in p["targets"]]
    firms = [{"id": f["id"], "name": f["name"], "short": "" if f["short"] == f["name"] else f["short"],
              "province": f["province"], "city": f["city"], "leader": int(bool(f["leader"])), "srdi": f["srdi"],
              "listed": f["listed"]} for f in payload["firms"].values()]
    lists = (*FIRM_LISTS, "captive", "projects", "hypothetical")
    return pk.finish({
        # reasons first: the texts they use most get the shortest references
        "gaps": pk.table(gaps, codes=("kind",), reason={"reason": GAP_END},
                      columns=["product", "kind", "priority", "reason"]),
        "targets": pk.table(targets, codes=("role",), text=("competes",), sparse=("competes",),
                         reason={"reason": TARGET_END},
                         columns=["product", "firm", "role", "rank", "score", "competes", "reason"]),
        "products": pk.table(products, text=("aliases",), sparse=("aliases", *lists),
                          columns=["name_en", "aliases", *lists]),
        "firms": pk.table(firms, codes=("province", "city", "srdi"), text=("short", "listed"),
                       columns=["id", "name", "short", "province", "city", "leader", "srdi", "listed"]),
        "templates": payload.get("templates", [])})


def page_settings() -> dict[str, Any]:
    """The page's constants (colours, thresholds, options), shared by every chain page."""
    return {"options": OPTIONS, "font_size": FONT_SIZE, "readable_px": READABLE_PX, "group_above": GROUP_ABOVE,
            "draw_cap": DRAW_CAP, "focus_mark": FOCUS_MARK,
            "top_targets": TOOLTIP_TARGETS, "kind_zh": KIND_ZH, "role_zh": ROLE_ZH, "product_types": PRODUCT_TYPES,
            "statuses": {s.key: {"zh": s.zh, "en": s.en, "background": s.background, "border": s.border,
                                 "dashed": s.dashed} for s in STATUSES}}


def render_chain_page(payload: dict[str, Any], home_name: str, index_href: str = "index.html",
                      library: Library | None = None, detail_src: str | None = None, detail_key: str = "chain",
                      page_assets: dict[str, str] | None = None, banner: Banner | None = None) -> str:
    """The HTML of a chain page.

    Alone (`library=None`): one self-contained file, vis-network, the page script and the detail
    inlined. In a site: `library` (from `shared_assets.write_library`), `detail_src` (the chain's
    data script) and `page_assets` ({"js": ..., "css": ...}, the page script and style in `lib/`)
    are paths relative to the page, so the page holds only its map data.
    """
    chain = payload["chain"]
    key = detail_key
    data = {"chain": chain, "map": packed_map(map_data(payload)), "settings": page_settings(),
            "detail": {"key": key, "src": detail_src}}
    inline_detail = None
    if library is None or detail_src is None:
        inline_detail = f"(window.chainkgData = window.chainkgData || {{}})[{script_json(key)}] = {script_json(detail_data(payload))};"
    return render("chain.html", chain=chain, home_name=home_name, index_href=index_href, banner=banner,
                  statuses=STATUSES,
                  product_count=len(payload["products"]), data_json=script_json(data), library=library,
                  assets=page_assets, csp=SITE_CSP if library else STANDALONE_CSP,
                  inline_detail=inline_detail, lazy_js=None if library else lazy_loader_js(),
                  packed_js=None if library else packed_js(),
                  vis_js=None if library else vis_js(), vis_css=None if library else vis_css(),
                  page_js=None if page_assets else own("chain.js"), page_css=None if page_assets else own("style.css"))
