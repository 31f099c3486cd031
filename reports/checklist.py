"""The verification checklist (核实清单): one row per doubtful fact in the tables, for the bureau to check.

A fact is doubtful when its row is not marked 已核实 and it matters to the analysis or says itself
that it is uncertain: every local or neighbouring firm and plant (they decide what counts as covered),
every 专精特新 level (official lists are the bureau's), every plant under construction or planned, every
row whose note or source says 未核 / 待核实 / 推断, and every local plant whose process route is unknown
although its product has several routes. Rows marked 已核实 are left out.

Example:
    >>> from loaders import load
    >>> tables, _ = load(None)
    >>> frame = checklist_frame(tables)
    >>> write_checklist(tables, Path("核实清单.xlsx"))  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.output import unsupported_kind
from loaders.spreadsheet import write_workbook
from queries.vocabulary import UNDER_WAY, UNVERIFIED, VERIFIED


DOUBT_MARKS = ("未核", "待核实", "未经", "未逐", "推断", "以工商登记为准", "以公开信息核实", "以企业公示信息核实")
COLUMNS = ["优先级 / priority", "表 / table", "编号 / id", "事实 / fact", "存疑原因 / why doubtful",
           "核实途径 / where to check", "核实状态 / status", "核实日期 / checked on", "核实结果 / finding"]
TABLE_ZH = {"enterprises": "企业", "produces": "企业-产品", "feeds": "投入产出", "products": "产品"}
WHERE = {
    "firm": "国家企业信用信息公示系统（名称、登记状态、住所）；乌海市工信局及园区管委会企业名录",
    "listing": "上交所/深交所/北交所/港交所公告（上市状态、证券代码）；国家企业信用信息公示系统",
    "srdi": "工信部专精特新“小巨人”企业公示名单；省（区）工信厅专精特新中小企业名单",
    "plant": "企业年报或官网；全国排污许可证管理信息平台（产品、产能、工艺）；项目环评公示；园区管委会",
    "route": "项目环评报告书或排污许可证（生产工艺）；企业官网；园区管委会",
    "flow": "工艺教材、行业标准或企业环评报告（原料与工艺）",
}
HIGH, MEDIUM = "高 / high", "中 / medium"
DOUBTS_ZH = "出处称未核实或系推断"


def checklist_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every doubtful fact of the loaded tables, local firms and plants first.

    Tables loaded without the verification columns count as all 待核实. `核实结果` is left empty for
    the team. Ids name the row (`enterprise_id`, `enterprise_id / product_id`, `input → output`), so
    the list stays right when rows are added or rejected.
    """
    firms = tables["enterprises"].set_index("enterprise_id")
    local = set(firms.index[_text(firms, "region_id") != ""])
    names = _text(firms, "name")
    product_names = _text(tables["products"].set_index("product_id"), "name_zh")
    rows = _firm_rows(tables["enterprises"], local)
    rows += _plant_rows(tables["produces"], local, names, product_names, tables.get("routes"))
    rows += _note_rows("feeds", tables["feeds"], lambda r: f"{product_names.get(r['input_id'], r['input_id'])} → "
                       f"{product_names.get(r['output_id'], r['output_id'])}",
                       lambda r: f"{r['input_id']} → {r['output_id']}")
    rows += _note_rows("products", tables["products"], lambda r: f"产品 {r['name_zh']}", lambda r: r["product_id"])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    order = frame[COLUMNS[0]].map({HIGH: 0, MEDIUM: 1})
    return frame.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def write_checklist(tables: dict[str, pd.DataFrame], path: Path, notes: list[str] | None = None) -> Path:
    """Write 核实清单.xlsx: the checklist sheet, then 说明 (how to use it, plus any `notes` lines,
    e.g. the demonstration banner). Cells are written as text, never as formulas."""
    if Path(path).suffix.lower() != ".xlsx":
        raise unsupported_kind(path, ".xlsx")
    about = ["本清单列出数据中尚未核实、且影响分析结论的事实，每行一条。",
             "核实后请在源表（企业表、企业-产品表）的“核实状态”填“已核实”，“核实日期”填核实当天（YYYY-MM-DD），重新载入后该行不再列出。",
             "“优先级 高”为本地及周边企业和装置：它们决定哪些环节算作本地已有。",
             "This list names every fact not yet confirmed that the analysis relies on, one per row. "
             "When confirmed, set 核实状态 to 已核实 and 核实日期 to the date in the source table and reload.",
             *(notes or [])]
    return write_workbook(Path(path), {"核实清单": checklist_frame(tables),
                                       "说明": pd.DataFrame({"说明 / notes": about})})


