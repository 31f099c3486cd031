"""One end-to-end run, CSV to answer, in a fresh process: what a planner's command costs.

`python -m bench.e2e MODE FOLDER [CACHE]`, MODE one of:

- `chainkg`: `loaders.load`, then `analyse` on the graph (cold: nothing cached);
- `warm`: the same through the load cache, `loaders.cache.LoadCache(CACHE).load(FOLDER)` (the
  second command on unchanged data is served from the cache; the first one fills it);
- `peer`: the DuckDB peer, `bench.peer` load and answer.

Prints one JSON line: seconds inside the process (imports included), whether the cache was hit,
and a digest of the answers (gaps and ranked targets as `bench.stages.answers` lists them), so
that `python -m bench` can check every run gave the same answer. `python -m bench` times the
whole process from the outside (interpreter start included) with `timed`.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

START = time.perf_counter()
MODES = ("chainkg", "warm", "peer")


def digest(found: dict[str, list]) -> str:
    """A short hash of the answers (gaps and targets as plain lists)."""
    return hashlib.sha1(json.dumps(found, ensure_ascii=False).encode()).hexdigest()[:16]


def run(mode: str, folder: Path, cache: Path | None = None) -> dict[str, Any]:
    hit = None
    if mode == "peer":
        from bench import peer
        from queries.settings import load_settings

        con = peer.connect()
        peer.load(con, folder)
        gaps, targets = peer.answer(con, load_settings())
        found = {"gaps": gaps, "targets": targets}
    else:
        from bench.stages import answers
        from graph import ChainGraph
        from queries.analysis import analyse

        if mode == "warm":
            from loaders.cache import LoadCache

            store = LoadCache(cache)
            tables, _ = store.load(folder)
            hit = store.last_hit
        else:
            from loaders import load

            tables, _ = load(folder)
        found = answers({"analysis": analyse(ChainGraph(tables))})["library"]
    return {"mode": mode, "seconds": time.perf_counter() - START, "hit": hit,
            "digest": digest(json.loads(json.dumps(found, ensure_ascii=False)))}


def timed(mode: str, folder: Path, cache: Path | None = None) -> dict[str, Any]:
    """Run one mode in a fresh process; its record plus `wall`, the seconds from spawn to exit."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "TQDM_DISABLE": "1", "PYTHONPATH": str(root)}
    args = [sys.executable, "-m", "bench.e2e", mode, str(folder)] + ([str(cache)] if cache else [])
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        return {"mode": mode, "error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "wall": wall}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in MODES:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(run(argv[0], Path(argv[1]), Path(argv[2]) if len(argv) > 2 else None)), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TQDM_DISABLE", "1")
    sys.exit(main(sys.argv[1:]))
