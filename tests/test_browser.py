"""The written site in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Every request to anything but the local test server (or the page's own file) is aborted and
recorded. For each page: no such request was attempted, no console error, the map's canvas drew,
the map shows as many product nodes as the chain has products, and names made of HTML/script stay
text (window.__xss is never set). Outside CI the tests skip when Chromium or Playwright is
missing; under CI=true they fail instead.
"""
from __future__ import annotations

import time

import importlib.util
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import write_tables
from graph import ChainGraph
from loaders import load
from pages.serve import make_server, url
from pages.site import TARGET_XLSX, write_site
from queries.analysis import analyse
from reports.target_list import write_target_list
from pages_fixtures import XSS_FIRM, XSS_LEADER, XSS_PRODUCT, xss_tables

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
VIEWPORT = {"width": 1400, "height": 1000}

CANVAS_INK = """() => {
  const c = document.querySelector('#mynetwork canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}"""
DOM_POSITION = """id => {
  const net = chainMap.network;
  const p = net.canvasToDOM(net.getPositions([id])[id]);
  const r = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
}"""
PRODUCT_COUNT = "() => chainMap.nodes.get({filter: n => n.kind === 'product'}).length"
MARKUP_INSIDE = "sel => document.querySelectorAll(sel + ' img, ' + sel + ' script, ' + sel + ' b[onmouseover]').length"


def require_browser() -> None:
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright package (pip install playwright)")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true requires them")
        pytest.skip(message + "; they always run under CI=true")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Chromium context with an empty profile of its own."""
    require_browser()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, viewport=VIEWPORT)
        try:
            yield context
        finally:
            context.close()


@contextmanager
def served(folder: Path) -> Iterator[str]:
    server = make_server(folder, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url(server)
    finally:
        server.shutdown()
        server.server_close()


class Visit:
    """One page with every request outside `allowed` aborted and recorded, and errors collected."""

    def __init__(self, context: Any, allowed: str):
        self.allowed = allowed
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.allowed):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, address: str, chain: bool) -> Any:
        self.page.goto(address)
        if chain:
            self.page.wait_for_function("window.chainMap && window.chainMap.ready && window.chainMap.detailReady",
                                        timeout=30000)
        elif address.endswith("index.html"):  # its gap and target tables are built from a data script
            self.page.wait_for_function("document.body.dataset.indexReady === '1'", timeout=30000)
        return self.page

    def hover(self, node_id: str) -> str:
        """Move the mouse onto a node and return the tooltip's text."""
        page = self.page
        page.mouse.move(2, 2)
        page.wait_for_timeout(150)
        x, y = page.evaluate(DOM_POSITION, node_id)
        page.mouse.move(x, y)
        page.mouse.move(x + 1, y + 1)
        page.wait_for_function("() => { const t = document.querySelector('div.vis-tooltip');"
                               " return t && t.style.visibility !== 'hidden' && t.textContent.length > 0; }",
                               timeout=5000)
        return page.evaluate("document.querySelector('div.vis-tooltip').textContent")

    def click(self, node_id: str) -> None:
        x, y = self.page.evaluate(DOM_POSITION, node_id)
        self.page.mouse.move(2, 2)
        self.page.mouse.click(x, y)
        self.page.wait_for_timeout(150)

    def clean(self) -> None:
        """Nothing blocked, no console error, no script run from data."""
        assert self.blocked == [], f"requests to other hosts: {self.blocked}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.page.evaluate("typeof window.__xss") == "undefined"

    def close(self) -> None:
        self.page.close()


def build(folder: Path, data: Path | None) -> tuple[ChainGraph, list[Path]]:
    tables, report = load(data)
    assert report.totals["rejected"] == 0, report.rejections
    cg = ChainGraph(tables)
    analysis = analyse(cg)
    write_target_list(analysis, folder / TARGET_XLSX)
    return cg, write_site(analysis, folder, download=TARGET_XLSX)


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[ChainGraph, list[Path]]:
    """The tiny data plus firms and a product named with HTML, through the loaders and the real queries."""
    base = tmp_path_factory.mktemp("xss")
    return build(base / "site", write_tables(base / "data", xss_tables()))


