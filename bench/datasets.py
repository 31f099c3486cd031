"""Benchmark sizes and the cache of generated datasets.

A dataset is generated once per (size, seed, generator source) and kept under the cache folder
(default: the system temp folder, or $CHAINKG_BENCH_CACHE); `counts.json` is written last, so a
folder without it is an interrupted generation and is generated again.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from loaders.generate import default_products

SIZES: dict[str, int] = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
CHAINS = 8


def parse_sizes(text: str) -> list[str]:
    """'10k,1m' -> ['10k', '1m'], in the order given.

    >>> parse_sizes("10K, 1m")
    ['10k', '1m']
    """
    labels = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        raise ValueError(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    return labels


def fingerprint() -> str:
    """Short hash of the generator's source (`loaders/generate/*.py` and the table specs): a changed
    generator gets fresh datasets."""
    import loaders

    root = Path(loaders.__file__).parent
    h = hashlib.sha1()
    for path in [*sorted((root / "generate").glob("*.py")), root / "tables.py"]:
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


def cache_root(given: str | None = None) -> Path:
    return Path(given or os.environ.get("CHAINKG_BENCH_CACHE") or Path(tempfile.gettempdir()) / "chainkg-bench")


def dataset(label: str, seed: int, root: Path) -> tuple[Path, dict[str, int], float | None]:
    """The folder of a size's dataset, its row counts, and the generation time if generated now."""
    from loaders.generate import generate

    firms = SIZES[label]
    folder = root / f"{label}-p{default_products(firms)}-c{CHAINS}-s{seed}-{fingerprint()}"
    marker = folder / "counts.json"
    if marker.exists():
        return folder, json.loads(marker.read_text()), None
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    counts = generate(folder, firms=firms, chains=CHAINS, seed=seed)
    seconds = time.perf_counter() - start
    marker.write_text(json.dumps(counts))
    return folder, counts, seconds
