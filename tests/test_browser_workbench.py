"""The workbench in real headless Chromium against a real server (waitress on a free loopback port,
a fresh workspace): log in, upload a CSV folder (zip) with a bad row and see it reported, add the
data, assign a target to a team, log a visit as that team, see the team's call list and the
bulletin change. Every request outside the server is aborted and recorded (none may happen); a
firm named with HTML stays text (window.__xss never set).
"""
from __future__ import annotations

import copy
import zipfile

import pytest

from conftest import write_tables
from pages_fixtures import XSS_FIRM, xss_tables
from test_browser import browser, require_browser  # noqa: F401 - the fixture
from workbench_fixtures import PASSWORDS, chainkg, running


@pytest.fixture()
def upload_zip(tmp_path):
    tables = copy.deepcopy(xss_tables())
    tables["enterprises"].append({"enterprise_id": "BAD1", "name": "坏行企业", "region_id": "nowhere", "source": "test"})
    folder = write_tables(tmp_path / "tables", tables)
    path = tmp_path / "数据.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in folder.iterdir():
            z.write(f, f"数据/{f.name}")
    return path


def test_upload_assign_log_and_bulletin_in_the_browser(browser, tmp_path, upload_zip):  # noqa: F811
    home = tmp_path / "ws"
    chainkg(home, "user", "add", "boss", "--password-stdin", stdin=PASSWORDS["boss"] + "\n")
    chainkg(home, "track", "team", "甲队", "--user", "boss")
    chainkg(home, "user", "add", "ta", "--team", "甲队", "--password-stdin", "--user", "boss",
            stdin=PASSWORDS["ta"] + "\n")
    with running(home) as base:
        blocked: list[str] = []
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                   else (blocked.append(r.request.url), r.abort()))

        def login(user):
            page.goto(base + "login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORDS[user])
            page.click("button[type=submit]")
            page.wait_for_selector("#who")

        def bulletin():
            page.goto(base + "bulletin/?period=2023-09")
            return page.text_content("#teams")

        login("boss")
        before = bulletin()
        page.goto(base + "upload/")
        page.set_input_files("input[name=file]", str(upload_zip))
        page.click("#upload-form button")
        rejected = page.text_content("#rejected")
        assert "enterprises.csv" in rejected and "nowhere" in rejected
        assert "BAD1" not in page.text_content("#report")
        page.select_option("select[name=mode]", "add")
        page.click("#accept-form button")
        page.wait_for_selector("#completeness")
        assert "数据快照 0001" in page.text_content("main")

        page.goto(base + "calls/")
        page.fill("#id_firm", "X1")
        page.fill("#id_team", "甲队")
        page.click("#assign-form button")
        page.wait_for_selector("tr[data-key] .firm")
        assert page.text_content("tr[data-key] .firm") == XSS_FIRM
        page.click("form.logout button")

        login("ta")
        page.goto(base + "calls/")
        row = page.locator("tr[data-key]")
        assert row.count() == 1
        row.locator("select[name=stage]").select_option("接洽")
        row.locator("input[name=date]").fill("2023-09-05")
        row.locator("select[name=activity]").select_option("走访企业")
        row.locator("input[name=note]").fill("上门走访")
        row.locator("button").click()
        page.wait_for_selector(".messages")
        assert page.text_content("tr[data-key] .stage") == "接洽"
        assert page.evaluate("window.__xss") is None
        page.click("form.logout button")

        login("boss")
        after = bulletin()
        assert "甲队" not in before and "甲队" in after and "1" in after
        page.goto(base + "site/index.html")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None
        assert blocked == []
        page.close()
