"""The workspace's current data for the workbench: the analysis (cached per snapshot), the firm
index the tracking layer checks against, the written site, and uploads (validated, then added to
or replacing the current data; the previous snapshot is kept).

>>> import tempfile
>>> from tracking.workspace import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp())
>>> snapshot_label(ws)
'内置数据 / built-in data'
"""
from __future__ import annotations

import shutil
import threading
import uuid
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cli.common import write_site_and_list
from graph import ChainGraph
from loaders import load
from loaders.export import write_tables
from loaders.report import write_rejected
from loaders.tables import TABLES
from loaders.validate import LoadReport
from queries.analysis import Analysis, analyse
from queries.errors import ChainkgError
from queries.settings import load_settings
from tracking.workspace import Workspace

UPLOADS = "uploads"
ACCEPTED = (".xlsx", ".zip", ".json", ".csv", ".xls", ".ods")
_site_lock = threading.Lock()


class UploadError(ValueError):
    """A file the workbench cannot read as tables (bilingual message)."""


def snapshot_label(ws: Workspace) -> str:
    current = ws.current_data()
    return f"数据快照 {ws.snapshots()[-1].name} / snapshot" if current else "内置数据 / built-in data"


def _key(ws: Workspace) -> str:
    """Identifies the current data: the snapshot folder (a new upload makes a new one)."""
    current = ws.current_data()
    return str(current) if current else ""


@lru_cache(maxsize=4)
def _analysis(source: str) -> tuple[ChainGraph, Analysis]:
    tables, _ = load(source or None)
    cg = ChainGraph(tables)
    return cg, analyse(cg, load_settings())


def current(ws: Workspace) -> tuple[ChainGraph, Analysis]:
    """The graph and analysis of the workspace's current snapshot, else of the built-in data."""
    return _analysis(_key(ws))


def site_folder(ws: Workspace) -> Path:
    """The offline site of the current data, written into the workspace cache once per snapshot."""
    key = _key(ws)
    name = Path(key).name if key else "builtin"
    folder = ws.cache_dir / "site" / name
    with _site_lock:
        if not (folder / "index.html").exists():
            tmp = folder.with_name(name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            write_site_and_list(current(ws)[1], tmp)
            shutil.rmtree(folder, ignore_errors=True)
            tmp.rename(folder)
    return folder


@dataclass(frozen=True)
class Upload:
    """A validated upload waiting for the planner's choice (add or replace)."""

    token: str
    source: Path  # what `loaders.load` reads: a folder, an .xlsx or a .json
    report: LoadReport

    def rejected_file(self) -> Path | None:
        return write_rejected(self.report, self.source.parent / "rejected.xlsx")  # None when nothing to fix


def _upload_dir(ws: Workspace, token: str) -> Path:
    if not token.isalnum():
        raise UploadError("上传编号无效 / bad upload id")
    return ws.cache_dir / UPLOADS / token


def receive(ws: Workspace, name: str, chunks) -> Upload:
    """Store an uploaded file (an .xlsx, a .json, one .csv or a .zip of a CSV folder) and validate it."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise UploadError(f"只接受 .xlsx、.xls、.ods、.zip（CSV 文件夹）、.json 或 .csv 文件，收到“{name}” / "
                          f"only .xlsx, .xls, .ods, .zip (a CSV folder), .json or .csv files, got '{name}'")
    token = uuid.uuid4().hex
    folder = _upload_dir(ws, token)
    folder.mkdir(parents=True)
    raw = folder / ("upload" + suffix)
    with raw.open("wb") as f:
        for chunk in chunks:
            f.write(chunk)
    if suffix == ".zip":
        source = folder / "tables"
        try:
            with zipfile.ZipFile(raw) as z:
                for member in z.infolist():
                    if member.is_dir() or not member.filename.lower().endswith((".csv", ".json")):
                        continue
                    # flatten: only the file name, so no member can write outside the folder
                    target = source / Path(member.filename.replace("\\", "/")).name
                    source.mkdir(exist_ok=True)
                    target.write_bytes(z.read(member))
        except zipfile.BadZipFile:
            raise UploadError("zip 文件已损坏或不是 zip / the zip file is damaged or not a zip") from None
        if not source.exists():
            raise UploadError("zip 中没有 CSV 或 JSON 文件 / the zip holds no CSV or JSON file")
    elif suffix == ".csv":
        source = folder / "tables"
        source.mkdir()
        raw.rename(source / Path(name).name)
    else:
        source = raw
    return Upload(token, source, _validate(source))


def _validate(source: Path) -> LoadReport:
    try:
        return load(source)[1]
    except ChainkgError as e:  # a file the loader refuses as a whole: its own bilingual line
        raise UploadError(e.line()) from None
    except (ValueError, KeyError, OSError) as e:
        raise UploadError(f"无法读取上传的文件：{e} / cannot read the upload: {e}") from None


def pending(ws: Workspace, token: str) -> Upload:
    folder = _upload_dir(ws, token)
    for candidate in (folder / "tables", folder / "upload.xlsx", folder / "upload.json"):
        if candidate.exists():
            return Upload(token, candidate, _validate(candidate))
    raise UploadError("找不到这次上传，请重新上传 / upload not found, upload again")


def merged_tables(base: dict[str, pd.DataFrame], extra: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table of `base` with the rows of `extra` added; a row of `extra` with the key of a row in
    `base` takes its place (the upload is the newer word).

    >>> a = {t.name: pd.DataFrame(columns=list(t.key)) for t in TABLES}
    >>> b = dict(a, chains=pd.DataFrame({"chain_id": ["x", "y"]}))
    >>> a["chains"] = pd.DataFrame({"chain_id": ["y", "z"]})
    >>> sorted(merged_tables(a, b)["chains"]["chain_id"])
    ['x', 'y', 'z']
    """
    out = {}
    for t in TABLES:
        frames = [f for f in (base.get(t.name), extra.get(t.name)) if f is not None and len(f)]
        if not frames:
            out[t.name] = base.get(t.name, extra.get(t.name))
            continue
        both = pd.concat(frames, ignore_index=True)
        out[t.name] = both.drop_duplicates(subset=list(t.key), keep="last").reset_index(drop=True)
    return out


def accept(ws: Workspace, upload: Upload, replace: bool) -> Path:
    """Make the upload's good rows the current data: on their own (`replace`) or added to the current
    data. A new snapshot either way; the previous one is kept."""
    if replace:
        return ws.replace_data(upload.source)
    base, _ = load(ws.current_data())
    extra, _ = load(upload.source)
    folder = upload.source.parent / "merged"
    write_tables(merged_tables(base, extra), folder)
    return ws.replace_data(folder)


def template_workbook(ws: Workspace, folder: Path) -> Path:
    """The current data as one workbook of the templates' sheets (loads again with `--data`)."""
    tables, _ = load(ws.current_data())
    return write_tables(tables, folder / "当前数据.xlsx")
