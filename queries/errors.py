"""The typed problems every layer raises or reports: a stable code, Chinese and English text, and
where the problem is (file, row, column or command-line option).

Library functions raise a `ChainkgError` subclass; the CLI and the web app only format it
(`line()`), so a planner reads one bilingual sentence and never a traceback. Problems that do not
stop a load (a hidden sheet skipped, a bad optional cell cleared) are `Notice`s in the load
report. Codes are stable: tests, the README and the web app key on them.

>>> e = UnknownName("未知产业链“煤化工”", "unknown chain '煤化工'", code="unknown-chain",
...                 option="--chain", matches=["现代煤化工(coal_chem)"])
>>> print(e.line())
错误 [unknown-chain] --chain：未知产业链“煤化工”，是否指：现代煤化工(coal_chem)？ / error [unknown-chain] --chain: unknown chain '煤化工'; did you mean: 现代煤化工(coal_chem)?
>>> e.exit_code
2
"""
from __future__ import annotations

from dataclasses import dataclass

EXIT_UNEXPECTED = 1
EXIT_INPUT = 2  # bad input or usage
EXIT_SERVER = 3  # a server (Neo4j) unreachable or not configured


def _where_zh(file: str, row: int | None, column: str, option: str) -> str:
    parts = [file, f"第{row}行" if row is not None else "", f"[{column}]" if column else "", option]
    return " ".join(p for p in parts if p)


def _where_en(file: str, row: int | None, column: str, option: str) -> str:
    parts = [file, f"row {row}" if row is not None else "", f"[{column}]" if column else "", option]
    return " ".join(p for p in parts if p)


class ChainkgError(Exception):
    """Base of every problem a user can cause or fix; `exit_code` is what the CLI exits with."""

    code = "error"
    exit_code = EXIT_INPUT

    def __init__(self, zh: str, en: str, *, code: str | None = None, file: str = "", row: int | None = None,
                 column: str = "", option: str = "", hint_zh: str = "", hint_en: str = ""):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
        self.file, self.row, self.column, self.option = str(file), row, column, option
        self.hint_zh, self.hint_en = hint_zh, hint_en
        if code:
            self.code = code

    def line(self) -> str:
        """One bilingual line, Chinese first: code, where, what, what to do."""
        wz = _where_zh(self.file, self.row, self.column, self.option)
        we = _where_en(self.file, self.row, self.column, self.option)
        zh = self.zh + (f"{'' if self.zh.endswith(('？', '。')) else '。'}{self.hint_zh}" if self.hint_zh else "")
        en = self.en + (f"{' ' if self.en.endswith(('?', '.')) else '. '}{self.hint_en}" if self.hint_en else "")
        return (f"错误 [{self.code}] {wz + '：' if wz else ''}{zh} / "
                f"error [{self.code}] {we + ': ' if we else ''}{en}")


class InputError(ChainkgError):
    """Bad input or usage: a file, a cell, an option or a name the user can correct (exit 2)."""

    code = "bad-input"


class SourceError(InputError):
    """A data source that cannot be read as a whole: missing, of an unknown kind, malformed."""

    code = "source-unreadable"


class SettingsError(InputError):
    """A settings file (`--config`) that is missing, malformed, or holds a wrong value."""

    code = "bad-settings"


class UnknownName(InputError):
    """A chain, region, product, firm or project name that matches nothing; `matches` are the
    closest known spellings, shown as a question."""

    code = "unknown-name"

    def __init__(self, zh: str, en: str, *, matches: list[str] | tuple[str, ...] = (), **where):
        self.matches = list(matches)
        if self.matches:
            shown = "、".join(self.matches)
            zh, en = f"{zh}，是否指：{shown}？", f"{en}; did you mean: {', '.join(self.matches)}?"
        else:
            zh, en = f"{zh}（没有相近的名称）", f"{en} (no similar name)"
        super().__init__(zh, en, **where)


class AmbiguousName(UnknownName):
    """A name that fits several rows (two firms with the same short name); `matches` lists them."""

    code = "ambiguous-name"


class ServerError(ChainkgError):
    """A server the command needs is not configured or not reachable (exit 3)."""

    code = "server-unavailable"
    exit_code = EXIT_SERVER


@dataclass(frozen=True)
class Notice:
    """A problem that does not stop the load (a warning): what happened and where.

    >>> str(Notice("hidden-sheet", "隐藏工作表“旧”已忽略", "hidden sheet '旧' ignored", file="a.xlsx"))
    "a.xlsx：隐藏工作表“旧”已忽略 / a.xlsx: hidden sheet '旧' ignored"
    """

    code: str
    zh: str
    en: str
    file: str = ""
    row: int | None = None
    column: str = ""

    def line(self) -> str:
        wz = _where_zh(self.file, self.row, self.column, "")
        we = _where_en(self.file, self.row, self.column, "")
        return f"{wz + '：' if wz else ''}{self.zh} / {we + ': ' if we else ''}{self.en}"

    __str__ = line
