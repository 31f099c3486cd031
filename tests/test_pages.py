"""The written pages: offline, escaped, and showing the hand-worked chain (no browser needed here;
tests/test_browser.py opens them in Chromium)."""
from __future__ import annotations

import json
from html import unescape
import re
import threading
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyvis.network import Network

from cli.main import main
from conftest import write_tables
from graph import ChainGraph
from loaders import load
from pages import chain_data
from pages.chain_data import chain_payload
from pages.chain_page import map_data, render_chain_page
from pages.index_page import render_index
from pages.layout import chain_links, levels
from pages.offline import external_refs, pages_with_external_refs
from pages.packing import records
from pages.serve import make_server, url
from pages.site import LOCAL_MAP, TARGET_MAP, TARGET_XLSX, write_site
from queries.analysis import analyse
from queries.whatif import HYPOTHETICAL, Addition, with_plants
from reports.target_list import write_target_list
from pages_fixtures import XSS_FIRM, XSS_LEADER, XSS_PRODUCT, hand_analysis, xss_tables

DATA_RE = re.compile(r'<script type="application/json" id="chain-data">(.*?)</script>', re.S)
DETAIL_RE = re.compile(r'^\(window\.chainkgData = window\.chainkgData \|\| \{\}\)\["([A-Za-z0-9_-]+)"\] = (.*);\n$', re.S)


def page_data(path: Path) -> dict:
    """What a chain page of a site shows: its embedded map JSON (the same the browser parses) and the
    detail data script it names, unpacked as the page script does (pages.packing.records): per
    product its map fields, firms (as ids), gaps and targets with their reasons written out; the
    firm records by id."""
    data = json.loads(DATA_RE.search(path.read_text(encoding="utf-8")).group(1))
    key, text = DETAIL_RE.match((path.parent / data["detail"]["src"]).read_text(encoding="utf-8")).groups()
    assert key == data["detail"]["key"]
    d = json.loads(text)
    data["map"]["products"] = records(data["map"]["products"], data["map"])
    firms = records(d["firms"], d)
    ids = [f["id"] for f in firms]
    products = {}
    for m, p in zip(data["map"]["products"], records(d["products"], d)):
        products[m["id"]] = {**p, "status": m["status"], "gaps": [], "targets": [],
                             **{k: [ids[i] for i in p[k]] for k in ("local", "building", "neighbour", "unverified",
                                                                     "hypothetical")}}
    order = [m["id"] for m in data["map"]["products"]]
    for g in records(d["gaps"], d):
        products[order[g["product"]]]["gaps"].append({**g, "reason_zh": g["reason"]})
    for t in records(d["targets"], d):
        products[order[t["product"]]]["targets"].append({**t, "enterprise_id": ids[t["firm"]], "reason_zh": t["reason"]})
    return {"products": products, "firms": {f["id"]: f for f in firms}, "chain": data["chain"], "map": data["map"]}


def index_rows(path: Path) -> dict[str, list[dict]]:
    """The gap and target lists an index of a site shows: its data script (named by the page's
    settings) unpacked as the page script does, one dict per row with the columns it shows."""
    settings = json.loads(re.search(r'<script type="application/json" id="index-settings">(.*?)</script>',
                                    path.read_text(encoding="utf-8"), re.S).group(1))
    key, text = DETAIL_RE.match((path.parent / settings["src"]).read_text(encoding="utf-8")).groups()
    assert key == settings["key"]
    d = json.loads(text)
    chains, links = records(d["chains"], d), records(d["links"], d)
    firms = records(d["firms"], d)

    def link(r: dict) -> dict:
        x = links[r["link"]]
        return {"chain": chains[x["chain"]]["name"], "product": x["product"], "kind": x["kind_zh"], "focus": x["focus"]}

    return {"gaps": [{**link(g), "segment": g["segment"], "reason": g["reason"]}
                     for g in records(d["gaps"], d)],
            "targets": [{**link(t), "role": t["role_zh"], "name": firms[t["firm"]]["name"],
                         "province": firms[t["firm"]]["province"], "city": firms[t["firm"]]["city"], "score": t["score"],
                         "reason": t["reason"]} for t in records(d["targets"], d)]}


