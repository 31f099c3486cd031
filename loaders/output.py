"""Writing a file a planner asked for: a clear error when it cannot be written, and nothing a
person typed into the previous file is lost.

- `writing(path)` turns the operating system's refusal (a workbook open in Excel or WPS, a
  read-only folder, a folder where a file should go) into one bilingual `InputError`.
- `save_workbook(wb, path)` (an openpyxl workbook: the templates) and `loaders.book.Book` (every
  other workbook, written row by row) stamp the workbook with a fingerprint of its cells, so that
  a later run can tell the tool's own untouched output from a workbook someone has typed in.
- `keeping(paths)` around a rewrite: an existing file is first moved to a dated backup beside it
  (`目标清单.备份2026-12-01T1305.xlsx`) unless it is a workbook the tool wrote and nobody changed;
  a backup identical to the new file is dropped again. The backups are listed for the caller to
  report.

>>> from openpyxl import Workbook
>>> wb = Workbook(); wb.active.append(["企业", 10.0])
>>> len(fingerprint(wb))
64
"""
from __future__ import annotations

import datetime as dt
import errno
import filecmp
import hashlib
import numbers
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.packaging.custom import StringProperty

from queries.errors import InputError

FINGERPRINT = "chainkg-fingerprint"


def output_error(err: OSError, path: str | Path, option: str = "--out") -> InputError:
    """The bilingual error for a file that cannot be written."""
    where = dict(file=str(path), option=option)
    if isinstance(err, PermissionError):
        return InputError("无法写入：文件可能正在 Excel/WPS 中打开，或没有写入该文件夹的权限",
                          f"cannot write: the file may be open in Excel/WPS, or the folder is not writable ({err.strerror})",
                          code="out-locked", hint_zh="关闭该文件或换一个位置后重试", hint_en="close it or choose another place",
                          **where)
    if isinstance(err, IsADirectoryError):
        return InputError("这是一个文件夹，应给出文件名", "this is a folder; give a file name", code="out-is-folder", **where)
    if isinstance(err, (NotADirectoryError, FileExistsError)) or err.errno in (errno.ENOTDIR, errno.EEXIST):
        return InputError("路径中有同名的文件挡住了要建的文件夹", "a file is in the way of a folder on this path",
                          code="out-bad-path", **where)
    if err.errno == errno.ENOSPC:
        return InputError("磁盘已满", "the disk is full", code="out-disk-full", **where)
    return InputError(f"无法写入（{err.strerror or err}）", f"cannot write ({err.strerror or err})", code="out-unwritable",
                      **where)


class UnsupportedOutput(InputError, ValueError):
    """An output file name whose ending the writer does not know (also a ValueError, as before)."""

    code = "out-kind"


def unsupported_kind(path: str | Path, kinds: str, option: str = "--out") -> UnsupportedOutput:
    """The error for an output file name whose ending the writer does not know (`kinds`: '.xlsx/.csv')."""
    suffix = Path(path).suffix or "（无）"
    return UnsupportedOutput(f"不支持的文件类型“{suffix}”，应为 {kinds}", f"unsupported file type '{suffix}': expected {kinds}",
                             file=str(path), option=option)


@contextmanager
def writing(path: str | Path, option: str = "--out") -> Iterator[Path]:
    """Around writing `path`: an OSError becomes `output_error`."""
    try:
        yield Path(path)
    except BrokenPipeError:
        raise
    except OSError as err:
        raise output_error(err, path, option) from err


def _normal(value: object) -> str:
    if type(value) is str:
        return f"s:{value}"
    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):  # numpy 1 and 2 name theirs so
        return f"b:{bool(value)}"
    if isinstance(value, numbers.Number):
        return f"n:{float(value)!r}"  # 10 and 10.0 alike: Excel stores numbers, not their Python type
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return f"d:{value.isoformat()}"
    return f"s:{value}"


class Fingerprint:
    """A fingerprint built up sheet by sheet, row by row: `fingerprint` feeds it the cells of a loaded
    workbook, a streaming writer (`loaders.book`) the values it writes, as a reader will see them.

    SHA-256 of every sheet's name and non-empty cells (position and value), sheets in workbook
    order, rows top to bottom, cells left to right."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def sheet(self, title: str) -> None:
        self._h.update(f"\x00sheet\x00{title}\x00".encode())

    def row(self, r: int, values: Iterable[object]) -> None:
        """Row `r` (1-based), its cells from column 1; None and '' are empty cells."""
        parts = [f"{r},{c}\x00{_normal(v)}\x00" for c, v in enumerate(values, start=1) if v is not None and v != ""]
        if parts:
            self._h.update("".join(parts).encode())

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def fingerprint(wb: Workbook) -> str:
    """The `Fingerprint` of an openpyxl workbook's cells."""
    fp = Fingerprint()
    for ws in wb.worksheets:
        fp.sheet(ws.title)
        for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
            fp.row(r, row)
    return fp.hexdigest()


def save_workbook(wb: Workbook, path: str | Path, option: str = "--out") -> Path:
    """Save `wb` to `path` (parent folders made), stamped with its fingerprint."""
    path = Path(path)
    props = wb.custom_doc_props
    for prop in [p for p in props if p.name == FINGERPRINT]:
        props.props.remove(prop)
    props.append(StringProperty(name=FINGERPRINT, value=fingerprint(wb)))
    with writing(path, option):
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    return path


def untouched(path: str | Path) -> bool:
    """True when `path` is a workbook this tool wrote and nobody has changed since."""
    try:
        wb = load_workbook(path, read_only=True)
        try:
            stamp = wb.custom_doc_props[FINGERPRINT].value
            return stamp == fingerprint(wb)
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - unreadable, foreign or unstamped: treat as a person's file
        return False


def backup_name(path: Path) -> Path:
    """`X.备份2026-12-01T1305.xlsx` beside X, dated by X's last change (`-2`, `-3`… if taken)."""
    when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%dT%H%M")
    candidate, n = path.with_name(f"{path.stem}.备份{when}{path.suffix}"), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.备份{when}-{n}{path.suffix}")
    return candidate


def set_aside(path: str | Path, option: str = "--out") -> Path | None:
    """Move an existing file at `path` to its backup name, unless it is an untouched workbook of
    this tool (or nothing is there); the backup's path, or None."""
    path = Path(path)
    if not path.is_file() or (path.suffix.lower() in (".xlsx", ".xlsm") and untouched(path)):
        return None
    backup = backup_name(path)
    with writing(path, option):
        path.rename(backup)
    return backup


@contextmanager
def keeping(paths: Iterable[str | Path], option: str = "--out") -> Iterator[list[tuple[Path, Path]]]:
    """Around rewriting `paths`: set each aside first; yields the list of (file, backup) kept,
    filled when the block ends (backups identical to the new file are removed)."""
    kept: list[tuple[Path, Path]] = []
    moved = [(Path(p), b) for p in paths if (b := set_aside(p, option))]
    try:
        yield kept
    finally:
        for path, backup in moved:
            if path.is_file() and filecmp.cmp(path, backup, shallow=False):
                backup.unlink()
            else:
                kept.append((path, backup))
