"""The bulletin as .xlsx (通报, 依据 = the rows behind each figure, 小分队进展, 赛马比拼, 说明, a print
sheet), .docx (a plain report: title, date, paragraph, tables) or .html (one self-contained page)."""
from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pandas as pd

from loaders.book import Book
from loaders.output import unsupported_kind, writing
from loaders.spreadsheet import write_sheet
from reports.print_sheet import add_print_sheets
from tracking.bulletin import Bulletin

MEASURE_ZH = {"domestic_funds": "国内到位资金(亿元)", "completed": "完成投资(亿元)", "signed": "新签约(个)",
              "start_rate": "开复工率(%)", "visits": "招商活动(次)"}


def figures_frame(b: Bulletin) -> pd.DataFrame:
    return pd.DataFrame([{"指标 / figure": f.label, "数值 / value": f.value, "单位 / unit": f.unit,
                          "依据行数 / rows": len(f.rows) if f.rows else None} for f in b.figures.values()])


def evidence_frame(b: Bulletin) -> pd.DataFrame:
    rows = [{"指标 / figure": f.label, "项目或企业 / project or firm": r.get("project", ""), "名称 / name": r.get("name", ""),
             "日期 / date": r.get("date", ""), "金额(亿元) / amount": r.get("amount"), "说明 / note": r.get("note", "")}
            for f in b.figures.values() for r in f.rows]
    return pd.DataFrame(rows, columns=["指标 / figure", "项目或企业 / project or firm", "名称 / name", "日期 / date",
                                       "金额(亿元) / amount", "说明 / note"])


def team_frame(b: Bulletin) -> pd.DataFrame:
    return pd.DataFrame([{("小分队 / team" if k == "team" else "合计 / total" if k == "total" else k): v
                          for k, v in r.items()} for r in b.team_stages])


def ranking_frame(b: Bulletin) -> pd.DataFrame:
    return pd.DataFrame([{"名次 / rank": r["rank"], "区/部门 / district": r["district"],
                          **{MEASURE_ZH.get(k, k): v for k, v in r.items() if k not in ("rank", "district", "score")},
                          "得分 / score": r["score"]} for r in b.ranking])


def title_of(b: Bulletin, bureau: str) -> str:
    kind = {"旬": "旬调度", "月": "月通报", "季": "季度总结", "年": "年度排名"}[b.period.kind]
    return f"{bureau}招商引资工作{kind}（{b.period.label}）"


def write_bulletin(b: Bulletin, path: str | Path, bureau: str, data_date: str | None = None) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".docx", ".html", ".json"):
        raise unsupported_kind(path, ".xlsx/.docx/.html/.json")
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
    data_date = data_date or dt.date.today().isoformat()
    title = title_of(b, bureau)
    if suffix == ".xlsx":
        with Book(path) as book:
            sheet = book.sheet("通报")
            sheet.width(0, 120)
            sheet.row([title])
            sheet.row([b.paragraph])
            for name, frame in (("指标", figures_frame(b)), ("依据", evidence_frame(b)),
                                ("小分队进展", team_frame(b)), ("赛马比拼", ranking_frame(b))):
                write_sheet(book, name, frame)
            write_sheet(book, "说明", pd.DataFrame({"规则 / rule": b.rules}), widths={"规则 / rule": 120})
            add_print_sheets(book, "通报(打印)", figures_frame(b), bureau, data_date,
                             widths={"指标 / figure": 50, "数值 / value": 20, "单位 / unit": 12, "依据行数 / rows": 14})
    elif suffix == ".docx":
        from docx import Document

        doc = Document()
        doc.add_heading(title, level=1)
        doc.add_paragraph(f"数据日期：{data_date}")
        doc.add_paragraph(b.paragraph)
        for heading, frame in (("主要指标", figures_frame(b)), ("各小分队目标企业进展", team_frame(b)),
                               ("赛马比拼", ranking_frame(b))):
            if frame.empty:
                continue
            doc.add_heading(heading, level=2)
            table = doc.add_table(rows=1, cols=len(frame.columns))
            table.style = "Table Grid"
            for cell, name in zip(table.rows[0].cells, frame.columns):
                cell.text = str(name)
            for row in frame.itertuples(index=False):
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        doc.add_heading("统计口径", level=2)
        for rule in b.rules:
            doc.add_paragraph(rule, style="List Bullet")
        with writing(path):
            doc.save(path)
    elif suffix == ".html":
        def table(frame: pd.DataFrame) -> str:
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
            body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                           for row in frame.itertuples(index=False))
            return f"<table><tr>{head}</tr>{body}</table>"
        parts = [f"<h1>{html.escape(title)}</h1>", f"<p>数据日期：{html.escape(data_date)}</p>",
                 f"<p>{html.escape(b.paragraph)}</p>", "<h2>主要指标</h2>", table(figures_frame(b)),
                 "<h2>各小分队目标企业进展</h2>", table(team_frame(b)), "<h2>赛马比拼</h2>", table(ranking_frame(b)),
                 "<h2>统计口径</h2><ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in b.rules) + "</ul>"]
        with writing(path):
            path.write_text("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                            f"<title>{html.escape(title)}</title><style>table{{border-collapse:collapse}}"
                            "td,th{border:1px solid #999;padding:2px 6px}</style></head><body>"
                            + "".join(parts) + "</body></html>", encoding="utf-8")
    else:
        with writing(path):
            path.write_text(json.dumps(b.to_json(), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path
