"""A cache of validated tables, so that a second command on unchanged data skips reading and validation.

The key is a hash of the exact bytes of every file the source consists of, of `salt` (the CLI
passes the settings file's bytes) and of this package's own source code (a version string does
not change while the code is being edited). Any change gives another key, so a stale entry is
never read; only the newest entry per source path is kept. What is cached is what `load()`
returns: the validated tables and the load report (rejections included), so a cached load
reports exactly what the fresh load did. A damaged entry is rebuilt with a warning.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "chains.csv").write_text("chain_id,name_zh\\nc1,甲\\n", encoding="utf-8")
>>> cache = LoadCache(folder / "cache")
>>> first = cache.load(folder)
>>> cache.last_hit, cache.load(folder)[0]["chains"]["name_zh"].tolist(), cache.last_hit
(False, ['甲'], True)
"""
from __future__ import annotations

import functools
import hashlib
import pickle
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.validate import LoadReport
from queries.errors import Notice

PACKAGES = ("loaders", "queries", "graph")  # code whose change can change what a load returns
SUFFIX = ".pickle"


@functools.cache
def code_hash() -> str:
    """A hash of the source of the packages a load runs through, computed once per process."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=16)
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def source_files(source: Path) -> list[Path]:
    """The files a source consists of: a folder's files (not its sub-folders), or the file."""
    return sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else [source]


def content_key(source: Path, salt: bytes = b"") -> str:
    """A hash of every file's name and bytes, the salt and the code."""
    digest = hashlib.sha256()  # computed in hardware on most CPUs: 3x blake2b here, for hundreds of MB
    digest.update(code_hash().encode())
    digest.update(salt)
    for path in source_files(source):
        digest.update(path.name.encode())
        digest.update(path.stat().st_size.to_bytes(8, "little"))
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 22), b""):
                digest.update(block)
    return digest.hexdigest()


SEP = "\x00"  # the loader removes NUL from every cell, so it can join a text column


def _pack(frame: pd.DataFrame) -> dict:
    """A frame as columns; a text column as integer codes and its distinct values joined into one
    string: that pickles and unpickles at memory speed, where a column of a million str objects
    goes one object at a time (and ids, statuses and units repeat across rows)."""
    columns = {}
    for name in frame.columns:
        s = frame[name]
        text = s.dtype == object or pd.api.types.is_string_dtype(s)
        codes, distinct = pd.factorize(s.to_numpy(dtype=object)) if text and len(s) else (None, None)
        if codes is not None and (codes >= 0).all() and all(map(str.__instancecheck__, distinct)) \
                and not any(SEP in v for v in distinct):
            columns[name] = ("text", str(s.dtype), codes.astype(np.int32), SEP.join(distinct))
        else:
            columns[name] = ("series", s)
    return {"columns": columns, "length": len(frame), "attrs": dict(frame.attrs)}


def _unpack(packed: dict) -> pd.DataFrame:
    data = {}
    for name, (kind, *rest) in packed["columns"].items():
        if kind == "text":
            dtype, codes, joined = rest
            distinct = np.array(joined.split(SEP), dtype=object)
            data[name] = pd.Series(pd.array(distinct, dtype=dtype).take(codes)) if dtype != "object" \
                else pd.Series(distinct.take(codes), dtype=object)
        else:
            data[name] = rest[0].reset_index(drop=True)
    frame = pd.DataFrame(data, index=pd.RangeIndex(packed["length"]))
    frame.attrs.update(packed["attrs"])
    return frame


class LoadCache:
    """Validated tables of sources, in a folder (the workspace's `cache/`)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.last_hit = False  # whether the last `load` was served from the cache
        self.notices: list[Notice] = []  # problems of the cache itself (the load report is the data's)

    def _entry(self, source: Path, key: str) -> Path:
        place = hashlib.blake2b(str(source.resolve()).encode(), digest_size=8).hexdigest()
        return self.folder / f"{place}-{key}{SUFFIX}"

    def load(self, source: str | Path, salt: bytes = b"") -> tuple[dict[str, pd.DataFrame], LoadReport]:
        """`loaders.load(source)`, from the cache when the source, salt and code are unchanged."""
        from loaders import load

        source = Path(source)
        if not source.exists():
            return load(source)  # the loader's own error for a missing path
        entry = self._entry(source, content_key(source, salt))
        found = self._read(entry)
        self.last_hit = found is not None
        if found is not None:
            return found
        result = load(source)
        self._write(entry, result)
        return result

    def _read(self, entry: Path) -> tuple[dict[str, pd.DataFrame], LoadReport] | None:
        if not entry.exists():
            return None
        try:
            with entry.open("rb") as fh:
                packed, report = pickle.load(fh)
            if not isinstance(report, LoadReport) or not isinstance(packed, dict):
                raise TypeError("unexpected content")
            return {name: _unpack(frame) for name, frame in packed.items()}, report
        except Exception as err:  # any damage (truncated, foreign, old pandas): rebuild
            self.notices.append(Notice("cache-damaged", f"缓存已损坏（{type(err).__name__}），已重新载入",
                                       f"damaged cache entry ({type(err).__name__}) rebuilt", file=str(entry)))
            entry.unlink(missing_ok=True)
            return None

    def _write(self, entry: Path, result: tuple[dict[str, pd.DataFrame], LoadReport]) -> None:
        """Write atomically, then drop older entries of the same source."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = entry.with_suffix(".partial")
            with partial.open("wb") as fh:
                tables, report = result
                pickle.dump(({name: _pack(f) for name, f in tables.items()}, report), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(entry)
        except OSError as err:  # a read-only or full disk: the answer does not need the cache
            self.notices.append(Notice("cache-unwritable", f"无法写入缓存（{err}）", f"cannot write the cache ({err})",
                                       file=str(self.folder)))
            return
        place = entry.name.split("-", 1)[0]
        for old in self.folder.glob(f"{place}-*{SUFFIX}"):
            if old != entry:
                old.unlink(missing_ok=True)

    def clear(self) -> int:
        """Delete every entry; return how many were deleted."""
        entries = list(self.folder.glob(f"*{SUFFIX}")) if self.folder.exists() else []
        for entry in entries:
            entry.unlink(missing_ok=True)
        return len(entries)