@pytest.fixture(scope="module")
def builtin_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[ChainGraph, list[Path]]:
    return build(tmp_path_factory.mktemp("builtin") / "site", None)


def product_count(cg: ChainGraph, chain_id: str) -> int:
    """Products of a chain in the graph: its HAS_PRODUCT edges."""
    return sum(1 for _, _, d in cg.graph.out_edges(f"Chain:{chain_id}", data=True) if d["type"] == "HAS_PRODUCT")


def wait_until(read: Any, ok: Any, seconds: float = 10.0) -> Any:
    """Poll `read()` until `ok(value)` or the time is up; return the last value (drawing is asynchronous)."""
    deadline = time.monotonic() + seconds
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


@pytest.mark.parametrize("site", ["xss_site", "builtin_site"])
def test_every_page_offline_drawn_and_complete(browser: Any, site: str, request: pytest.FixtureRequest) -> None:
    cg, written = request.getfixturevalue(site)
    chains = {f"chain_{c}.html": c for c in cg.tables["chains"]["chain_id"]}
    assert sorted(p.name for p in written[1:]) == sorted(chains)
    with served(written[0].parent) as base:
        for path in written:
            visit = Visit(browser, base)
            page = visit.open(base + path.name, chain=path.name in chains)
            if path.name in chains:
                chain = chains[path.name]
                assert page.evaluate(PRODUCT_COUNT) == product_count(cg, chain), path.name
                ink = wait_until(lambda: page.evaluate(CANVAS_INK), lambda n: n > 2000)
                assert ink > 2000, f"{path.name}: the map's canvas is blank"
                if site == "builtin_site" and chain == "coal_chem":
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / "chain_coal_chem.png"), full_page=True)
            else:
                assert page.locator("a.chain-link").count() == len(chains)
                assert page.locator("a.download").get_attribute("href") == "targets.xlsx"
                if site == "builtin_site":
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / "index.png"))
            visit.clean()
            visit.close()


def test_names_made_of_html_are_shown_as_text(browser: Any, xss_site: tuple[ChainGraph, list[Path]]) -> None:
    cg, written = xss_site
    with served(written[0].parent) as base:
        visit = Visit(browser, base)
        page = visit.open(base + "chain_c1.html", chain=True)
        tips = {pid: visit.hover(f"p:{pid}") for pid in ["carbide", "acetylene", "bdo", "thf", "pbat", "xss"]}
        assert XSS_FIRM in tips["pbat"]  # local producer, and in the 弱链 reason
        assert tips["xss"].startswith(XSS_PRODUCT)
        assert XSS_LEADER in tips["bdo"]  # a top target
        assert page.evaluate(MARKUP_INSIDE, "div.vis-tooltip") == 0

        visit.click("p:bdo")
        detail = page.locator("#detail").text_content()
        assert "1,4-丁二醇" in detail and XSS_LEADER in detail
        visit.click("p:pbat")
        assert XSS_FIRM in page.locator("#detail").text_content()
        assert page.evaluate(MARKUP_INSIDE, "#detail") == 0

        firm_nodes = "() => chainMap.nodes.get({filter: n => n.kind !== 'product'}).length"
        assert page.evaluate(firm_nodes) == 0  # firms are listed in the panel, never drawn as dots
        visit.click("p:bdo")
        panel = page.locator("#detail").text_content()
        assert "乙化学有限公司" in panel and "丙集团股份有限公司" in panel  # nearby producer, target
        assert "原料 inputs：乙炔" in panel

        page.fill("#search", "onerror")
        assert XSS_FIRM in page.locator("#search-result").text_content()
        assert page.evaluate(MARKUP_INSIDE, "#search-result") == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "chain_c1_firms.png"))
        visit.clean()
        visit.close()

        visit = Visit(browser, base)
        page = visit.open(base + "index.html", chain=False)
        assert XSS_FIRM in page.locator("#gaps").text_content()
        assert XSS_LEADER in page.locator("#targets").text_content()
        assert page.evaluate(MARKUP_INSIDE, "#gaps") + page.evaluate(MARKUP_INSIDE, "#targets") == 0
        visit.clean()
        visit.close()


