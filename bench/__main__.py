"""`python -m bench [--sizes 10k,100k,1m] [--quick]`: time every stage at each size.

For each size the dataset is generated (or taken from the cache), then a fresh subprocess runs
the stages (`bench.child`) and reports wall time and peak memory after each. Another runs the
DuckDB SQL peer on the same files (`bench.peer`, when duckdb is installed: `pip install -e
".[bench]"`), whose answers must equal the library's; then end-to-end runs, each in a fresh
process (`bench.e2e`): chainkg cold, chainkg warm (load cache) and the peer, CSV to answer.
Printed: a table per size, the speed-up of the library over the per-row baseline, the ratios
chainkg / peer, the growth of each stage's time between sizes, and the issue's targets at 1m.
`--skip peer,e2e` leaves those parts out.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import report
from bench.datasets import SIZES, cache_root, dataset, parse_sizes
from bench.e2e import timed

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    return {**os.environ, "TQDM_DISABLE": "1", "PYTHONPATH": str(ROOT)}


def run_child(module: str, args: list[str], rows: int, stages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Run a stage-timing child (`bench.child`, `bench.peer`), printing each stage as it ends;
    returns its other records (agreement, the peer's version and threads)."""
    proc = subprocess.Popen([sys.executable, "-m", module, *args], cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                            text=True)
    other: dict[str, Any] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        rec = json.loads(line)
        if "stage" not in rec:
            other.update(rec)
            continue
        stages[rec["stage"]] = rec
        print(report.stage_line(rec["stage"], rec, rows), flush=True)
    if proc.wait() and module == "bench.peer":
        stages.setdefault("peer.query", {"error": f"bench.peer exited with {proc.returncode}"})
    return other


def compare(tmp: Path) -> dict[str, bool]:
    """Whether the peer's answers equal the library's and the baseline's (files written by the children)."""
    try:
        ours = json.loads((tmp / "chainkg.json").read_text(encoding="utf-8"))
        theirs = json.loads((tmp / "peer.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for who, prefix in (("library", "peer"), ("baseline", "peer~baseline")):
        for q in ("gaps", "targets"):
            if who in ours:
                out[f"{prefix}.{q}"] = ours[who][q] == theirs[q]
    return out


def end_to_end(folder: Path, tmp: Path) -> dict[str, dict[str, Any]]:
    """Fresh processes, CSV to answer: chainkg cold, the peer, chainkg filling the load cache and
    then hitting it, the peer again. The peer's figure is the faster of its two runs."""
    runs = {}
    runs["chainkg"] = timed("chainkg", folder)
    runs["peer.1"] = timed("peer", folder)
    runs["fill"] = timed("warm", folder, tmp / "cache")
    runs["warm"] = timed("warm", folder, tmp / "cache")
    runs["peer.2"] = timed("peer", folder)
    peers = [r for r in (runs["peer.1"], runs["peer.2"]) if "wall" in r]
    if peers:
        runs["peer"] = min(peers, key=lambda r: r["wall"])
    for name, rec in runs.items():
        if not name.startswith("peer."):
            print(report.e2e_line(name, rec), flush=True)
    return runs


def run_size(label: str, seed: int, root: Path, skip: str) -> dict[str, Any]:
    folder, counts, generated = dataset(label, seed, root)
    rows = sum(counts.values())
    skipped = set(skip.split(","))
    print(report.header(label, SIZES[label], counts, generated), flush=True)
    stages: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="chainkg-bench-", dir=root) as name:
        tmp = Path(name)
        agree = run_child("bench.child", [str(folder), skip, str(tmp / "chainkg.json")], rows, stages).get("agree", {})
        peer: dict[str, Any] = {}
        if "peer" not in skipped and importlib.util.find_spec("duckdb") is None:
            print("peer: skipped, duckdb is not installed (pip install -e \".[bench]\")")
        elif "peer" not in skipped:
            peer = run_child("bench.peer", [str(folder), str(tmp / "peer.json")], rows, stages)
            agree |= compare(tmp)
        e2e = end_to_end(folder, tmp) if peer and "e2e" not in skipped else {}
    for line in report.summary_lines(stages, rows, agree) + report.peer_lines(stages, peer, e2e, agree):
        print(line)
    print(f"machine load (1/5/15 min) after this size: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs: other work on the machine slows every stage")
    return {"firms": SIZES[label], "rows": rows, "stages": stages, "agree": agree, "peer": peer, "e2e": e2e}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(SIZES), help="comma-separated, from 10k,100k,1m (default: all)")
    ap.add_argument("--quick", action="store_true", help="10k only")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", help="folder for generated datasets (default: $CHAINKG_BENCH_CACHE or temp)")
    ap.add_argument("--skip", default="", help="comma-separated stages to skip, e.g. graph")
    args = ap.parse_args(argv)
    labels = ["10k"] if args.quick else parse_sizes(args.sizes)
    root = cache_root(args.cache)
    print(f"chainkg benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, cache {root}\n"
          "rows/s = rows of the whole dataset / stage seconds; peak MB = peak RSS of the size's process so far\n"
          f"machine load (1/5/15 min) at start: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    results = {label: run_size(label, args.seed, root, args.skip) for label in labels}
    for line in report.growth_lines(results) + report.target_lines(results):
        print(line)
    failed = [f"{label}:{n}" for label, r in results.items() for n, s in r["stages"].items() if "error" in s]
    failed += [f"{label}:e2e.{n}" for label, r in results.items() for n, e in r["e2e"].items() if "error" in e]
    differ = [f"{label}:{q}" for label, r in results.items() for q, ok in r["agree"].items() if not ok]
    differ += [f"{label}:e2e" for label, r in results.items()
               if len({e["digest"] for e in r["e2e"].values() if "digest" in e}) > 1]
    if failed or differ:
        print(f"\nfailed stages: {failed or 'none'}; answers differing (baseline, peer, end-to-end runs): "
              f"{differ or 'none'}")
    return 1 if failed or differ else 0


if __name__ == "__main__":
    sys.exit(main())
