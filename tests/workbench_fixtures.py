"""A real workbench server (``chainkg serve`` in a subprocess, waitress on a free loopback port)
over a fresh workspace, and a small HTTP client that keeps cookies and sends Django's CSRF token.

The workspace is prepared only through the CLI (users, teams, assignments, one visit), so the
tests' own process never configures Django.
"""
from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import write_tables
from pages_fixtures import XSS_FIRM, xss_tables

ROOT = Path(__file__).resolve().parents[1]
PASSWORDS = {"boss": "Admin-pass-2023", "lead": "Leader-pass-2023", "ta": "Team-A-pass-2023", "tb": "Team-B-pass-2023",
             "ta2": "Team-A2-pass-2023"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def chainkg(home: Path, *args: str, stdin: str | None = None) -> str:
    out = subprocess.run([sys.executable, "-m", "cli.main", *args, "--home", str(home)], cwd=ROOT, input=stdin,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def prepare(home: Path, data_folder: Path) -> None:
    """Users boss (管理员), lead (领导), ta and ta2 (甲队), tb (乙队); the xss dataset as current data;
    E2 assigned to 甲队, E4 to 乙队 (with a visit), X1 (the firm named as HTML) to 甲队."""
    from tracking.workspace import open_workspace

    open_workspace(home).replace_data(write_tables(data_folder, xss_tables()))
    chainkg(home, "user", "add", "boss", "--password-stdin", stdin=PASSWORDS["boss"] + "\n")
    for team in ("甲队", "乙队"):
        chainkg(home, "track", "team", team, "--user", "boss")
    for name, role, team in (("lead", "领导", None), ("ta", "小分队", "甲队"), ("ta2", "小分队", "甲队"),
                             ("tb", "小分队", "乙队")):
        chainkg(home, "user", "add", name, "--role", role, *(["--team", team] if team else []), "--password-stdin",
                "--user", "boss", stdin=PASSWORDS[name] + "\n")
    chainkg(home, "track", "assign", "E2", "--team", "甲队", "--priority", "A", "--user", "boss")
    chainkg(home, "track", "assign", "E4", "--team", "乙队", "--priority", "B", "--user", "boss")
    chainkg(home, "track", "assign", "X1", "--team", "甲队", "--user", "boss")
    chainkg(home, "track", "log", "E4", "--stage", "接洽", "--date", "2023-09-05", "--note", "乙队电话沟通",
            "--user", "boss")


@pytest.fixture(scope="module")
def prepared_home(tmp_path_factory) -> Path:
    """A fresh workspace prepared by `prepare` (accounts, data, tracking), one per test module."""
    home = tmp_path_factory.mktemp("ws") / "工作区"
    prepare(home, tmp_path_factory.mktemp("data") / "tables")
    return home


@contextmanager
def running(home: Path, *flags: str) -> Iterator[str]:
    """`chainkg serve --port 0` on `home`; yields its address; stopped (by its pid) afterwards."""
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--home", str(home), "--port", "0", *flags],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        if not line.startswith("http://"):
            proc.kill()
            raise RuntimeError("workbench did not start: " + proc.stderr.read())
        yield line
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class BehindProxy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over the plain loopback hop, as the bureau's HTTPS proxy would."""

    def return_ok_secure(self, cookie, request):
        return True


class Client:
    """A browser-like session: cookies kept, redirects not followed (so a 302 to login is seen)."""

    def __init__(self, base: str, referer: str | None = None):
        self.base, self.referer = base, referer
        self.jar = http.cookiejar.CookieJar(BehindProxy() if referer and referer.startswith("https") else None)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, csrf: bool = True) -> Response:
        body = None
        headers = {"Referer": self.referer or self.base}
        if data is not None:
            data = dict(data)
            if csrf:
                data["csrfmiddlewaretoken"] = self.csrf()
            body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(urllib.parse.urljoin(self.base, path), data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path: str) -> Response:
        return self.request(path)

    def post(self, path: str, data: dict, csrf: bool = True) -> Response:
        return self.request(path, data, csrf)

    def csrf(self) -> str:
        for c in self.jar:
            if c.name == "csrftoken":
                return c.value
        page = self.get("/login/").text
        return TOKEN.search(page).group(1)

    def login(self, user: str, password: str | None = None) -> Response:
        self.get("/login/")
        return self.post("/login/", {"username": user, "password": password or PASSWORDS[user]})

    def cookie(self, name: str):
        return next((c for c in self.jar if c.name == name), None)


__all__ = ["Client", "PASSWORDS", "XSS_FIRM", "chainkg", "prepare", "running"]
