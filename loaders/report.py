"""The load report: what was read, loaded and rejected, for the console and for the planner to fix."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.spreadsheet import write_workbook
from loaders.tables import TABLES_BY_NAME
from loaders.validate import LoadReport

REJECTED_FILE = "chainkg_rejected_rows.xlsx"
CLEARED_SHEET = "已清空的单元格"  # the workbook's sheet of cleared cells (rows loaded without them)


def _limited(prefix: str, records: list, limit: int | None) -> list[str]:
    shown = records if limit is None else records[:limit]
    lines = [f"{prefix}{f' [{r.code}]' if r.code else ''}: {r.line()}" for r in shown]
    if len(shown) < len(records):
        more = len(records) - len(shown)
        lines.append(f"……另有 {more} 条，见拒绝行文件 / {more} more in the rejected-rows file")
    return lines


def summary_lines(report: LoadReport, limit: int | None = 50) -> list[str]:
    """Per-table reconciliation, then warnings, each rejected row and each cleared cell with its
    reason, Chinese first."""
    lines = ["表 / table            读取 read   载入 loaded   拒绝 rejected"]
    for c in report.counts.values():
        label = f"{TABLES_BY_NAME[c.table].label} / {c.table}"
        lines.append(f"{label:<22}{c.read:>10}{c.loaded:>13}{c.rejected:>15}")
    t = report.totals
    lines.append(f"{'合计 / total':<22}{t['read']:>10}{t['loaded']:>13}{t['rejected']:>15}")
    lines += [f"警告 / warning [{w.code}]: {w}" for w in report.warnings]
    lines += _limited("拒绝 / rejected", report.rejections, limit)
    lines += _limited("已清空 / cleared", report.cleared, limit)
    return lines


def cleared_frame(report: LoadReport) -> pd.DataFrame:
    """One row per cleared cell: where, the value as read, why (both languages)."""
    return pd.DataFrame([{"文件 / file": c.file, "行号 / row": c.row, "表 / table": TABLES_BY_NAME[c.table].label,
                          "列 / column": c.column, "原值 / value": c.value, "代码 / code": c.code,
                          "原因 / reason": f"{c.reason_zh}，该单元格已清空 / {c.reason_en}; cell cleared"}
                         for c in report.cleared])


def write_rejected(report: LoadReport, path: Path) -> Path | None:
    """Write the rejected rows, as read plus file, row and reason, one sheet per table, and a sheet
    of the cleared cells (their rows were loaded without them)."""
    if not report.rejected_rows and not report.cleared:
        return None
    sheets = {TABLES_BY_NAME[name].label: frame for name, frame in report.rejected_rows.items()}
    if report.cleared:
        sheets[CLEARED_SHEET] = cleared_frame(report)
    return write_workbook(Path(path), sheets)
