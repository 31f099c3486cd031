"""The records a validation leaves: rejected rows, cleared cells, notices; and the checker that
collects them for one table from vectorised masks.

A rejected row is not loaded (`Rejection`); a cleared cell is an optional cell whose value could
not be read, loaded as if empty while its row loads (`Cleared`); a `Notice` changes nothing the
planner typed that matters (a control character removed, an unknown column not read).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.clean import shown
from loaders.read import ROW, RawTable
from queries.errors import Notice

NOTICES_PER_COLUMN = 20  # per column and kind of notice; the rest are counted in one more notice


@dataclass(frozen=True)
class Rejection:
    table: str
    file: str
    row: int
    column: str
    value: str
    reason_zh: str
    reason_en: str
    code: str = ""

    def line(self) -> str:
        return (f"{self.file} 第{self.row}行 [{self.column}] {self.reason_zh} / "
                f"{self.file} row {self.row} [{self.column}]: {self.reason_en}")


@dataclass(frozen=True)
class Cleared(Rejection):
    """An optional cell that could not be read: cleared (empty, its column's default), the row kept.

    >>> print(Cleared("produces", "produces.csv", 3, "capacity", "十万", "“十万”不是有效数字",
    ...               "'十万' is not a number", "not-number").line())
    produces.csv 第3行 [capacity] “十万”不是有效数字，该单元格已清空 / produces.csv row 3 [capacity]: '十万' is not a number; cell cleared
    """

    def line(self) -> str:
        return (f"{self.file} 第{self.row}行 [{self.column}] {self.reason_zh}，该单元格已清空 / "
                f"{self.file} row {self.row} [{self.column}]: {self.reason_en}; cell cleared")


class Checker:
    """Collects the reasons for one table; `bad` marks rows rejected so far."""

    def __init__(self, raw: RawTable, frame: pd.DataFrame, cache: dict[str, dict[str, int] | None] | None = None):
        self.raw, self.frame = raw, frame
        self.positions = {} if cache is None else cache  # table -> {id: row position}, shared across tables
        self.bad = pd.Series(False, index=frame.index)
        self.codes: dict[str, np.ndarray | None] = {}  # ref column -> row's position in the target table
        self.found: list[Rejection] = []
        self.cleared: list[Cleared] = []
        self.notices: list[Notice] = []
        self.units: dict[str, tuple[pd.Series, pd.Series]] = {}  # number column -> (unit written, cell as read)

    def _records(self, kind: type, mask: pd.Series, column: str, zh: str, en: str, code: str,
                 values: pd.Series | None, extra: pd.Series | None) -> list:
        rows = self.frame.loc[mask, ROW]
        vals = (values if values is not None else self.frame.get(column, pd.Series("", index=self.frame.index)))
        vals = vals[mask].astype(str)
        extras = extra[mask].astype(str) if extra is not None else [""] * len(vals)
        t, file = self.raw.table.name, self.raw.file
        return [kind(t, file, int(r), column, v, zh.format(v=shown(v), w=w), en.format(v=shown(v), w=w), code)
                for r, v, w in zip(rows, vals, extras)]

    def reject(self, mask: pd.Series, column: str, zh: str, en: str, values: pd.Series | None = None,
               extra: pd.Series | None = None, code: str = "") -> None:
        """Reject the rows in `mask`; `{v}` in the reasons is the cell value, `{w}` the `extra` value."""
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            self.bad |= mask
            self.found.extend(self._records(Rejection, mask, column, zh, en, code, values, extra))

    def clear(self, mask: pd.Series | np.ndarray, column: str, zh: str, en: str, code: str,
              values: pd.Series | None = None, extra: pd.Series | None = None) -> pd.Series:
        """Record the cells of `column` in `mask` as cleared (the caller empties them); returns the mask.
        A cleared cell of a row rejected for another reason becomes one more reason (`finish`)."""
        mask = pd.Series(mask, index=self.frame.index).fillna(False).astype(bool)
        if mask.any():
            self.cleared.extend(self._records(Cleared, mask, column, zh, en, code, values, extra))
        return mask

    def notice(self, code: str, zh: str, en: str, positions: np.ndarray, column: str,
               values: np.ndarray | None = None) -> None:
        """One notice per row at `positions` (frame positions; `{v}` is that row's value in `values`),
        at most NOTICES_PER_COLUMN, then one counting the rest."""
        rows = self.frame[ROW].to_numpy()[positions]
        shown_values = [""] * len(rows) if values is None else values
        f = self.raw.file
        self.notices.extend(Notice(code, zh.format(v=shown(v)), en.format(v=shown(v)), file=f, row=int(r), column=column)
                            for r, v in zip(rows[:NOTICES_PER_COLUMN], shown_values[:NOTICES_PER_COLUMN]))
        if len(rows) > NOTICES_PER_COLUMN:
            more = len(rows) - NOTICES_PER_COLUMN
            self.notices.append(Notice(code, f"同类问题另有 {more} 处", f"{more} more cells like this", file=f,
                                       column=column))

    def finish(self) -> None:
        """Cleared cells of rejected rows join those rows' reasons; the rest stay cleared."""
        bad_rows = set(self.frame.loc[self.bad, ROW].tolist())
        self.found += [Rejection(*vars(c).values()) for c in self.cleared if c.row in bad_rows]
        self.cleared = [c for c in self.cleared if c.row not in bad_rows]
        self.found.sort(key=lambda r: r.row)
        self.cleared.sort(key=lambda r: r.row)
