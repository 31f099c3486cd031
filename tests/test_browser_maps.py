"""The target map and the local map in real headless Chromium (the pattern of test_browser.py).

Pages are written with `render_target_map` / `render_local_map` and opened both from the file
system (file://, as a planner opens a shared folder) and over a local server. Every request to
anything else is aborted and recorded; names made of HTML must stay text (window.__xss unset).
Counts are checked against the hand-made fixture (tests/maps_fixtures.py) and, on the built-in
data, against the target list itself (distinct firms per province as the enterprises table names it).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from conftest import write_tables
from graph import ChainGraph
from loaders import load
from maps_fixtures import TRIPS, XSS_BEIJING, XSS_LOCAL, XSS_TARGET, map_tables, map_targets
from queries.analysis import analyse
from pages.local_map import render_local_map
from pages.target_map import render_target_map
from queries.settings import load_settings
from test_browser import ARTIFACTS, MARKUP_INSIDE, Visit, browser, served  # noqa: F401 - browser is a fixture

FIRM_NAMES = "sel => [...document.querySelectorAll(sel + ' li.firm .firm-name')].map(n => n.textContent)"
TILE = "code => { const g = document.querySelector('g.tile[data-code=\"' + code + '\"]');" \
       " return [Number(g.dataset.firms), Number(g.dataset.targets)]; }"


@pytest.fixture(scope="module")
def fixture_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("maps")
    tables, report = load(write_tables(base / "data", map_tables()))
    assert report.totals["rejected"] == 0, report.rejections
    settings = {**load_settings(), "trip_groups": TRIPS}
    site = base / "site"
    site.mkdir()
    (site / "target_map.html").write_text(render_target_map(map_targets(), tables, settings, "乌海市"), encoding="utf-8")
    (site / "local_map.html").write_text(render_local_map(tables, settings, "乌海市"), encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def builtin_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    tables, _ = load(None)
    analysis = analyse(ChainGraph(tables))
    targets = [t.to_json() for t in analysis.targets]
    site = tmp_path_factory.mktemp("builtin-maps")
    (site / "target_map.html").write_text(render_target_map(targets, tables, analysis.settings, "乌海市"),
                                          encoding="utf-8")
    (site / "local_map.html").write_text(render_local_map(tables, analysis.settings, "乌海市"), encoding="utf-8")
    return site, targets


def open_map(visit: Visit, address: str, ready: str) -> Any:
    visit.page.goto(address)
    visit.page.wait_for_function(f"window.{ready} && window.{ready}.ready", timeout=20000)
    return visit.page


@pytest.mark.parametrize("how", ["file", "http"])
def test_target_map_draws_offline_with_hand_counted_tiles(browser: Any, fixture_pages: Path, how: str) -> None:
    page_file = fixture_pages / "target_map.html"
    if how == "file":
        visit = Visit(browser, page_file.as_uri())
        page = open_map(visit, page_file.as_uri(), "targetMap")
        check_tiles(page)
        visit.clean()
        visit.close()
        return
    with served(fixture_pages) as base:
        visit = Visit(browser, base)
        page = open_map(visit, base + "target_map.html", "targetMap")
        check_tiles(page)
        visit.clean()
        visit.close()


def check_tiles(page: Any) -> None:
    assert page.locator("#tile-svg g.tile").count() == 34
    assert page.evaluate(TILE, "11") == [2, 3]
    assert page.evaluate(TILE, "12") == [1, 1]
    assert page.evaluate(TILE, "32") == [3, 3]
    assert page.evaluate(TILE, "15") == [1, 1]
    assert page.evaluate(TILE, "44") == [0, 0]
    focus = "code => document.querySelector('g.tile[data-code=\"' + code + '\"] .tile-focus').textContent"
    assert [page.evaluate(focus, c) for c in ("11", "32", "12")] == ["重点 2", "重点 1", ""]  # bdo is the focus gap
    assert "8 家企业、9 条目标" in page.locator("#filter-count").text_content()  # M5 (unresolved) included


def test_province_city_filters_and_trip_lists_match_the_fixture(browser: Any, fixture_pages: Path) -> None:
    page_file = fixture_pages / "target_map.html"
    visit = Visit(browser, page_file.as_uri())
    page = open_map(visit, page_file.as_uri(), "targetMap")

    page.click('g.tile[data-code="32"]')
    assert sorted(page.evaluate(FIRM_NAMES, "#panel")) == ["南京乙公司", "昆山丙公司", "苏州甲公司"]
    assert page.locator("#panel li.target").count() == 3
    page.click('#panel button[data-city="320500"]')  # 苏州市: M1, and M3 through 昆山市
    assert sorted(page.evaluate(FIRM_NAMES, "#panel")) == ["昆山丙公司", "苏州甲公司"]
    page.select_option("#chain-filter", "c2")  # only the PVC targets: M3 in 苏州, M2 and M3 in 江苏
    assert page.evaluate(FIRM_NAMES, "#panel") == ["昆山丙公司"]
    assert page.evaluate(TILE, "32") == [2, 2] and page.evaluate(TILE, "11") == [1, 1]
    page.select_option("#chain-filter", "")
    page.uncheck("#role-supporting")
    assert page.evaluate(TILE, "32") == [1, 1] and page.evaluate(TILE, "11") == [1, 2]
    page.check("#role-supporting")

    page.click('g.tile[data-code="11"]')
    assert page.evaluate(FIRM_NAMES, "#panel") == ["丙集团股份有限公司", XSS_BEIJING]  # by best score
    assert page.evaluate(MARKUP_INSIDE, "#panel") == 0
    assert XSS_TARGET in page.locator("#unresolved").text_content()
    assert page.evaluate(MARKUP_INSIDE, "#unresolved") == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "target_map_fixture.png"), full_page=True)

    page.click('.card[data-trip="京津冀"] button.show-trip')
    assert sorted(page.evaluate(FIRM_NAMES, "#panel")) == sorted(["丙集团股份有限公司", XSS_BEIJING, "戊化工集团有限公司"])
    assert "3 家企业、4 条目标" in page.locator("#panel .summary").text_content()
    assert "未识别的地名" in page.locator('.card[data-trip="未知"]').text_content()
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#print-trip")
    assert page.evaluate("window.__printed") is True
    assert page.locator("#print-area tbody tr").count() == 3
    page.click('.card[data-trip="苏州"] button.show-trip')
    assert sorted(page.evaluate(FIRM_NAMES, "#panel")) == ["昆山丙公司", "苏州甲公司"]
    visit.clean()
    visit.close()


def test_long_lists_are_drawn_a_hundred_firms_at_a_time(browser: Any, tmp_path: Path) -> None:
    tables, _ = load(write_tables(tmp_path / "data", map_tables()))
    many = [{**map_targets()[2], "enterprise_id": f"S{i:03d}", "name": f"苏州企业{i:03d}", "score": i} for i in range(250)]
    page_file = tmp_path / "many.html"
    page_file.write_text(render_target_map(many, tables, load_settings(), "乌海市"), encoding="utf-8")
    visit = Visit(browser, page_file.as_uri())
    page = open_map(visit, page_file.as_uri(), "targetMap")
    assert page.evaluate(TILE, "32") == [250, 250]
    page.click('g.tile[data-code="32"]')
    assert page.locator("#panel li.firm").count() == 100
    assert page.evaluate(FIRM_NAMES, "#panel")[0] == "苏州企业249"  # best score first
    page.click("#panel button.more")
    assert page.locator("#panel li.firm").count() == 200
    page.click("#panel button.more")
    assert page.locator("#panel li.firm").count() == 250 and page.locator("#panel button.more").count() == 0
    visit.clean()
    visit.close()


def test_builtin_target_map_counts_equal_the_target_list(browser: Any, builtin_pages: tuple[Path, list]) -> None:
    site, targets = builtin_pages
    firms, rows = defaultdict(set), defaultdict(int)
    for t in targets:  # the built-in enterprises table writes full province names
        firms[t["province"]].add(t["enterprise_id"])
        rows[t["province"]] += 1
    delta = {"上海市", "江苏省", "浙江省", "安徽省"}
    with served(site) as base:
        visit = Visit(browser, base)
        page = open_map(visit, base + "target_map.html", "targetMap")
        shown = page.evaluate("() => Object.fromEntries([...document.querySelectorAll('g.tile')].map(g =>"
                              " [g.querySelector('title').textContent, [Number(g.dataset.firms), Number(g.dataset.targets)]]))")
        assert {name: v for name, v in shown.items() if v[0]} == {p: [len(firms[p]), rows[p]] for p in firms}
        page.click('g.tile[data-code="32"]')
        assert page.locator("#panel li.firm").count() == len(firms["江苏省"])
        assert page.locator("#panel li.target").count() == rows["江苏省"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "target_map.png"), full_page=True)
        page.click('.card[data-trip="长三角"] button.show-trip')
        assert page.locator("#panel li.firm").count() == len(set().union(*(firms[p] for p in delta)))
        page.evaluate("window.print = () => {}")
        page.click("#print-trip")
        page.emulate_media(media="print")
        page.screenshot(path=str(ARTIFACTS / "target_map_trip_print.png"), full_page=True)
        page.emulate_media(media="screen")
        visit.clean()
        visit.close()


def test_local_map_lists_each_regions_firms_and_projects(browser: Any, builtin_pages: tuple[Path, list],
                                                          fixture_pages: Path) -> None:
    site, _ = builtin_pages
    page_file = site / "local_map.html"
    visit = Visit(browser, page_file.as_uri())
    page = open_map(visit, page_file.as_uri(), "localMap")
    assert page.locator("#local-svg g.region").count() == 8
    page.click('#local-svg g.region[data-region="wuhai_lowcarbon_park"]')
    # loaders/data: 4 firms registered in the park; projects P001, P003, P007, P008 land there
    assert page.locator("#region-firms li").count() == 4
    assert sorted(page.evaluate("() => [...document.querySelectorAll('#region-projects li')].map(l => l.dataset.project)")) \
        == ["P001", "P003", "P007", "P008"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "local_map.png"), full_page=True)
    visit.clean()
    visit.close()

    page_file = fixture_pages / "local_map.html"
    visit = Visit(browser, page_file.as_uri())
    page = open_map(visit, page_file.as_uri(), "localMap")
    page.click('#local-svg g.region[data-region="wuhai_hainan"]')  # no coordinates: the schematic row
    assert sorted(page.evaluate("() => [...document.querySelectorAll('#region-firms li strong')].map(n => n.textContent)")) \
        == sorted(["甲化工有限公司", XSS_LOCAL])
    assert page.evaluate(MARKUP_INSIDE, "#panel") == 0
    visit.clean()
    visit.close()
