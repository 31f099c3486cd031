"""Settings a planner can edit: home region, radius, weak-link thresholds and scoring weights.

The defaults (`settings.toml`) say which keys exist and of what kind; a planner's file (`--config`)
is read over them and checked: a file that is missing, not UTF-8 or not TOML (with line and column),
a value of the wrong kind, a negative or infinite number, or a share above 1 is a `SettingsError`
with a code; an unknown key is a warning (`Notice`, code settings-unknown-key) and is ignored.
Whether the home region exists is known only with the data (`queries.analysis.home_settings`).

>>> read_settings(home_region="shizuishan").values["home_region"]
'shizuishan'
>>> load_settings(leader_score={"listed": -1})
Traceback (most recent call last):
...
queries.errors.SettingsError: 参数 leader_score.listed 不能为负数（-1），权重均为非负数 / setting leader_score.listed must not be negative (-1); weights are non-negative
"""
from __future__ import annotations

import copy
import difflib
import functools
import math
import re
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from queries.errors import Notice, SettingsError

DEFAULT_SETTINGS = Path(__file__).with_name("settings.toml")

# Tables whose keys the planner names (capacity units, trip groups), with the kind of their values.
FREE_TABLES = {("weak", "min_capacity"): "number", ("trip_groups",): "names"}
SHARES = {("completeness", "project_credit"), ("completeness", "neighbour_credit")}  # 0..1
INTEGERS = {("targets", "leaders_per_gap"), ("targets", "supporters_per_gap")}
OTHER_SECTIONS = ("tracking", "bulletin", "ranking")  # of the same --config file, checked by tracking/settings.py
_KIND_ZH = {bool: "真假值", int: "整数", float: "数字", str: "文本", list: "列表", dict: "表"}
_SYNTAX_AT = re.compile(r"^(.*?) \(at line (\d+), column (\d+)\)$")


class SettingsWarning(UserWarning):
    """A settings problem that does not stop the analysis (an unknown key); `.notice` has it typed."""

    def __init__(self, notice: Notice):
        super().__init__(notice.line())
        self.notice = notice


@dataclass(frozen=True)
class SettingsRead:
    """The settings (defaults, then the planner's file, then overrides) and the warnings found."""
    values: dict[str, Any]
    warnings: list[Notice] = field(default_factory=list)


@functools.cache
def _defaults() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_SETTINGS.read_text(encoding="utf-8"))


def read_settings(path: str | Path | None = None, **overrides: Any) -> SettingsRead:
    """Read and check the default settings, then a planner's file over them, then keyword
    overrides (None is skipped); unknown keys come back as warnings.

    >>> read_settings(neighbour_radius_km=80).values["neighbour_radius_km"]
    80
    """
    settings = copy.deepcopy(_defaults())
    found: list[Notice] = []
    if path:
        text = _text(Path(path))
        given = {k: v for k, v in _parse(text, str(path)).items() if k not in OTHER_SECTIONS}
        _merge(settings, given, (), _Where(str(path), text), found)
    _merge(settings, {k: v for k, v in overrides.items() if v is not None}, (), _Where(), found)
    return SettingsRead(settings, found)


def load_settings(path: str | Path | None = None, **overrides: Any) -> dict[str, Any]:
    """The values of `read_settings`; each warning is also issued as a `SettingsWarning`.

    >>> load_settings(home_region="shizuishan")["home_region"]
    'shizuishan'
    """
    read = read_settings(path, **overrides)
    for notice in read.warnings:
        warnings.warn(SettingsWarning(notice), stacklevel=2)
    return read.values


def read_toml(path: str | Path) -> tuple[dict[str, Any], str]:
    """A settings file's TOML document and its text; SettingsError when missing, unreadable, not
    UTF-8 or not TOML (with line and column)."""
    text = _text(Path(path))
    return _parse(text, str(path)), text


def _text(path: Path) -> str:
    """The file's text as UTF-8 (a BOM is allowed)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SettingsError("参数文件不存在", "settings file not found", code="settings-missing", file=str(path),
                            option="--config", hint_zh="检查路径；可复制 queries/settings.toml 修改",
                            hint_en="check the path; copy queries/settings.toml to start") from None
    except OSError as e:
        raise SettingsError(f"参数文件无法读取（{e.strerror or e}）", f"settings file cannot be read ({e.strerror or e})",
                            code="settings-unreadable", file=str(path), option="--config") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise SettingsError(f"参数文件不是 UTF-8 编码（第{e.start + 1}字节）", f"settings file is not UTF-8 (byte {e.start + 1})",
                            code="settings-encoding", file=str(path), row=line, option="--config",
                            hint_zh="请用记事本或 WPS 另存为 UTF-8 编码", hint_en="save it again as UTF-8") from None


def _parse(text: str, file: str) -> dict[str, Any]:
    """The TOML document; a syntax error names its line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        at = _SYNTAX_AT.match(message)
        row = int(at.group(2)) if at else None
        where_zh = f"第{at.group(3)}列：" if at else ""
        where_en = f"column {at.group(3)}: " if at else ""
        reason = at.group(1) if at else message
        raise SettingsError(f"参数文件不是有效的 TOML（{where_zh}{reason}）", f"settings file is not valid TOML ({where_en}{reason})",
                            code="settings-syntax", file=file, row=row, option="--config",
                            hint_zh="文本值要加英文引号，如 home_region = \"wuhai\"",
                            hint_en='text values need quotes, e.g. home_region = "wuhai"') from None


