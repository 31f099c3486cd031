"""The target-company list (招商引资目标企业清单) as a workbook a team can filter, sort and print.

Sheets: 概览 (per chain: completeness, gaps, top targets), 缺链清单 (gaps with reasons),
目标企业清单 (one row per candidate, with empty columns for the team), 说明 (how scores work).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from loaders.book import Book, Sheet
from loaders.output import unsupported_kind, writing
from loaders.spreadsheet import write_csv, write_sheet
from queries.analysis import Analysis
from reports.library import PRINT_SHEET as PRINT_LIBRARY, PRINT_WIDTHS, SHEET as LIBRARY, WIDTHS as LIBRARY_WIDTHS
from reports.library import print_frame
from reports.print_sheet import add_print_sheets
from reports.team_columns import HIDDEN, PER_GAP_WIDTHS, PRINT_TARGETS, TARGET_SHEET, team_sheets
from tracking.settings import tracking_settings

TEAM_COLUMNS = ["负责小分队 / team", "联系人 / contact", "进展 / progress", "备注 / remarks"]
COMPONENT_ZH = {"makes_gap_product": "生产该产品", "makes_downstream": "生产下游", "listed": "上市公司",
                "capacity_top": "产能规模", "local_feedstock": "本地原料", "competitor_penalty": "竞争者扣分",
                "makes_input": "生产原料", "makes_auxiliary": "生产辅料", "national_srdi": "国家级小巨人",
                "provincial_srdi": "省级专精特新", "neighbour": "已在周边"}
WIDE = {"原因 / reasons": 70, "推荐理由 / reasons": 70, "得分构成 / score parts": 36, "首选目标 / top targets": 60}


def overview_frame(a: Analysis) -> pd.DataFrame:
    tiers = a.graph.tables["chains"].set_index("chain_id")["tier"]
    rows = []
    for chain_id, c in a.completeness.items():
        gaps = [g for g in a.gaps if g.chain_id == chain_id]
        leaders = sorted((t for t in a.targets if t.chain_id == chain_id and t.role == "leader"),
                         key=lambda t: -t.score)
        top = list(dict.fromkeys(t.name for t in leaders))[:3]
        rows.append({
            "产业链 / chain": c.chain_name, "层级 / tier": tiers.get(chain_id, ""),
            "完整度 / completeness": f"{c.score:.0%}", "环节数 / links": c.links,
            "本地覆盖 / covered": c.covered, "在建 / under way": c.project,
            "断链 / missing": sum(g.kind == "missing" for g in gaps),
            "弱链 / weak": sum(g.kind == "weak" for g in gaps),
            "延链 / extend": sum(g.kind == "extend" for g in gaps),
            "重点产品覆盖 / focus covered": f"{c.focus_covered}/{c.focus_links}",
            "首选目标 / top targets": "、".join(top),
        })
    return pd.DataFrame(rows)


def gaps_frame(a: Analysis) -> pd.DataFrame:
    counts: dict[tuple[str, str, str], int] = {}
    for t in a.targets:
        key = (t.chain_id, t.product_id, t.role)
        counts[key] = counts.get(key, 0) + 1
    return pd.DataFrame([{
        "产业链 / chain": g.chain_name, "环节 / link": g.product_name, "英文 / English": g.product_name_en,
        "位置 / segment": g.segment, "重点产品 / focus": "是" if g.focus else "否",
        "优先级 / priority": g.priority, "类型 / kind": g.kind_zh, "原因 / reasons": g.reason_zh,
        "原因代码 / codes": ",".join(r["code"] for r in g.reasons),
        "龙头候选 / leaders": counts.get((g.chain_id, g.product_id, "leader"), 0),
        "配套候选 / supporting": counts.get((g.chain_id, g.product_id, "supporting"), 0),
    } for g in a.gaps], columns=["产业链 / chain", "环节 / link", "英文 / English", "位置 / segment",
                                       "重点产品 / focus", "优先级 / priority", "类型 / kind", "原因 / reasons",
                                       "原因代码 / codes",
                                       "龙头候选 / leaders", "配套候选 / supporting"])


def targets_frame(a: Analysis) -> pd.DataFrame:
    columns = ["产业链 / chain", "环节 / link", "缺口 / gap", "角色 / role", "排名 / rank", "企业 / firm",
               "简称 / short name", "省份 / province", "城市 / city", "专精特新 / SRDI", "股票代码 / code",
               "得分 / score", "得分构成 / score parts", "竞争者 / competes with", "推荐理由 / reasons", *TEAM_COLUMNS]
    names = a.graph.tables["products"].set_index("product_id")["name_zh"]
    return pd.DataFrame([{
        "产业链 / chain": t.chain_name, "环节 / link": t.product_name, "缺口 / gap": t.kind_zh,
        "角色 / role": t.role_zh, "排名 / rank": t.rank, "企业 / firm": t.name,
        "简称 / short name": t.short_name, "省份 / province": t.province, "城市 / city": t.city,
        "专精特新 / SRDI": t.srdi_level, "股票代码 / code": t.listed_code, "得分 / score": t.score,
        "得分构成 / score parts": "，".join(f"{COMPONENT_ZH.get(k, k)}{v:g}" for k, v in t.components.items()),
        "竞争者 / competes with": "、".join(names.get(q, q) for q in t.competes_with),
        "推荐理由 / reasons": t.reason_zh, **{c: "" for c in TEAM_COLUMNS},
    } for t in a.targets], columns=columns)


def _notes(settings: dict[str, Any]) -> pd.DataFrame:
    rows = [("断链 / missing", "本地无在产企业、无在建项目"), ("弱链 / weak", "本地仅一家企业生产，或已知产能低于阈值"),
            ("延链 / extend", "本地尚未生产，但其主要原料本地已有，且本地无下游需求，可就地转化延伸产业链"),
            ("完整度 / completeness", "Σ权重×得分 / Σ权重；重点产品权重"
             f"{settings['completeness']['focus_weight']}；本地生产=1，在建={settings['completeness']['project_credit']}，"
             f"仅周边={settings['completeness']['neighbour_credit']}；本地自用/副产（一体化装置按其工艺路线自产）=1"),
            ("优先级 / priority", f"本链重点产品加{settings.get('gap_priority', {}).get('focus_product', 0)}；"
             "不计入企业得分，同一企业同一产品在各链得分相同"),
            ("竞争者 / competitor", "候选企业也生产本地已有的产品；若该产品是缺失产品的直接下游，扣"
             f"{settings['targets'].get('competitor_penalty', 0)}分")]
    rows += [(f"龙头得分 / leader: {COMPONENT_ZH.get(k, k)}", f"{v}") for k, v in settings["leader_score"].items()]
    rows += [(f"配套得分 / supporting: {COMPONENT_ZH.get(k, k)}", f"{v}") for k, v in settings["support_score"].items()]
    rows.append(("数据 / data", "内置数据为公开信息整理的演示数据；正式名单请用模板导入 / built-in data is a public-source demo"))
    return pd.DataFrame(rows, columns=["项目 / item", "说明 / meaning"])


HEADER = dict(bold=True, bg_color="#DDEBF7", text_wrap=True, valign="vcenter")
BANNER = dict(text_wrap=True, valign="top", font_color="#7F6000")
BANNER_HEIGHT = 75


def _sheet(book: Book, name: str, frame: pd.DataFrame, hidden: tuple[str, ...] = ()) -> Sheet:
    """A sheet of the list: styled header, long texts wrapped, landscape, one page wide, the header
    row on every printed page."""
    sheet = write_sheet(book, name, frame, widths={k: v for k, v in WIDE.items() if k in frame.columns},
                        header=book.format(**HEADER), wrap=set(WIDE), hidden=hidden)
    sheet.ws.repeat_rows(0)
    sheet.ws.set_landscape()
    sheet.ws.fit_to_pages(1, 0)
    return sheet


def _banner(book: Book, sheet: Sheet, lines: list[str], columns: int) -> None:
    """The data banner under a sheet's table, after an empty row, merged across its columns, wrapped."""
    sheet.skip()
    for i, text in enumerate(lines):
        sheet.merged(text, max(columns, 1) - 1, book.format(**BANNER, bold=(i == 0)), height=BANNER_HEIGHT)


