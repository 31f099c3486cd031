"""The workbench's access rules against a real server (waitress, loopback, fresh workspace).

Anonymous users reach only the login page; a 小分队 member reads and changes only its own team's
entries, whatever the route (page, URL, crafted POST, download); POSTs need Django's CSRF token;
passwords are stored hashed; the session cookie is HttpOnly (and Secure with --https); after
5 wrong passwords the right one is refused too.
"""
from __future__ import annotations

import io
import sqlite3

import openpyxl
import pytest

from workbench_fixtures import PASSWORDS, XSS_FIRM, Client, prepared_home, running  # noqa: F401 (fixture)

PAGES = ["/", "/gaps/", "/library/", "/calls/", "/calls/download/", "/projects/", "/bulletin/", "/whatif/",
         "/upload/", "/audit/", "/data/template/", "/site/index.html", "/bulletin/download/?period=2023-09"]


@pytest.fixture(scope="module")
def home(prepared_home):
    return prepared_home


@pytest.fixture(scope="module")
def base(home):
    with running(home) as url:
        yield url


def keys_on(page: str) -> list[str]:
    import re

    return re.findall(r'<tr data-key="([^"]+)"', page)


def test_anonymous_reaches_only_the_login_page(base):
    c = Client(base)
    for path in PAGES:
        r = c.get(path)
        assert r.status == 302 and r.headers["Location"].startswith("/login/"), path
    assert c.get("/login/").status == 200
    assert c.post("/assign/", {"firm": "E2", "team": "乙队"}).status == 302  # to login, nothing written


def test_a_team_sees_only_its_own_assignments_and_its_download_holds_no_other_rows(base):
    c = Client(base)
    assert c.login("ta").status == 302
    page = c.get("/calls/").text
    assert "乙化学有限公司" in page and "丁新材料有限公司" not in page  # E2 is 甲队's, E4 乙队's
    assert c.get("/calls/?team=%E4%B9%99%E9%98%9F").text.count("丁新材料有限公司") == 0
    r = c.get("/calls/download/")
    assert r.status == 200
    cells = [str(v) for ws in openpyxl.load_workbook(io.BytesIO(r.body)).worksheets
             for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert any("乙化学有限公司" in v for v in cells)
    assert not any("丁新材料有限公司" in v or "乙队" in v for v in cells)


def test_a_team_cannot_log_on_another_teams_entry_by_a_crafted_post(base):
    lead = Client(base)
    lead.login("lead")
    other = [k for k in keys_on(lead.get("/calls/").text) if "E4" in k]
    assert other, "the leader sees 乙队's entry"
    c = Client(base)
    c.login("ta")
    r = c.post("/log/", {"key": other[0], "stage": "考察", "date": "2023-09-06", "note": "越权"})
    assert r.status == 403
    tb = Client(base)
    tb.login("tb")
    assert "越权" not in tb.get("/calls/").text and "接洽" in tb.get("/calls/").text


def test_a_team_cannot_assign_upload_read_the_audit_log_or_the_bulletin_detail(base):
    c = Client(base)
    c.login("tb")
    assert c.post("/assign/", {"firm": "E2", "team": "乙队"}).status == 403
    for path in ("/upload/", "/audit/", "/data/template/", "/bulletin/download/?period=2023-09"):
        assert c.get(path).status == 403, path
    lead = Client(base)
    lead.login("lead")
    assert "乙化学有限公司" in lead.get("/calls/").text  # 甲队's row, unchanged by 乙队's attempt
    assert "甲队" in lead.get("/calls/").text


def test_a_post_without_the_csrf_token_is_refused(base):
    c = Client(base)
    c.login("boss")
    assert c.post("/assign/", {"firm": "E5", "team": "乙队"}, csrf=False).status == 403
    assert "戊化工集团有限公司" not in c.get("/calls/").text


def test_a_firm_named_with_html_is_shown_as_text(base):
    c = Client(base)
    c.login("ta")
    page = c.get("/calls/").text
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in page
    assert XSS_FIRM not in page


def test_passwords_are_stored_hashed(home, base):
    with sqlite3.connect(home / "tracking.sqlite3") as db:
        rows = dict(db.execute("select username, password from auth_user"))
    assert set(PASSWORDS) <= set(rows)
    for user, password in PASSWORDS.items():
        assert rows[user].startswith("pbkdf2_sha256$") and password not in rows[user]


def test_the_session_cookie_is_httponly(base):
    c = Client(base)
    r = c.login("lead")
    cookie = next(h for k, h in r.headers.items() if k.lower() == "set-cookie" and h.startswith("sessionid="))
    assert "HttpOnly" in cookie and "Secure" not in cookie


def test_the_session_cookie_is_secure_with_https(home):
    with running(home, "--https") as url:
        c = Client(url, referer=url.replace("http://", "https://") + "login/")
        r = c.login("lead")
        assert r.status == 302
        cookie = next(h for k, h in r.headers.items() if k.lower() == "set-cookie" and h.startswith("sessionid="))
        assert "HttpOnly" in cookie and "Secure" in cookie


def test_the_right_password_after_five_wrong_ones_is_refused(base):
    c = Client(base)
    for _ in range(4):
        assert c.login("ta2", "wrong-password").status == 200  # the form again
    assert c.login("ta2").status == 302  # the 5th try, right: in (and the count starts again)
    d = Client(base)
    for _ in range(5):
        d.login("ta", "wrong-password")
    r = d.login("ta")
    assert r.status in (403, 429) and "锁定" in r.text
    assert d.cookie("sessionid") is None
