"""`python -m bench.site_weight [--sizes 100k,1m,national] [--against DIR]`: site seconds and page weight.

For each dataset (the cached `bench` sizes, and `national`: a generated dataset shaped like a
national knowledge graph, 31 chains, 44,000 products, one in ten in FEEDS, 200,000 firms) a fresh
subprocess per checkout writes the site (`bench/page_child.py`): this checkout, and with
`--against` another one (e.g. `git archive 289a0b5 | tar -x -C /tmp/old`) measured in the same run.
Printed per dataset and checkout: load+analyse and site seconds (wall clock, and the site's CPU
seconds: steadier on a shared machine), site seconds per thousand
(products + gaps + targets), the whole site, the index, the largest chain page (with its own data
script) and the files the pages share, and peak memory; then the site by part (MB) and, against
LIMITS (issue 14), the built-in chain pages, the national largest chain page and the national site.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.datasets import SIZES, cache_root, dataset, fingerprint

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = {"firms": 200_000, "products": 44_000, "chains": 31, "flows": 0.1}
LIMITS = {"builtin chain page": 300_000, "national largest chain page": 3_000_000, "national site": 25_000_000}


def national(root: Path, seed: int) -> Path:
    from loaders.generate import generate

    folder = root / f"national-p{NATIONAL['products']}-c{NATIONAL['chains']}-s{seed}-{fingerprint()}"
    marker = folder / "counts.json"
    if not marker.exists():
        start = time.perf_counter()
        counts = generate(folder, seed=seed, **NATIONAL)
        print(f"generated national-shaped data in {time.perf_counter() - start:.1f} s: {counts}", flush=True)
        marker.write_text(json.dumps(counts))
    return folder


def measure(checkout: Path, data: Path | None) -> dict:
    env = {**os.environ, "TQDM_DISABLE": "1", "PYTHONPATH": str(checkout)}
    args = [sys.executable, str(ROOT / "bench" / "page_child.py"), str(data) if data else ""]
    done = subprocess.run(args, cwd=checkout, env=env, capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def line(label: str, r: dict) -> str:
    if "error" in r:
        return f"{label:<10} failed: {r['error']}"
    work = r["products"] + r["gaps"] + r["targets"]
    cpu = f"{r['site_cpu_s']:>8.1f}" if "site_cpu_s" in r else f"{'':>8}"
    return (f"{label:<10}{r['load_analyse_s']:>9.1f}{r['site_s']:>8.1f}{cpu}{1000 * r['site_s'] / work:>10.3f}"
            f"{r['site_bytes'] / 1e6:>9.1f}{r['index_bytes'] / 1e6:>9.1f}{r['largest_chain_page'] / 1e6:>10.2f}"
            f"{r['shared_bytes'] / 1e6:>8.2f}{r['peak_mb']:>8}")


def limits(label: str, r: dict) -> list[str]:
    """The issue's page-weight limits that apply to this dataset, each with the measured value."""
    def verdict(name: str, value: int) -> str:
        return f"{name}: {value / 1e6:.3f} MB, limit {LIMITS[name] / 1e6:.1f} MB: {'ok' if value <= LIMITS[name] else 'OVER'}"

    if label == "builtin":
        return [verdict("builtin chain page", r["largest_chain_page"]) +
                f" (all: {', '.join(f'{s / 1e3:.0f}' for s in r.get('chain_page_sizes', []))} kB)"]
    if label == "national":
        return [verdict("national largest chain page", r["largest_chain_page"]), verdict("national site", r["site_bytes"])]
    return []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.site_weight", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="builtin,100k,national", help="from builtin, 10k, 100k, 1m, national")
    ap.add_argument("--against", help="another checkout to measure in the same run (today's code)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", help="folder for generated datasets")
    args = ap.parse_args(argv)
    root = cache_root(args.cache)
    checkouts = [("this", ROOT)] + ([("against", Path(args.against).resolve())] if args.against else [])
    print(f"{'checkout':<10}{'load+an s':>9}{'site s':>8}{'cpu s':>8}{'s/1k work':>10}{'site MB':>9}{'index MB':>9}"
          f"{'chain MB':>10}{'lib MB':>8}{'peak MB':>8}")
    for label in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        if label == "builtin":
            data = None
        elif label == "national":
            data = national(root, args.seed)
        else:
            data = dataset(label, args.seed, root)[0] if label in SIZES else None
            if data is None:
                raise SystemExit(f"unknown size {label}")
        print(f"-- {label} ({data or 'built-in Wuhai data'})", flush=True)
        for name, checkout in checkouts:
            r = measure(checkout, data)
            print(line(name, r), flush=True)
            if "error" not in r:
                print(f"{'':<10}products {r['products']:,}, gaps {r['gaps']:,}, targets {r['targets']:,}; "
                      f"{r['chain_pages']} chain pages, median {r['median_chain_page'] / 1e3:.0f} kB", flush=True)
                if "parts" in r:
                    print(f"{'':<10}MB by part: " + ", ".join(f"{k} {v / 1e6:.2f}" for k, v in r["parts"].items()))
                for check in limits(label, r):
                    print(f"{'':<10}{check}", flush=True)
    print("(chain MB: the largest chain page with its own data script; lib MB: files every page shares)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