INDEX_TOTALS = ("() => ({data: [chainkgData.index.gaps.n, chainkgData.index.targets.n],"
                " total: [+gaps.dataset.total, +targets.dataset.total], matched: [+gaps.dataset.matched, +targets.dataset.matched],"
                " shown: [gaps.tBodies[0].rows.length, targets.tBodies[0].rows.length]})")
SHOWN = "sel => [...document.querySelectorAll(sel + ' tbody tr')].map(r => [...r.cells].map(c => c.textContent))"


def test_index_tables_sort_filter_and_page(browser: Any, builtin_site: tuple[ChainGraph, list[Path]]) -> None:
    cg, written = builtin_site
    analysis = analyse(cg)
    gaps, targets = len(analysis.gaps), len(analysis.targets)
    assert targets > 200  # more than a page: the pager is exercised
    with served(written[0].parent) as base:
        visit = Visit(browser, base)
        page = visit.open(base + "index.html", chain=False)
        totals = page.evaluate(INDEX_TOTALS)  # every gap and target is in the page's data, a page of them shown
        assert totals == {"data": [gaps, targets], "total": [gaps, targets], "matched": [gaps, targets],
                          "shown": [min(gaps, 200), 200]}
        all_scores = sorted(t.score for t in analysis.targets)
        scores = "() => [...document.querySelectorAll('#targets tbody tr')].map(r => parseFloat(r.cells[7].textContent))"
        header = page.locator("#targets th").nth(7)
        header.click()
        assert page.evaluate(scores) == all_scores[:200]  # sorted over all rows, not only the page shown
        header.click()
        assert page.evaluate(scores) == all_scores[::-1][:200]
        tools = ".table-tools[data-for=targets]"
        page.locator(f"{tools} button", has_text="下一页").click()
        assert page.evaluate(scores) == all_scores[::-1][200:400]
        assert "第 2 / " in page.locator(f"{tools} [data-pager]").text_content()

        page.locator(f"{tools} select[data-col='3']").select_option("龙头")
        roles = page.evaluate("() => [...document.querySelectorAll('#targets tbody tr:not([hidden])')]"
                              ".map(r => r.cells[3].textContent)")
        leaders = sum(t.role == "leader" for t in analysis.targets)
        assert roles and set(roles) == {"龙头"} and len(roles) == min(leaders, 200)
        assert page.evaluate(INDEX_TOTALS)["matched"][1] == leaders < targets
        assert f"显示 {leaders} / {targets}" in page.locator(f"{tools} [data-count]").text_content()
        page.locator(".table-tools[data-for=gaps] input[type=search]").fill("针状焦")
        shown = page.evaluate(SHOWN, "#gaps")
        expected = [g for g in analysis.gaps if "针状焦" in g.product_name + g.reason_zh + g.chain_name + g.segment]
        assert shown and len(shown) == len(expected) and all("针状焦" in "".join(row) for row in shown)
        assert [row[1] for row in shown] == [g.product_name for g in expected]
        visit.clean()
        visit.close()


def test_the_index_opened_from_a_folder_works(browser: Any, xss_site: tuple[ChainGraph, list[Path]]) -> None:
    """The index's lists come as a data script beside it: they load under file:// too, as text."""
    cg, written = xss_site
    analysis = analyse(cg)
    visit = Visit(browser, written[0].parent.as_uri() + "/")
    page = visit.open(written[0].as_uri(), chain=False)
    n = [len(analysis.gaps), len(analysis.targets)]
    assert page.evaluate(INDEX_TOTALS) == {"data": n, "total": n, "matched": n, "shown": n}
    assert XSS_LEADER in page.locator("#targets").text_content()
    assert page.evaluate(MARKUP_INSIDE, "#gaps") + page.evaluate(MARKUP_INSIDE, "#targets") == 0
    visit.clean()
    visit.close()