@dataclass(frozen=True)
class _Where:
    """Where values come from: a file and its text (to find a key's line), or keyword overrides."""
    file: str = ""
    text: str = ""

    def line(self, path: tuple[str, ...]) -> int | None:
        """The line of `path`'s key under its [table] header, if written that way."""
        table: tuple[str, ...] = ()
        key = re.compile(rf'^\s*(?:{re.escape(path[-1])}|"{re.escape(path[-1])}"|\'{re.escape(path[-1])}\')\s*=')
        for number, line in enumerate(self.text.splitlines(), 1):
            header = re.match(r"^\s*\[([^\[\]]+)\]", line)
            if header:
                table = tuple(p.strip().strip('"\'') for p in header.group(1).split("."))
            elif table == path[:-1] and key.match(line):
                return number
        return None

    def error(self, path: tuple[str, ...], zh: str, en: str, code: str) -> SettingsError:
        """The error of the value at `path`: the key starts the message, the file and line say where."""
        name = ".".join(path)
        return SettingsError(f"参数 {name} {zh}", f"setting {name} {en}", code=code, file=self.file,
                             row=self.line(path) if self.file else None, option="--config" if self.file else "")


def _merge(base: dict[str, Any], given: dict[str, Any], path: tuple[str, ...], where: _Where,
           found: list[Notice]) -> None:
    """`given` checked against `base` (the defaults so far) and written into it."""
    for key, value in given.items():
        p = path + (key,)
        if path in FREE_TABLES:
            base[key] = _free_value(value, FREE_TABLES[path], p, where)
        elif key not in base:
            near = difflib.get_close_matches(key, list(base), n=1)
            hint_zh, hint_en = (f"，是否指 {near[0]}？", f"; did you mean {near[0]}?") if near else ("", "")
            found.append(Notice("settings-unknown-key", f"未知参数 {'.'.join(p)}，已忽略{hint_zh}",
                                f"unknown setting {'.'.join(p)}, ignored{hint_en}", file=where.file,
                                row=where.line(p) if where.file else None))
        elif isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise where.error(p, f"应为表（[{'.'.join(p)}]），实为{_kind(value)}“{value}”",
                                  f"should be a table ([{'.'.join(p)}]), not {type(value).__name__} {value!r}", "settings-type")
            _merge(base[key], value, p, where, found)
        else:
            base[key] = _value(value, base[key], p, where)


def _kind(value: Any) -> str:
    return _KIND_ZH.get(type(value), type(value).__name__)


def _value(value: Any, default: Any, p: tuple[str, ...], where: _Where) -> Any:
    """`value` if it is of the default's kind (numbers also in range), else a SettingsError."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise where.error(p, f"应为 true 或 false，实为{_kind(value)}“{value}”",
                              f"should be true or false, not {value!r}", "settings-type")
        return value
    if isinstance(default, (int, float)):
        return _number(value, p, where)
    if isinstance(default, str) and not (isinstance(value, str) and value.strip()):
        raise where.error(p, f"应为非空文本（加英文引号），实为{_kind(value)}“{value}”",
                          f"should be non-empty text (in quotes), not {value!r}", "settings-type")
    return value


def _number(value: Any, p: tuple[str, ...], where: _Where) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise where.error(p, f"应为数字，实为{_kind(value)}“{value}”", f"should be a number, not {value!r}",
                          "settings-type")
    if not math.isfinite(value):
        raise where.error(p, f"应为有限的数字，实为 {value}", f"should be a finite number, not {value}", "settings-range")
    if value < 0:
        raise where.error(p, f"不能为负数（{value}），权重均为非负数", f"must not be negative ({value}); weights are non-negative",
                          "settings-negative")
    if p in SHARES and value > 1:
        raise where.error(p, f"是比例，应在 0 到 1 之间，实为 {value}", f"is a share between 0 and 1, not {value}",
                          "settings-range")
    if p in INTEGERS:
        if value != int(value):
            raise where.error(p, f"应为整数，实为 {value}", f"should be a whole number, not {value}", "settings-type")
        return int(value)
    return value


def _free_value(value: Any, kind: str, p: tuple[str, ...], where: _Where) -> Any:
    """A value of a table whose keys the planner names: a number, or a list of place names."""
    if kind == "number":
        return _number(value, p, where)
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise where.error(p, f"应为地名列表，如 [\"北京市\", \"天津市\"]，实为{_kind(value)}“{value}”",
                          f"should be a list of place names, not {value!r}", "settings-type")
    return value
