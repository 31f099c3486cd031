"""45 teams logging visits at once on the workbench: `python -m bench.workbench_load [--seconds 60]`.

A fresh workspace gets 45 teams, one user and one assignment each (built-in data); a real server
(`chainkg serve`, waitress, loopback) is started; one thread per team signs in and posts visits
(each with its own note) for a bounded time, reading its call list after each. Prints events
sent, events written (from the database), lock errors, and the p95 page time.
"""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

TEAMS = 45


def prepare(home: Path) -> list[tuple[str, str]]:
    """Teams 队01…队45, users u01…u45 (password pw-team-NN-2023), one assignment each; (user, key)."""
    from graph import ChainGraph
    from loaders import load

    from tracking.db import open_tracking

    open_tracking(home)
    from tracking.accounts import add_user, first_admin
    from tracking.firms import FirmIndex
    from tracking.outreach import assign
    from tracking.people import add_team

    admin = first_admin("admin", "bench-admin-2023")
    tables, _ = load()
    index = FirmIndex.from_tables(ChainGraph(tables).tables)
    firms = list(index.by_id)[:TEAMS]
    out = []
    for n, firm in zip(range(1, TEAMS + 1), firms):
        add_team(admin, f"队{n:02d}")
        add_user(admin, f"u{n:02d}", f"pw-team-{n:02d}-2023", "小分队", f"队{n:02d}")
        a, _ = assign(admin, firm, index, team=f"队{n:02d}")
        out.append((f"u{n:02d}", a.key))
    return out


def worker(base: str, user: str, key: str, n: int, until: float, sent: list, times: list, errors: list) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from workbench_fixtures import Client

    c = Client(base)
    c.login(user, f"pw-team-{n:02d}-2023")
    i = 0
    while time.monotonic() < until:
        i += 1
        t = time.perf_counter()
        r = c.post("/log/", {"key": key, "stage": "接洽", "date": "2023-09-05", "note": f"{user} 第{i}次"})
        times.append(time.perf_counter() - t)
        if r.status == 302:
            sent.append(1)
        else:
            errors.append(f"{r.status} {'locked' if 'locked' in r.text else ''}")
        t = time.perf_counter()
        c.get("/calls/")
        times.append(time.perf_counter() - t)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.workbench_load")
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from workbench_fixtures import running

    home = Path(tempfile.mkdtemp(prefix="chainkg_load_"))
    users = prepare(home)
    with running(home, "--threads", "16") as base:
        sent, times, errors = [], [], []
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=worker, args=(base, u, k, n, until, sent, times, errors))
                   for n, (u, k) in enumerate(users, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    with sqlite3.connect(home / "tracking.sqlite3") as db:
        written = db.execute("select count(*) from tracking_event").fetchone()[0]
    log = (home / "logs" / "workbench.log")
    locked = log.read_text(encoding="utf-8").count("database is locked") if log.exists() else 0
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else float("nan")
    print(f"teams {TEAMS}  seconds {args.seconds:g}  events sent {len(sent)}  written {written}  "
          f"refused {len(errors)}  'database is locked' {locked}  pages {len(times)}  p95 {p95 * 1000:.0f} ms")
    if written != len(sent) or locked or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
