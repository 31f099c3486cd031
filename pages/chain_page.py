"""One chain map page: a pyvis network of the chain's products rendered with our own template.

pyvis's own template links bootstrap (and, in "local" mode, vis-network's CSS) from CDNs, so the
network is built with pyvis and rendered with `templates/chain.html`, which inlines the
vis-network JS and CSS that pyvis ships. Node titles are left out of the data: the page builds
each tooltip as a DOM element from text, so no name is ever parsed as HTML.
"""
from __future__ import annotations

from typing import Any

from pyvis.network import Network

from pages.assets import own, script_json, vis_css, vis_js
from pages.legend import FEEDS_COLOUR, FIRM_COLOURS, FOCUS_MARK, STATUSES, status
from pages.render import render
from queries.analysis import Banner

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
OPTIONS: dict[str, Any] = {
    "layout": {"hierarchical": {"enabled": True, "direction": "LR", "sortMethod": "directed",
                                "levelSeparation": 170, "nodeSpacing": 46, "treeSpacing": 60,
                                "blockShifting": True, "edgeMinimization": True, "parentCentralization": True}},
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": False, "multiselect": False,
                    "navigationButtons": True},
    "nodes": {"font": {"face": FONT, "size": 15, "color": "#212121"}, "margin": 8,
              "widthConstraint": {"maximum": 130}},
    "edges": {"smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "color": {"color": FEEDS_COLOUR}, "width": 1.5},
}


# With firms shown, the page moves product L to column 2L+1 and puts its firms in column 2L, with
# this level separation, so products keep about the same spacing (see chain.js, setColumns).
FIRM_LEVEL_SEPARATION = 100


def chain_network(payload: dict[str, Any]) -> Network:
    """The pyvis network of a chain's products and FEEDS links (firms are added by the page on demand)."""
    net = Network(directed=True, cdn_resources="in_line")
    for pid, p in payload["products"].items():
        st = status(p["status"])
        net.add_node(
            f"p:{pid}", label=(f"{FOCUS_MARK}\u00a0" if p["focus"] else "") + p["name_zh"], shape="box",
            color={"background": st.background, "border": st.border,
                   "highlight": {"background": st.background, "border": "#000000"},
                   "hover": {"background": st.background, "border": "#000000"}},
            borderWidth=4 if p["focus"] else 1.5, borderWidthSelected=5,
            shapeProperties={"borderDashes": [6, 4] if st.dashed else False},
            level=p["level"], kind="product", product=pid, status=st.key, focus=p["focus"])
    for link in payload["links"]:
        indirect = bool(link["via"])
        net.add_edge(f"p:{link['from']}", f"p:{link['to']}", kind="feeds", feed=link["kind"], via=link["via"],
                     dashes=[2, 5] if indirect else ([8, 5] if link["kind"] == "辅料" else False),
                     color={"color": "#90a4ae" if indirect else FEEDS_COLOUR})
    net.options = OPTIONS
    return net


def chain_gap_rows(payload: dict[str, Any]) -> list[dict[str, str]]:
    """The chain's gaps as rows for the table under the map."""
    rows = []
    for p in payload["products"].values():
        for g in p["gaps"]:
            rows.append({"product": p["name_zh"], "kind": g["kind_zh"],
                         "focus": "是" if p["focus"] else "", "segment": p["segment"], "reason": g["reason_zh"]})
    return rows


def render_chain_page(payload: dict[str, Any], home_name: str, index_href: str = "index.html",
                      banner: Banner | None = None) -> str:
    """The HTML of a chain page (self-contained, no external reference)."""
    nodes, edges, _heading, _height, _width, options = chain_network(payload).get_network_data()
    data = {**payload, "nodes": nodes, "edges": edges, "options": OPTIONS,
            "firm_colours": FIRM_COLOURS, "focus_mark": FOCUS_MARK,
            "firm_level_separation": FIRM_LEVEL_SEPARATION}
    chain = payload["chain"]
    return render("chain.html", chain=chain, home_name=home_name, index_href=index_href, banner=banner,
                  statuses=STATUSES, firm_colours=FIRM_COLOURS, gap_rows=chain_gap_rows(payload),
                  product_count=len(payload["products"]), data_json=script_json(data),
                  vis_js=vis_js(), vis_css=vis_css(), page_js=own("chain.js"), page_css=own("style.css"))
