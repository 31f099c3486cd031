"""`python -m bench [--sizes 10k,100k,1m] [--quick]`: time every stage at each size.

For each size the dataset is generated (or taken from the cache), then a fresh subprocess runs
the stages (`bench.child`) and reports wall time and peak memory after each. Printed: a table per
size, the speed-up of the library over the per-row baseline, the growth of each stage's time
between sizes, and the issue's targets at 1m firms.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import report
from bench.datasets import SIZES, cache_root, dataset, parse_sizes

ROOT = Path(__file__).resolve().parents[1]


def run_size(label: str, seed: int, root: Path, skip: str) -> dict[str, Any]:
    folder, counts, generated = dataset(label, seed, root)
    rows = sum(counts.values())
    print(report.header(label, SIZES[label], counts, generated), flush=True)
    env = {**os.environ, "TQDM_DISABLE": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "bench.child", str(folder), skip], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    stages: dict[str, dict[str, Any]] = {}
    agree: dict[str, bool] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        rec = json.loads(line)
        if "agree" in rec:
            agree = rec["agree"]
            continue
        stages[rec["stage"]] = rec
        print(report.stage_line(rec["stage"], rec, rows), flush=True)
    proc.wait()
    for line in report.summary_lines(stages, rows, agree):
        print(line)
    print(f"machine load (1/5/15 min) after this size: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs: other work on the machine slows every stage")
    return {"firms": SIZES[label], "rows": rows, "stages": stages, "agree": agree}


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
    differ = [f"{label}:{q}" for label, r in results.items() for q, ok in r["agree"].items() if not ok]
    if failed or differ:
        print(f"\nfailed stages: {failed or 'none'}; answers differing from the baseline: {differ or 'none'}")
    return 1 if failed or differ else 0


if __name__ == "__main__":
    sys.exit(main())
