"""Back up a workspace (its tracking database and data snapshots) to one .zip, and restore it.

The database is copied with SQLite's online backup API, so a workbench serving the workspace
meanwhile (WAL mode) does not spoil the copy: the copy is one consistent state, including what is
still in the WAL file. The zip holds ``manifest.json`` (time, chainkg version, every file with its
size and sha256), ``tracking.sqlite3`` and ``data/NNNN/...``; the workspace's secret key, caches
and logs are left out (a restored workspace makes a new key: everyone signs in again).

`restore` checks the whole zip against its manifest before touching anything, and never
overwrites: the workspace's current database and data move to a dated folder inside it.

>>> import tempfile, pathlib
>>> from tracking.workspace import open_workspace
>>> ws = open_workspace(pathlib.Path(tempfile.mkdtemp()) / "工作区")
>>> (ws.data_dir / "0001").mkdir(); _ = (ws.data_dir / "0001" / "firms.csv").write_text("id\\n")
>>> made = backup(ws.home, ws.home.parent / "备份.zip")
>>> [f.path for f in made.files]
['data/0001/firms.csv']
>>> done = restore(made.path, ws.home)
>>> done.files, done.moved_aside.name.startswith("before-restore-")
(1, True)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import sys
import tempfile
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from tracking.errors import TrackingError
from tracking.workspace import DATABASE, open_workspace

MANIFEST = "manifest.json"
FORMAT = "chainkg-workspace-backup"
FORMAT_VERSION = 1
ASIDE_PREFIX = "before-restore-"


class BackupError(TrackingError):
    """A zip that is damaged, not a chainkg backup, or does not match its manifest."""

    code = "bad-backup"


@dataclass(frozen=True)
class BackupFile:
    path: str  # inside the zip and the workspace, with "/"
    size: int
    sha256: str


@dataclass(frozen=True)
class Backup:
    path: Path
    created: str
    chainkg_version: str
    files: list[BackupFile] = field(default_factory=list)

    def to_json(self) -> dict:
        return {**asdict(self), "path": str(self.path)}


@dataclass(frozen=True)
class Restored:
    home: Path
    moved_aside: Path | None  # where the previous database and data went (None: there was nothing)
    files: int
    created: str  # when the backup was made

    def to_json(self) -> dict:
        return {**asdict(self), "home": str(self.home),
                "moved_aside": str(self.moved_aside) if self.moved_aside else None}


def _chainkg_version() -> str:
    try:
        return version("chainkg")
    except PackageNotFoundError:
        return "unknown"


def _digest(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest(), path.stat().st_size


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API, WAL content included)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup(home: str | Path | None, out: str | Path) -> Backup:
    """Write the workspace's database and data snapshots, with a manifest, to the zip `out`.

    The zip is written beside `out` first and renamed when complete, so a failed backup never
    leaves a half-written file under the requested name.
    """
    ws = open_workspace(home)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chainkg_backup_") as tmp:
        sources: list[tuple[str, Path]] = []
        if ws.database.exists():
            copy = Path(tmp) / DATABASE
            _copy_database(ws.database, copy)
            sources.append((DATABASE, copy))
        for snapshot in ws.snapshots():
            sources += [(p.relative_to(ws.home).as_posix(), p) for p in sorted(snapshot.rglob("*")) if p.is_file()]
        files = []
        for name, path in sources:
            sha, size = _digest(path)
            files.append(BackupFile(name, size, sha))
        made = Backup(out.resolve(), dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                      _chainkg_version(), files)
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created": made.created,
                    "chainkg_version": made.chainkg_version, "files": [asdict(f) for f in files]}
        part = out.with_name(out.name + ".part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, path in sources:
                z.write(path, name)
        part.replace(out)
    return made


def _refuse(archive: Path, zh: str, en: str) -> BackupError:
    return BackupError(f"无法恢复 {archive.name}：{zh}", f"cannot restore {archive.name}: {en}",
                       field="archive", value=str(archive))


def _safe(name: str) -> bool:
    """A workspace path a backup may hold: the database, or a file under data/ (no '..', not absolute)."""
    p = PurePosixPath(name)
    return (name == DATABASE or (len(p.parts) >= 3 and p.parts[0] == "data" and p.parts[1].isdigit())) \
        and not p.is_absolute() and ".." not in p.parts and "\\" not in name and ":" not in name


def _check(archive: Path, z: zipfile.ZipFile) -> tuple[dict, list[BackupFile]]:
    """The manifest and its files, after every entry's size, sha256 and CRC have been checked."""
    try:
        manifest = json.loads(z.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise _refuse(archive, "缺少 manifest.json，不是 chainkg 工作区备份", "no manifest.json: not a chainkg backup")
    except ValueError:
        raise _refuse(archive, "manifest.json 无法读取", "manifest.json is unreadable")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(archive, "不是 chainkg 工作区备份", "not a chainkg workspace backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(archive, f"备份格式版本 {manifest.get('format_version')} 不受支持",
                      f"backup format version {manifest.get('format_version')} is not supported")
    try:
        files = [BackupFile(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in manifest["files"]]
    except (KeyError, TypeError, ValueError):
        raise _refuse(archive, "manifest.json 的文件清单有误", "manifest.json's file list is malformed")
    listed = {f.path for f in files}
    extra = sorted(set(z.namelist()) - listed - {MANIFEST})
    if extra or any(not _safe(name) for name in listed):
        bad = (extra or sorted(n for n in listed if not _safe(n)))[0]
        raise _refuse(archive, f"含有不属于工作区的文件 {bad}", f"holds a file that is not part of a workspace: {bad}")
    for f in files:
        h = hashlib.sha256()
        try:
            with z.open(f.path) as entry:
                for block in iter(lambda: entry.read(1 << 20), b""):
                    h.update(block)
        except KeyError:
            raise _refuse(archive, f"缺少文件 {f.path}", f"{f.path} is missing")
        if h.hexdigest() != f.sha256 or z.getinfo(f.path).file_size != f.size:
            raise _refuse(archive, f"{f.path} 与清单不符（已损坏）", f"{f.path} does not match the manifest (damaged)")
    return manifest, files


def _release_django(database: Path) -> None:
    """Close Django's connections to `database` in this process, so they do not keep the moved file."""
    if "django.db" in sys.modules:
        from django.conf import settings
        from django.db import connections

        if settings.configured and connections["default"].settings_dict.get("NAME") == str(database):
            connections.close_all()


def restore(archive: str | Path, home: str | Path | None = None) -> Restored:
    """Restore the backup `archive` into the workspace `home`; return where the old content went.

    The zip is checked first (a damaged, truncated or foreign zip raises `BackupError`, nothing is
    touched). Then the workspace's database (with its -wal/-shm files) and data/ move to
    ``HOME/before-restore-YYYYMMDD-HHMMSS/`` and the backup's files take their place. Stop a
    workbench serving this workspace before restoring.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise _refuse(archive, "找不到该文件", "no such file")
    ws = open_workspace(home)
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=ws.home))
    try:
        try:
            with zipfile.ZipFile(archive) as z:
                manifest, files = _check(archive, z)
                for f in files:
                    z.extract(f.path, staging)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as err:
            raise _refuse(archive, f"压缩文件已损坏或不完整（{err}）", f"the zip is damaged or truncated ({err})") from None
        _check_database(archive, staging / DATABASE)
        moved = _move_aside(ws)
        for item in sorted(staging.iterdir()):
            shutil.move(str(item), str(ws.home / item.name))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Restored(ws.home, moved, len(files), str(manifest.get("created", "")))


def _check_database(archive: Path, path: Path) -> None:
    if not path.exists():
        return
    try:
        con = sqlite3.connect(path)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except sqlite3.DatabaseError:
        ok = False
    if not ok:
        raise _refuse(archive, "其中的数据库已损坏", "its database is damaged")


def _move_aside(ws) -> Path | None:
    """Move the current database (and -wal/-shm) and data/ into a new dated folder inside the workspace."""
    _release_django(ws.database)  # first: the last close checkpoints and removes the -wal file
    present = [p for p in (ws.database, ws.database.with_name(DATABASE + "-wal"),
                           ws.database.with_name(DATABASE + "-shm"), ws.data_dir) if p.exists()]
    if not present:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = ws.home / f"{ASIDE_PREFIX}{stamp}"
    n = 1
    while aside.exists():
        n += 1
        aside = ws.home / f"{ASIDE_PREFIX}{stamp}-{n}"
    aside.mkdir()
    for p in present:
        shutil.move(str(p), str(aside / p.name))
    return aside
