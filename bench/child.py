"""Run every stage on one generated dataset in this process; print one JSON line per stage.

Run by `python -m bench` in a fresh subprocess per size, so that the peak resident memory
(`ru_maxrss`, read after each stage) belongs to that size alone. Peak memory is cumulative: the
value after a stage is the most this process has held so far.

`python -m bench.child FOLDER [SKIP [ANSWERS.json]]`: with ANSWERS, the library's and the
baseline's answers are written there (`bench.stages.answers`), for comparing with the SQL peer.
"""
from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")  # no progress bars in the figures
IMPORTS = ("pandas", "networkx", "openpyxl", "loaders", "graph", "queries.coverage", "queries.gaps",
           "queries.targets", "queries.analysis", "reports.target_list", "pages.site", "bench.baseline")


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def main(argv: list[str]) -> int:
    from bench.stages import STAGES, agreement, answers, has

    data, skip = Path(argv[0]), set(argv[1].split(",")) if len(argv) > 1 and argv[1] else set()
    start = time.perf_counter()
    for module in IMPORTS:  # imports are timed apart, so that the first stage measures work only
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    emit({"stage": "imports", "seconds": time.perf_counter() - start, "peak_mb": peak_mb()})
    ctx = {"data": data}
    for stage in STAGES:
        if stage.name in skip or (stage.needs and not has(*stage.needs)):
            emit({"stage": stage.name, "skipped": "--skip" if stage.name in skip else "not on this revision"})
            continue
        try:
            if stage.prepare:
                stage.prepare(ctx)
            start = time.perf_counter()
            stage.run(ctx)
        except Exception as exc:  # report and stop: later stages need this one
            emit({"stage": stage.name, "error": f"{type(exc).__name__}: {exc}"})
            traceback.print_exc()
            return 1
        emit({"stage": stage.name, "seconds": time.perf_counter() - start, "peak_mb": peak_mb()})
    emit({"agree": agreement(ctx)})
    if len(argv) > 2:
        Path(argv[2]).write_text(json.dumps(answers(ctx), ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