def _firm_rows(enterprises: pd.DataFrame, local: set[str]) -> list[list[str]]:
    rows = []
    for r in _records(enterprises):
        if r.get("verified", "") == VERIFIED:
            continue
        status = r.get("verified", "") or UNVERIFIED
        checked = r.get("verified_on", "")
        eid, name = r["enterprise_id"], r["name"]
        base = [_table("enterprises"), eid]
        if eid in local:
            why = f"本地/周边企业，出处为公开报道（{r['source'] or '无'}），未经本次核实"
            rows.append([HIGH, *base, f"{name}：{r['city']}，{r['region_id']}", why, WHERE["firm"], status, checked])
        if r["srdi_level"]:
            rows.append([HIGH if eid in local else MEDIUM, *base, f"{name}：{r['srdi_level']}",
                         "专精特新层级未与工信部/省工信厅名单原文核对", WHERE["srdi"], status, checked])
        if eid not in local and _doubtful(r["note"]):
            rows.append([MEDIUM, *base, f"{name}：{r['listed_code'] or '未上市'}，{r['province']}{r['city']}",
                         r["note"], WHERE["listing"], status, checked])
    return [row + [""] for row in rows]


def _plant_rows(produces: pd.DataFrame, local: set[str], names: pd.Series, product_names: pd.Series,
                routes: pd.DataFrame | None) -> list[list[str]]:
    routes_of: dict[str, list[str]] = {}
    if routes is not None:
        for r in _records(routes):
            routes_of.setdefault(r["product_id"], []).append(f"{r['name_zh']}（{r['route_id']}）")
    rows = []
    for r in _records(produces):
        if r.get("verified", "") == VERIFIED:
            continue
        status, checked = r.get("verified", "") or UNVERIFIED, r.get("verified_on", "")
        eid, pid = r["enterprise_id"], r["product_id"]
        firm, product = names.get(eid, eid), product_names.get(pid, pid)
        capacity = f" {r['capacity']}{r['unit']}" if r["capacity"] else ""
        route = r.get("route_id", "")
        fact = f"{firm}：{r['status']} {product}{capacity}" + (f"，路线 {route}" if route else "")
        base = [_table("produces"), f"{eid} / {pid}"]
        is_local = eid in local
        if is_local or r["status"] in UNDER_WAY or _doubtful(r["source"]):
            why = ("本地/周边装置的状态与产能据公开报道，未经本次核实" if is_local else
                   f"{r['status']}项目，进展未核实" if r["status"] in UNDER_WAY else DOUBTS_ZH)
            if r["source"]:
                why += f"（出处：{r['source']}）"
            rows.append([HIGH if is_local else MEDIUM, *base, fact, why, WHERE["plant"], status, checked])
        if is_local and not route and len(routes_of.get(pid, [])) > 1:
            rows.append([HIGH, *base, f"{firm} 生产{product}所用的工艺路线",
                         "该产品有多条工艺路线：" + "、".join(routes_of[pid]) + "；本装置采用哪条未知，影响本地原料需求判断",
                         WHERE["route"], status, checked])
    return [row + [""] for row in rows]


def _note_rows(table: str, frame: pd.DataFrame, fact, key) -> list[list[str]]:
    return [[MEDIUM, _table(table), key(r), fact(r), r["note"], WHERE["flow"], UNVERIFIED, "", ""]
            for r in _records(frame) if "待核实" in r.get("note", "")]


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Rows as text: empty for missing, whole numbers without a decimal point (40.0 -> "40")."""
    def text(v: object) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    return [{k: text(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _table(name: str) -> str:
    return f"{TABLE_ZH[name]} / {name}"


def _doubtful(text: str) -> bool:
    return any(mark in text for mark in DOUBT_MARKS)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].fillna("").astype(str) if column in frame else pd.Series("", index=frame.index)

