"""The chain panorama in headless Chromium at 1440x900: labels readable when fitted (before and after
filtering), the legend in the first screen, and a generated chain of thousands of products that opens
grouped, expands, focuses search on a product's neighbourhood and stays within the drawing cap, all
opened from the site folder under file:// with no outside request."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph import ChainGraph
from loaders import load
from loaders.generate import generate
from pages.chain_page import DRAW_CAP
from pages.legend import STATUSES
from pages.site import write_site
from queries.analysis import analyse
from test_browser import ARTIFACTS, PRODUCT_COUNT, Visit, browser, builtin_site, product_count  # noqa: F401

SCREEN = {"width": 1440, "height": 900}
# Share of the chain's product labels drawn inside the map at >= 12 px on screen: the network's scale
# times each node's own font size, for nodes whose centre lies inside the canvas.
READABLE = """total => {
  const net = chainMap.network, scale = net.getScale();
  const r = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  const ids = chainMap.nodes.getIds({filter: n => n.kind === 'product'});
  const pos = net.getPositions(ids);
  let ok = 0;
  for (const id of ids) {
    const p = net.canvasToDOM(pos[id]);
    const px = scale * net.body.nodes[id].options.font.size;
    if (px >= 12 && p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height) ok++;
  }
  return {ok: ok, total: total, px: scale * 14};
}"""
DRAWN = "() => chainMap.nodes.length"
REPRESENTED = """() => chainMap.nodes.get().reduce((s, n) =>
  s + (n.kind === 'product' ? 1 : (n.kind === 'group' && !n.open ? n.count : 0)), 0)"""
POSITIONS = "() => chainMap.network.getPositions()"


def open_at_1440(browser: Any, page_file: Path) -> tuple[Visit, Any]:
    visit = Visit(browser, page_file.parent.as_uri() + "/")
    visit.page.set_viewport_size(SCREEN)
    return visit, visit.open(page_file.as_uri(), chain=True)


def test_coal_chem_labels_readable_before_and_after_filtering(browser: Any, builtin_site: tuple[ChainGraph, list[Path]]) -> None:
    cg, written = builtin_site
    page_file = next(p for p in written if p.name == "chain_coal_chem.html")
    n = product_count(cg, "coal_chem")
    assert n == 61
    visit, page = open_at_1440(browser, page_file)
    assert page.evaluate(PRODUCT_COUNT) == n
    before = page.evaluate(READABLE, n)
    assert before["ok"] >= 0.8 * n, before
    legend = page.locator("#legend").bounding_box()
    assert legend["y"] >= 0 and legend["y"] + legend["height"] <= SCREEN["height"]
    glossary = page.locator(".glossary").text_content()
    assert all(term in glossary for term in ("断链", "弱链", "延链", "完整度"))
    assert page.locator("#status-filter .swatch").count() == len(STATUSES) + 1  # and the focus mark

    cov = analyse(cg).coverage
    kept = int(((cov["chain_id"] == "coal_chem") & (cov["status"] != "missing")).sum())
    old = page.evaluate(POSITIONS)
    page.locator("#status-filter input[value=missing]").uncheck()
    page.wait_for_timeout(200)
    assert page.evaluate(PRODUCT_COUNT) == kept and 0 < kept < n
    after = page.evaluate(READABLE, kept)
    assert after["ok"] >= 0.8 * kept, after
    new = page.evaluate(POSITIONS)
    assert any(old[k] != new[k] for k in new), "the layout was not recomputed after filtering"
    visit.clean()
    visit.close()


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[ChainGraph, list[Path]]:
    """Two chains of about 2,700 products each, four products in five without any flow."""
    base = tmp_path_factory.mktemp("big")
    generate(base / "data", firms=10_000, products=5000, chains=2, flows=0.2)
    tables, report = load(base / "data")
    assert report.totals["rejected"] == 0
    cg = ChainGraph(tables)
    return cg, write_site(analyse(cg), base / "site")


def test_a_chain_of_thousands_of_products(browser: Any, big_site: tuple[ChainGraph, list[Path]]) -> None:
    cg, written = big_site
    page_file = next(p for p in written if p.name == "chain_chain01.html")
    n = product_count(cg, "chain01")
    assert n > 2000
    visit, page = open_at_1440(browser, page_file)
    assert page.evaluate(DRAWN) <= 300  # the first screen: groups, collapsed
    assert page.evaluate(REPRESENTED) == n  # every product is in a drawn node or a collapsed group
    groups = page.evaluate("() => chainMap.nodes.get({filter: n => n.kind === 'group'}).map(n => [n.group, n.count])")
    assert sum(c for _, c in groups) == n
    # grouped by product type too (products.kind: the generator makes a few products outside every flow
    # equipment or uses), each group named by it
    members = cg.tables["chain_products"].query("chain_id == 'chain01'")["product_id"].tolist()
    kinds = Counter(cg.tables["products"].set_index("product_id")["kind"][members])
    by_type = page.evaluate("() => chainMap.groups.reduce((m, g) => (m[g.type] = (m[g.type] || 0) + g.members.length, m), {})")
    assert by_type == dict(kinds) and set(kinds) == {"物料", "设备", "用途"}
    named = page.evaluate("() => chainMap.groups.map(g => [g.type, g.linked, g.name])")
    assert all(f" · {t} · " in name and linked == 0 for t, linked, name in named if t != "物料")
    assert page.evaluate("() => chainMap.network.getScale()") * 14 >= 12

    biggest = max(groups, key=lambda g: g[1])
    page.evaluate("g => chainMap.toggleGroup(g)", biggest[0])
    page.wait_for_timeout(200)
    drawn = page.evaluate(PRODUCT_COUNT)
    assert drawn == min(biggest[1], DRAW_CAP) and page.evaluate(DRAWN) <= DRAW_CAP + len(groups)
    assert page.evaluate(REPRESENTED) == n - biggest[1] + drawn
    assert page.evaluate("() => chainMap.network.getScale()") * 14 >= 12
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chain_large_open_group.png"))

    # search: Enter focuses on the first match and its neighbourhood, two steps up and two down
    names = cg.tables["products"].set_index("product_id")["name_zh"]
    from pages.layout import chain_links

    links = nx.DiGraph([(a, b) for a, b, _ in chain_links(cg.product_graph, members)])
    hub = max(links.nodes, key=lambda p: links.degree(p))
    page.fill("#search", names[hub])
    page.press("#search", "Enter")
    page.wait_for_timeout(200)
    shown = {i.removeprefix("p:") for i in page.evaluate("() => chainMap.nodes.getIds({filter: n => n.kind === 'product'})")}
    up = nx.single_source_shortest_path_length(links.reverse(copy=False), hub, cutoff=2)
    down = nx.single_source_shortest_path_length(links, hub, cutoff=2)
    expected = set(up) | set(down)
    assert hub in shown and (shown == expected or (len(shown) == DRAW_CAP and shown < expected))
    assert page.evaluate("() => chainMap.network.getSelectedNodes()") == [f"p:{hub}"]
    assert names[hub] in page.locator("#detail").text_content()
    page.screenshot(path=str(ARTIFACTS / "chain_large_focus.png"))

    page.click("#overview")  # back to the groups, the one opened still open
    page.wait_for_timeout(200)
    assert page.evaluate(REPRESENTED) == n - biggest[1] + drawn
    page.screenshot(path=str(ARTIFACTS / "chain_large.png"))
    rows = page.locator("#product-table tbody tr").count()
    assert 0 < rows <= 100  # the table pages through every product, 100 rows at a time
    visit.clean()
    visit.close()