def test_a_chain_page_opened_from_a_folder_works(browser: Any, xss_site: tuple[ChainGraph, list[Path]]) -> None:
    """Planners open pages from a shared folder: file:// with nothing else reachable."""
    _, written = xss_site
    page_file = written[1]
    visit = Visit(browser, page_file.parent.as_uri() + "/")  # the site folder: the page, lib/ and lib/data/
    page = visit.open(page_file.as_uri(), chain=True)
    assert page.evaluate(PRODUCT_COUNT) == 6
    assert page.evaluate(CANVAS_INK) > 2000
    visit.clean()
    visit.close()


GAP_REASONS = "() => [...document.querySelectorAll('#detail li.gap .reason')].map(n => n.textContent)"
TARGET_REASONS = "() => [...document.querySelectorAll('#detail li.target div.reason')].map(n => n.textContent)"
PANEL_LINES = "sel => [...document.querySelectorAll('#detail ' + sel)].map(n => n.textContent)"


def test_reasons_the_pages_write_equal_the_queries(browser: Any, builtin_site: tuple[ChainGraph, list[Path]]) -> None:
    """The pages carry reasons packed (pages/reasons.py) and write them out in the browser
    (lib/packed.js): what each page shows is exactly the reason_zh of the queries, for every gap and
    target of the built-in data on the chain pages, the first page of each index list, and a
    province of the target map (all loaded from the site's data scripts)."""
    cg, written = builtin_site
    analysis = analyse(cg)
    gaps, targets = {}, {}
    for g in analysis.gaps:
        gaps.setdefault((g.chain_id, g.product_id), []).append(g)
    for t in analysis.targets:
        targets.setdefault((t.chain_id, t.product_id), []).append(t)
    products = dict(zip(cg.tables["products"]["product_id"], cg.tables["products"]["name_zh"]))
    checked = competing = 0
    with served(written[0].parent) as base:
        for chain in cg.tables["chains"]["chain_id"]:
            visit = Visit(browser, base)
            page = visit.open(base + f"chain_{chain}.html", chain=True)
            for (c, pid), listed in gaps.items():
                if c != chain:
                    continue
                page.evaluate("pid => chainMap.showProduct(pid)", pid)
                assert page.evaluate(GAP_REASONS) == [g.reason_zh for g in listed], pid
                assert page.evaluate(PANEL_LINES, "li.gap .priority") == [f"优先级 priority {g.priority:g}" for g in listed]
                mine = targets.get((c, pid), [])
                assert sorted(page.evaluate(TARGET_REASONS)) == sorted(t.reason_zh for t in mine), pid
                rivals = [t for t in mine if t.competes_with]
                assert sorted(page.evaluate(PANEL_LINES, "li.target .competes")) == sorted(
                    "竞争者 competitor：亦生产本地已有的 " + "、".join(products[p] for p in t.competes_with) for t in rivals)
                checked += len(listed) + len(mine)
                competing += len(rivals)
            visit.clean()
            visit.close()
        assert checked == len(analysis.gaps) + len(analysis.targets) and competing > 0

        visit = Visit(browser, base)
        page = visit.open(base + "index.html", chain=False)
        assert [row[5] for row in page.evaluate(SHOWN, "#gaps")] == [g.reason_zh for g in analysis.gaps[:200]]
        assert [(row[4], row[8]) for row in page.evaluate(SHOWN, "#targets")] == [
            (t.name, t.reason_zh) for t in analysis.targets[:200]]
        visit.clean()
        visit.close()

        visit = Visit(browser, base)
        page = visit.open(base + "target_map.html", chain=False)
        page.wait_for_function("window.targetMap && window.targetMap.ready", timeout=20000)
        page.click('g.tile[data-code="32"]')
        shown = page.evaluate("() => [...document.querySelectorAll('#panel li.target .reason')].map(n => n.textContent)")
        expected = [t.reason_zh for t in analysis.targets if t.province == "江苏省"]
        assert shown and sorted(shown) == sorted(expected)
        visit.clean()
        visit.close()
