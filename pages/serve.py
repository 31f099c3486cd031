"""Serve a written site to this machine only (127.0.0.1), for browsers that block file:// pages."""
from __future__ import annotations

import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with an explicit XLSX type and no content sniffing."""
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - name from the base class
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def make_server(directory: str | Path, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """An HTTP server for `directory` bound to 127.0.0.1 (port 0 picks a free port)."""
    handler = partial(SiteHandler, directory=str(directory))
    return ThreadingHTTPServer((HOST, port), handler)


def url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"
