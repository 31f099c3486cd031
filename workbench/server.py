"""Serve the workbench with waitress (pure Python, runs on Windows too).

`configure(home)` sets Django up for the workspace (its database, migrations, secret key);
`make_server(home, host, port)` binds waitress. 127.0.0.1 by default; any other host opens the
workbench to the intranet (the CLI warns). Port 0 picks a free port.
"""
from __future__ import annotations

from pathlib import Path

from tracking.workspace import Workspace, open_workspace

LOOPBACK = "127.0.0.1"


def configure(home: str | Path | None = None, https: bool = False, open_to_intranet: bool = False) -> Workspace:
    """Configure Django for the workbench on the workspace `home` (once per process) and migrate."""
    import django
    from django.conf import settings

    from tracking.db import open_tracking
    from workbench.settings import workbench_settings

    ws = open_workspace(home)
    if not settings.configured:
        settings.configure(**workbench_settings(ws, https=https, open_to_intranet=open_to_intranet),
                           CHAINKG_HOME=str(ws.home))
        django.setup()
    return open_tracking(ws.home)


def wsgi_app(home: str | Path | None = None, https: bool = False, open_to_intranet: bool = False):
    configure(home, https, open_to_intranet)
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def make_server(home: str | Path | None = None, host: str = LOOPBACK, port: int = 0, https: bool = False,
                threads: int = 8):
    """A waitress server for the workbench, bound but not yet serving (call `.run()`)."""
    from waitress import create_server

    app = wsgi_app(home, https, host != LOOPBACK)
    return create_server(app, host=host, port=port, threads=threads, url_scheme="https" if https else "http",
                         ident="chainkg")


def url(server) -> str:
    host, port = server.socket.getsockname()[:2]
    return f"http://{host}:{port}/"
