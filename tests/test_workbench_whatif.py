"""The workbench's what-if form with a new investor not in the data, against a real server.

The data is `xss_tables()` (the tiny graph plus a product `xss`, named as HTML, downstream of PBAT that nobody
makes, and two firms named as HTML). By hand: xss is 延链 in c1 (nobody makes it, its input PBAT is made
locally by X1); one new plant in Wuhai makes it a single-producer link, so it changes extend ->
weak, and the plant is the new investor's, marked 假设. Nothing of the new investor is written into the workspace.
"""
from __future__ import annotations

import html

import pytest

from workbench_fixtures import Client, prepared_home, running  # noqa: F401 (fixture)

NEW = "某某新材料科技有限公司"


@pytest.fixture(scope="module")
def home(prepared_home):
    return prepared_home


@pytest.fixture(scope="module")
def client(home):
    with running(home) as url:
        c = Client(url)
        assert c.login("ta").status == 302
        yield c


def test_a_new_investor_is_shown_as_hypothetical_and_fills_the_link(client, home) -> None:
    page = html.unescape(client.post("/whatif/", {"firm": NEW, "products": "xss", "capacity": "3", "new_firm": "on",
                                                  "province": "浙江省", "city": "杭州市"}).text)
    assert 'id="error"' not in page
    plants = page.split('<ul id="plants">')[1].split("</ul>")[0]
    assert "假设 / hypothetical" in plants and f"{NEW}（假设新投资方，乌海市新建）" in plants
    assert "可降解材料 · " in page and ": extend → weak" in page
    for path in home.rglob("*"):
        if path.is_file():
            assert NEW.encode() not in path.read_bytes(), path  # never written into data or tracking


def test_without_the_option_an_unknown_firm_is_a_bilingual_error_with_its_code(client) -> None:
    page = html.unescape(client.post("/whatif/", {"firm": NEW, "products": "xss"}).text)
    error = page.split('id="error">')[1].split("</p>")[0]
    assert "错误 [unknown-firm]" in error and "error [unknown-firm]" in error and NEW in error
    assert '<ul id="plants">' not in page


def test_a_new_investor_named_like_a_firm_in_the_data_is_refused(client) -> None:
    page = html.unescape(client.post("/whatif/", {"firm": "乙化学 有限公司", "products": "bdo", "new_firm": "on"}).text)
    error = page.split('id="error">')[1].split("</p>")[0]
    assert "[new-firm-exists]" in error and "E2" in error


@pytest.mark.parametrize("capacity", ["-1", "inf"])
def test_a_negative_or_infinite_capacity_is_refused(client, capacity: str) -> None:
    page = client.post("/whatif/", {"firm": "E2", "products": "bdo", "capacity": capacity}).text
    assert 'id="error"' in page and '<ul id="plants">' not in page
