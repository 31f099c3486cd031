"""The load report: what was read, loaded and rejected, for the console and for the planner to fix."""
from __future__ import annotations

from pathlib import Path

from loaders.spreadsheet import write_workbook
from loaders.tables import TABLES_BY_NAME
from loaders.validate import LoadReport

REJECTED_FILE = "chainkg_rejected_rows.xlsx"


def summary_lines(report: LoadReport, limit: int | None = 50) -> list[str]:
    """Per-table reconciliation, then each rejected row with its reason, Chinese first."""
    lines = ["表 / table            读取 read   载入 loaded   拒绝 rejected"]
    for c in report.counts.values():
        label = f"{TABLES_BY_NAME[c.table].label} / {c.table}"
        lines.append(f"{label:<22}{c.read:>10}{c.loaded:>13}{c.rejected:>15}")
    t = report.totals
    lines.append(f"{'合计 / total':<22}{t['read']:>10}{t['loaded']:>13}{t['rejected']:>15}")
    lines += [f"警告 / warning: {w}" for w in report.warnings]
    shown = report.rejections if limit is None else report.rejections[:limit]
    lines += [f"拒绝 / rejected: {r.line()}" for r in shown]
    if len(shown) < len(report.rejections):
        lines.append(f"……另有 {len(report.rejections) - len(shown)} 条，见拒绝行文件 / "
                     f"{len(report.rejections) - len(shown)} more in the rejected-rows file")
    return lines


def write_rejected(report: LoadReport, path: Path) -> Path | None:
    """Write the rejected rows, as read plus file, row and reason, one sheet per table."""
    if not report.rejected_rows:
        return None
    sheets = {TABLES_BY_NAME[name].label: frame for name, frame in report.rejected_rows.items()}
    return write_workbook(Path(path), sheets)
