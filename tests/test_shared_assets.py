"""The shared-library groundwork in Chromium: a page loads vis-network from the site's lib/ folder and
its data lazily from a .js file, under the site CSP, both from file:// and over a local server;
fetch() stays blocked, and data names made of HTML stay text."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pages.offline import pages_with_external_refs
from pages.shared_assets import csp_meta, write_data_script, write_library
from test_browser import Visit, browser, served  # noqa: F401 - browser is a fixture

XSS = "<img src=x onerror=window.__xss=1>"
PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
{csp}
<link rel="stylesheet" href="{lib.vis_css}">
<script src="{lib.vis_js}"></script>
<script src="{lib.lazy_js}"></script>
</head><body><div id="net" style="width:600px;height:400px"></div><p id="label"></p>
<script>
fetch("{data}").then(function () {{ window.__fetch = "allowed"; }}, function () {{ window.__fetch = "blocked"; }});
chainkgLoad("{data}", "net").then(function (d) {{
  document.getElementById("label").textContent = d.nodes[0].label;
  var net = new vis.Network(document.getElementById("net"),
    {{ nodes: new vis.DataSet(d.nodes), edges: new vis.DataSet(d.edges) }}, {{ physics: false }});
  window.__nodes = net.body.data.nodes.length;
}});
</script></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shared")
    lib = write_library(folder)
    data = write_data_script(folder, "net", {"nodes": [{"id": 1, "label": XSS}, {"id": 2, "label": "乙炔"}],
                                             "edges": [{"from": 1, "to": 2}]})
    (folder / "page.html").write_text(PAGE.format(csp=csp_meta(), lib=lib, data=data), encoding="utf-8")
    return folder


def test_written_library_loads_nothing_from_another_host(site: Path) -> None:
    assert pages_with_external_refs(site) == {}
    assert (site / "lib" / "vis-network.min.js").stat().st_size > 100_000


def test_bad_data_names_are_refused(site: Path) -> None:
    with pytest.raises(ValueError):
        write_data_script(site, "../x", {})


@pytest.mark.parametrize("how", ["file", "http"])
def test_page_uses_shared_library_and_lazy_data(browser: Any, site: Path, how: str) -> None:
    def check(visit: Visit, address: str) -> None:
        page = visit.page
        page.goto(address)
        page.wait_for_function("window.__nodes !== undefined && window.__fetch !== undefined", timeout=20000)
        assert page.evaluate("window.__nodes") == 2
        assert page.evaluate("window.__fetch") == "blocked"
        assert page.locator("#label").text_content() == XSS
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert visit.blocked == []
        csp_errors = [e for e in visit.errors if "connect" in e.lower() or "fetch" in e.lower()]
        assert visit.errors == csp_errors  # the only console errors are the refused fetch
        visit.close()

    if how == "file":
        check(Visit(browser, site.as_uri()), (site / "page.html").as_uri())
    else:
        with served(site) as base:
            check(Visit(browser, base), base + "page.html")