@pytest.fixture
def xss_graph(tmp_path: Path) -> ChainGraph:
    tables, report = load(write_tables(tmp_path / "xss", xss_tables()))
    assert report.totals["rejected"] == 0, report.rejections
    return ChainGraph(tables)


# ---------- the offline check ----------

@pytest.mark.parametrize("html", [
    '<script src="https://cdn.example.org/vis.js"></script>',
    "<link rel=stylesheet href='http://cdn.example.org/a.css'>",
    "<img SRC=//cdn.example.org/a.png>",
    '<style>@import "https://fonts.example.org/x.css";</style>',
    "<style>@import url(http://fonts.example.org/x.css);</style>",
    '<div style="background: url( \'https://example.org/bg.png\')"></div>',
    "<style>.x { background: url(//example.org/bg.png) }</style>",
    '<form action="https://example.org/post"></form>',
])
def test_offline_check_flags_references_to_other_hosts(html: str) -> None:
    assert len(external_refs(html)) == 1


@pytest.mark.parametrize("html", [
    '<script src="chain.js"></script><a href="chain_bdo.html">BDO</a><a href="#top">top</a>',
    '<style>.x { background: url("data:image/png;base64,iVBOR") }</style>',
    '<script>var ns = "http://www.w3.org/2000/svg"; /* https://visjs.github.io */</script>',
    "<p>数据来源 https://example.org（文本，不是引用）</p>",
])
def test_offline_check_passes_local_data_and_plain_text(html: str) -> None:
    assert external_refs(html) == []


@pytest.mark.parametrize("mode", ["in_line", "local"])
def test_pyvis_own_template_is_not_offline(mode: str) -> None:
    """Why pages use their own template: pyvis 0.3.2 links CDNs in both of its 'offline' modes."""
    net = Network(cdn_resources=mode)
    net.add_node("a")
    refs = external_refs(net.generate_html())
    assert any("bootstrap" in r for r in refs)
    if mode == "local":
        assert any("vis-network" in r and r.endswith(".css") for r in refs)


# ---------- layout ----------

def test_links_and_levels_of_the_tiny_chains(tiny_graph: ChainGraph) -> None:
    pg = tiny_graph.product_graph
    c1 = ["carbide", "acetylene", "bdo", "thf", "pbat"]
    links = chain_links(pg, c1)
    assert links == [("carbide", "acetylene", ()), ("acetylene", "bdo", ()), ("bdo", "pbat", ()), ("bdo", "thf", ())]
    segments = {"carbide": "上游", "acetylene": "上游", "bdo": "中游", "thf": "中游", "pbat": "下游"}
    assert levels(segments, links) == {"carbide": 0, "acetylene": 1, "bdo": 2, "thf": 3, "pbat": 3}
    # c2: the catalyst (辅料, a source) sits just left of PVC, beside acetylene
    c2 = {"carbide": "上游", "acetylene": "中游", "pvc": "下游", "pvc_catalyst": "上游"}
    assert levels(c2, chain_links(pg, list(c2))) == {"carbide": 0, "acetylene": 1, "pvc": 2, "pvc_catalyst": 1}


def test_a_path_through_products_outside_the_chain_is_one_indirect_link(tiny_graph: ChainGraph) -> None:
    links = chain_links(tiny_graph.product_graph, ["carbide", "thf", "pbat"])
    assert links == [("carbide", "pbat", ("acetylene", "bdo")), ("carbide", "thf", ("acetylene", "bdo"))]
    assert levels({"carbide": "上游", "thf": "下游", "pbat": "下游"}, links) == {"carbide": 0, "thf": 1, "pbat": 1}


# ---------- what a chain page carries ----------