def write_target_list(analysis: Analysis, path: str | Path, tracking: dict[str, Any] | None = None,
                      with_phones: bool = False) -> Path:
    """Write the list of an analysis as .xlsx, .csv (the target sheet, UTF-8 with BOM) or .json
    (completeness, gaps and targets).

    The .xlsx has 概览, 缺链清单, 目标企业清单, 说明, and the team columns' hidden keys, the library
    and print sheets (`reports.team_columns`); `tracking` (row key -> state) fills the team columns."""
    a = analysis
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv", ".xlsx"):
        raise unsupported_kind(path, ".xlsx/.csv/.json")
    if suffix == ".json":
        with writing(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(a.to_json(), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    elif suffix == ".csv":
        write_csv(targets_frame(a), path)
    else:
        team = team_sheets(a.graph.tables, a.to_json(), tracking, with_phones)  # issue 13: kept across reruns
        targets = targets_frame(a).drop(columns=TEAM_COLUMNS)
        bureau, today = tracking_settings()["tracking"]["bureau_name"], dt.date.today().isoformat()
        with Book(path) as book:
            overview = overview_frame(a)
            sheet = _sheet(book, "概览", overview)
            if a.banner:  # below the overview, on the first sheet: what the data is (issue 11)
                _banner(book, sheet, a.banner.lines(), len(overview.columns))
            _sheet(book, "缺链清单", gaps_frame(a))
            _sheet(book, TARGET_SHEET, pd.concat([targets, team.columns.set_axis(targets.index)], axis=1), HIDDEN)
            write_sheet(book, LIBRARY, team.library, widths=LIBRARY_WIDTHS)
            _sheet(book, "说明", _notes(a.settings))
            add_print_sheets(book, PRINT_TARGETS, team.per_gap, bureau, today, widths=PER_GAP_WIDTHS)
            add_print_sheets(book, PRINT_LIBRARY, print_frame(team.library), bureau, today, widths=PRINT_WIDTHS)
    return path
