"""`chainkg launch`: start the app on a free loopback port and open it in the browser.

This is what the launchers (启动图谱.bat, 启动图谱.sh) run, as `python -m cli.launch`, so that
every Chinese message is printed by Python (cmd.exe reads a .bat file in the OEM code page).
Today the app is the offline site (`pages.site.write_site`) served by `pages.serve` on
127.0.0.1; the workbench will take its place in `start`.

>>> from cli.launch import parser
>>> parser().parse_args(["--port", "8765", "--no-browser"]).port
8765
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import webbrowser
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

from cli.common import write_site_and_list
from graph import ChainGraph
from loaders import load
from loaders.report import summary_lines
from pages.serve import make_server, url
from queries.analysis import analyse
from queries.settings import load_settings


@dataclass
class Launched:
    """A running app: its server (bound, not yet serving) and the address to open."""
    server: ThreadingHTTPServer
    url: str


def say(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr, flush=True)


def start(folder: str | Path, data: str | Path | None = None, port: int = 0,
          config: str | Path | None = None, region: str | None = None) -> Launched:
    """Write the site for `data` (default: the built-in data) into `folder` and bind a server to it.

    Port 0 picks a free port on 127.0.0.1. Rejected rows are reported on stderr; the site shows
    the rows that loaded. Call `serve_forever()` on the result's server to answer requests.
    """
    tables, report = load(data)
    if report.rejections or report.warnings:
        say(*summary_lines(report, limit=20))
    write_site_and_list(analyse(ChainGraph(tables), load_settings(config), region=region), folder)
    server = make_server(folder, port)
    return Launched(server, url(server))


def launch(data: str | Path | None = None, port: int = 0, open_browser: bool = True,
           config: str | Path | None = None, region: str | None = None) -> int:
    """Start the app, open it in the default browser and serve until Ctrl+C; return an exit status."""
    say("正在准备产业链图谱，请稍候… / preparing the chain maps…")
    with tempfile.TemporaryDirectory(prefix="chainkg_site_") as folder:
        try:
            app = start(folder, data, port, config, region)
        except (OSError, ValueError) as err:
            say(f"无法启动：{err} / cannot start: {err}")
            return 1
        say(f"图谱已启动：{app.url} （只有本机可以访问；关闭此窗口或按 Ctrl+C 即停止）",
            f"chainkg is running at {app.url} (this computer only; close this window or press Ctrl+C to stop)")
        if open_browser and not webbrowser.open(app.url):
            say(f"未能自动打开浏览器，请手动在浏览器中打开 {app.url} / open {app.url} in a browser")
        try:
            app.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            app.server.server_close()
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The launch options, shared by `python -m cli.launch` and `chainkg launch`."""
    p.add_argument("--data", help="数据文件夹、.xlsx 或 .json（默认内置乌海数据） / data folder, .xlsx or .json")
    p.add_argument("--config", help="参数文件（见 queries/settings.toml） / settings file")
    p.add_argument("--region", help="本地区域编号（默认 wuhai） / home region id")
    p.add_argument("--port", type=int, default=0, help="端口（默认自动选一个空闲端口） / port (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器 / do not open a browser")


def run(args: argparse.Namespace) -> None:
    """The sub-command: exit with launch's status."""
    status = launch(args.data, args.port, not args.no_browser, args.config, args.region)
    if status:
        sys.exit(status)


HELP = "启动图谱并在浏览器中打开（启动图谱.bat/.sh 所用） / start the app and open it in the browser"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `chainkg launch` to the CLI's sub-commands."""
    p = subparsers.add_parser("launch", help=HELP, description=HELP)
    add_arguments(p)
    p.set_defaults(func=run)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m cli.launch", description=HELP)
    add_arguments(p)
    return p


if __name__ == "__main__":
    run(parser().parse_args())