def test_chain_payload_from_a_hand_made_analysis(xss_graph: ChainGraph) -> None:
    p = chain_payload(xss_graph, "c1", hand_analysis(xss_graph))
    products = p["products"]
    assert list(products) == ["carbide", "acetylene", "bdo", "thf", "pbat", "xss"]
    assert {k: v["level"] for k, v in products.items()} == {"carbide": 0, "acetylene": 1, "bdo": 2, "thf": 3,
                                                             "pbat": 3, "xss": 4}
    assert {k: v["status"] for k, v in products.items()} == {"carbide": "weak", "acetylene": "weak",
                                                              "bdo": "neighbour", "thf": "project",
                                                              "pbat": "weak", "xss": "missing"}
    bdo = products["bdo"]
    assert (bdo["focus"], bdo["neighbour"], bdo["elsewhere_count"]) == (True, ["E2"], 2)
    assert [g["kind_zh"] for g in bdo["gaps"]] == ["断链"]
    assert [(t["enterprise_id"], t["role_zh"], t["score"]) for t in bdo["targets"]] == [
        ("X2", "龙头", 90), ("E3", "龙头", 80), ("E2", "配套", 45)]
    assert bdo["top_targets"] == ["X2", "E3", "E2"]
    assert products["thf"]["projects"] == [{"id": "P1", "name": "年产3万吨四氢呋喃项目", "status": "在建"}]
    assert products["pbat"]["local"] == ["X1"] and p["firms"]["X1"]["name"] == XSS_FIRM
    assert set(p["firms"]) == {"E1", "E2", "E3", "X1", "X2"}
    assert [(x["from"], x["to"]) for x in p["links"]] == [("carbide", "acetylene"), ("acetylene", "bdo"),
                                                          ("bdo", "pbat"), ("bdo", "thf"), ("pbat", "xss")]
    assert (p["chain"]["score"], p["chain"]["covered"], p["chain"]["links"]) == (0.4, 3, 6)


def test_a_what_if_plant_is_hypothetical_not_to_be_verified(tiny_graph: ChainGraph, tmp_path: Path) -> None:
    """A site written from a what-if source: E3 (Beijing) builds PBAT here, a plant 'E3@wuhai' whose
    PRODUCES row is 假设. Coverage counts it among the local producers not 已核实; the page says 假设."""
    assert HYPOTHETICAL == chain_data.HYPOTHETICAL  # the pages spell the what-if's source as queries.whatif does
    analysis = analyse(with_plants(tiny_graph, [Addition("E3", "pbat")]))
    cov = analysis.coverage.set_index(["chain_id", "product_id"]).loc[("c1", "pbat")]
    assert list(cov["local_producers"]) == ["E3@wuhai"] and list(cov["local_unverified"]) == ["E3@wuhai"]
    pbat = chain_payload(analysis.graph, "c1", analysis)["products"]["pbat"]
    assert (pbat["local"], pbat["hypothetical"], pbat["unverified"]) == (["E3@wuhai"], ["E3@wuhai"], [])
    written = write_site(analysis, tmp_path / "site")
    shown = page_data(written[1])["products"]["pbat"]
    assert (shown["hypothetical"], shown["unverified"]) == (["E3@wuhai"], [])


def test_map_data_of_a_chain(xss_graph: ChainGraph) -> None:
    """c2 of the hand-made analysis: counts are 本地/周边/全国 producers and targets (全国 = local +
    nearby + elsewhere), links point at positions in the product list."""
    m = map_data(chain_payload(xss_graph, "c2", hand_analysis(xss_graph)))
    assert [(p["id"], p["level"], p["status"], p["n"], p["focus"]) for p in m["products"]] == [
        ("carbide", 0, "weak", [1, 0, 1, 0], False), ("acetylene", 1, "weak", [1, 0, 1, 0], True),
        ("pvc", 2, "missing", [0, 0, 2, 0], False), ("pvc_catalyst", 1, "missing", [0, 0, 1, 0], False)]
    assert all(p["linked"] for p in m["products"]) and all(p["gap"] == "" for p in m["products"])
    assert sorted(m["links"]) == [[0, 1, 0], [1, 2, 0], [3, 2, 1]]  # pvc_catalyst -> pvc is 辅料
    c1 = map_data(chain_payload(xss_graph, "c1", hand_analysis(xss_graph)))
    bdo = next(p for p in c1["products"] if p["id"] == "bdo")
    assert (bdo["n"], bdo["gap"]) == ([0, 1, 3, 3], "missing")  # E2 nearby, 2 elsewhere; three targets


def test_a_page_rendered_alone_carries_everything(xss_graph: ChainGraph) -> None:
    html = render_chain_page(chain_payload(xss_graph, "c1", hand_analysis(xss_graph)), "乌海市")
    assert external_refs(html) == [] and "<script src=" not in html and "<link" not in html
    assert "'self'" not in unescape(html) and "script-src 'unsafe-inline'" in unescape(html)  # alone, the CSP allows inline code only
    assert XSS_FIRM not in html and "chainkgLoad" in html and "vis.Network" in html


def test_an_index_rendered_alone_inlines_its_lists(xss_graph: ChainGraph) -> None:
    html = render_index(xss_graph, hand_analysis(xss_graph), {"c1": "chain_c1.html", "c2": "chain_c2.html"},
                        "乌海市", None)
    assert external_refs(html) == [] and "<script src=" not in html and "'self'" not in unescape(html)
    assert XSS_FIRM not in html and XSS_LEADER not in html  # inside the inlined data, '<' is escaped
    assert "chainkgLoad" in html and "chainkgPacked" in html and '["index"] = {"gaps":' in html
    assert 'href="chain_c2.html"' in html


# ---------- the written site ----------

def test_site_from_a_hand_made_analysis_is_offline_and_escaped(xss_graph: ChainGraph, tmp_path: Path) -> None:
    written = write_site(hand_analysis(xss_graph), tmp_path / "site")
    assert [p.name for p in written] == ["index.html", "chain_c1.html", "chain_c2.html"]
    assert pages_with_external_refs(tmp_path / "site") == {}
    for page in written:
        html = page.read_text(encoding="utf-8")
        for raw in (XSS_FIRM, XSS_LEADER, XSS_PRODUCT, "<img src=x"):
            assert raw not in html, (page.name, raw)
    index = written[0].read_text(encoding="utf-8")
    assert 'href="chain_c1.html"' in index and "40.0%" in index and "60.0%" in index
    assert "乌海市无在产企业" not in index and "<tr><td>可降解材料" not in index  # the lists are data, not rows
    assert '<script src="lib/lazy.js"></script>' in index and "script-src 'self' 'unsafe-inline'" in unescape(index)
    rows = index_rows(written[0])  # every gap and target, the names exactly as given (the page shows them as text)
    assert [(g["product"], g["kind"], g["segment"], g["focus"], g["reason"]) for g in rows["gaps"]] == [
        (XSS_PRODUCT, "断链", "下游", 1, "乌海市无在产企业、无在建项目；为重点招商产品。"),
        ("1,4-丁二醇", "断链", "中游", 1, "本地已有原料乙炔（甲化工有限公司），可就地转化。"),
        ("PBAT", "弱链", "下游", 1, f"乌海市仅{XSS_FIRM}一家生产。")]
    assert [(t["name"], t["role"], t["province"], t["score"], t["reason"]) for t in rows["targets"]] == [
        (XSS_LEADER, "龙头", "北京市", 90, "生产1,4-丁二醇；产能全国前列。"),
        ("丙集团股份有限公司", "龙头", "北京市", 80, "生产1,4-丁二醇；上市公司。"),
        ("乙化学有限公司", "配套", "", 45, "已在周边地区生产。")]
    assert XSS_FIRM not in (tmp_path / "site" / "lib/data/index.js").read_text(encoding="utf-8")  # '<' escaped
    c1 = page_data(written[1])
    assert c1["firms"]["X1"]["name"] == XSS_FIRM  # the JSON round-trips exactly
    assert c1["products"]["pbat"]["gaps"][0]["reason_zh"] == f"乌海市仅{XSS_FIRM}一家生产。"
    assert [(t["enterprise_id"], t["role"], t["reason_zh"]) for t in c1["products"]["bdo"]["targets"]] == [
        ("X2", "leader", "生产1,4-丁二醇；产能全国前列。"), ("E3", "leader", "生产1,4-丁二醇；上市公司。"),
        ("E2", "supporting", "已在周边地区生产。")]
    lib = tmp_path / "site" / "lib"
    assert sorted(p.name for p in lib.iterdir()) == ["chain.js", "data", "lazy.js", "packed.js", "style.css",
                                                      "vis-network.css", "vis-network.min.js"]
    assert sorted(p.name for p in (lib / "data").iterdir()) == ["chain_c1.js", "chain_c2.js", "index.js", "target_map.js"]
    for page in written[1:]:
        html = page.read_text(encoding="utf-8")
        assert '<script src="lib/vis-network.min.js"></script>' in html and "vis.Network" not in html
        assert "script-src 'self' 'unsafe-inline'" in unescape(html) and "connect-src" not in html


def test_site_from_the_real_queries_on_the_tiny_data(tiny_graph: ChainGraph, tmp_path: Path) -> None:
    analysis = analyse(tiny_graph)
    write_target_list(analysis, tmp_path / "site" / TARGET_XLSX)
    written = write_site(analysis, tmp_path / "site", download=TARGET_XLSX)
    c1, c2 = page_data(written[1]), page_data(written[2])
    assert {k: v["status"] for k, v in c1["products"].items()} == {
        "carbide": "weak", "acetylene": "weak", "bdo": "neighbour", "thf": "project", "pbat": "missing"}
    assert {k: v["status"] for k, v in c2["products"].items()} == {
        "carbide": "weak", "acetylene": "weak", "pvc": "missing", "pvc_catalyst": "missing"}
    assert c1["chain"]["score"] == 0.5 and c2["chain"]["score"] == 0.6  # worked in queries/gaps.py
    assert c1["products"]["carbide"]["local"] == ["E1"]
    assert [g["kind"] for g in c2["products"]["pvc"]["gaps"]] == ["extend"]
    index = written[0].read_text(encoding="utf-8")
    assert "50.0%" in index and "60.0%" in index
    rows = index_rows(written[0])
    assert len(rows["gaps"]) == len(analysis.gaps) and len(rows["targets"]) == len(analysis.targets) > 0
    assert [(g["chain"], g["product"], g["kind"]) for g in rows["gaps"]] == [
        (g.chain_name, g.product_name, g.kind_zh) for g in analysis.gaps]
    assert 'href="targets.xlsx"' in index and (tmp_path / "site" / "targets.xlsx").stat().st_size > 0
    assert 'href="target_map.html"' in index and 'href="local_map.html"' in index
    assert all((tmp_path / "site" / name).stat().st_size > 0 for name in (TARGET_MAP, LOCAL_MAP))
    assert pages_with_external_refs(tmp_path / "site") == {}


def test_cli_site_on_the_builtin_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    main(["site", "--out", str(out)])
    chains = load()[0]["chains"]["chain_id"].tolist()
    assert len(chains) == 8
    assert capsys.readouterr().out.split() == [str(out / "index.html")] + [str(out / f"chain_{c}.html")
                                                                             for c in chains]
    assert pages_with_external_refs(out) == {}
    assert (out / "targets.xlsx").exists()
    pages = sorted(out.glob("*.html"))
    assert len(pages) == len(chains) + 3  # index, chain pages, target map, local map
    for page in pages:  # every page says it shows demonstration data, and how much is confirmed
        html = page.read_text(encoding="utf-8")
        assert "演示数据 / demonstration data" in html and "已核实" in html, page.name
    first = load_workbook(out / "targets.xlsx").worksheets[0]
    assert any(str(c.value or "").startswith("演示数据") for c in first["A"])


def test_serve_binds_to_loopback_only(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>乌海</p>", encoding="utf-8")
    server = make_server(tmp_path, 0)
    assert server.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(url(server) + "index.html", timeout=5) as r:
            assert r.headers["Content-Type"] == "text/html; charset=utf-8"
            assert r.read().decode("utf-8") == "<p>乌海</p>"
    finally:
        server.shutdown()
        server.server_close()
