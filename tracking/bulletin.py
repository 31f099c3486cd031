"""The bulletins (旬调度 / 月通报 / 季总结 / 年排名): plain computation over dated rows, no Django.

Rules (also written into the bulletin's 说明):

- A period is a 旬 (days 1-10, 11-20, 21-end of month), a month, a quarter or a year; its cut-off is
  its last day. Money figures are year to date (1 January to the cut-off) with the in-period figure
  beside them; a money entry dated after the cut-off is not counted.
- Only projects with 总投资 of at least `bulletin.min_investment` 亿元 are counted (0.05 = 500 万元,
  as in the report); "以上" includes the threshold: a project of exactly 10.00 亿 is a 10 亿元以上 project.
- 同比 of an amount is relative: (this year - last year) / last year, over the same days of last year.
  The change of a rate is in 百分点 (percentage points) and labelled so.
- 市级重点项目 are the projects flagged key whose plan year is the cut-off's year (no plan year: that
  year). 开复工 = started (开工) or resumed (复工) between 1 January and the cut-off; a project started
  last year counts when its 复工 date is in that window. 开工率 is over the key projects flagged 新建.
- 正在实施 = counted projects started or resumed by the cut-off and not in operation before 1 January.
- New signings: 签约 date in the year-to-date window; 协议总投资 sums their agreement investment.
- Ranking (赛马比拼): each measure of `ranking.weights` scores value / best value × weight; the sum ranks
  the districts and departments.

>>> parse_period("2023-09-上旬").label, parse_period("2023-09").end, parse_period("2023-Q3").kind
('2023年9月上旬', datetime.date(2023, 9, 30), '季')
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

XUN = {"上旬": 1, "中旬": 2, "下旬": 3, "1": 1, "2": 2, "3": 3}
XUN_ZH = {1: "上旬", 2: "中旬", 3: "下旬"}
KINDS = ("旬", "月", "季", "年")


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date
    label: str

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.end.year, 1, 1)


def _xun(year: int, month: int, n: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    start, end = {1: (1, 10), 2: (11, 20), 3: (21, last)}[n]
    return Period("旬", dt.date(year, month, start), dt.date(year, month, end), f"{year}年{month}月{XUN_ZH[n]}")


def parse_period(text: str, kind: str | None = None) -> Period:
    """'2023', '2023-Q3', '2023-09', '2023-09-上旬' (or -1/-2/-3), '2023-09-15' (the 旬 holding it).

    With `kind`, the period of that kind holding the given one's last day (a month with kind 旬
    needs a 旬 or a day).
    """
    t = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-Q([1-4])|-(\d{1,2})(?:-(上旬|中旬|下旬|[123]|\d{2}))?)?", t)
    if not m or (m[3] and not 1 <= int(m[3]) <= 12):
        raise ValueError(f"期间“{text}”应为 2023、2023-Q3、2023-09 或 2023-09-上旬 / period '{text}' must look like "
                         f"2023, 2023-Q3, 2023-09 or 2023-09-上旬")
    year = int(m[1])
    if m[2]:
        q = int(m[2])
        p = Period("季", dt.date(year, 3 * q - 2, 1), dt.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1]),
                   f"{year}年第{'一二三四'[q - 1]}季度")
    elif m[3] and m[4]:
        month = int(m[3])
        n = XUN[m[4]] if m[4] in XUN else min(3, (int(m[4]) - 1) // 10 + 1)
        p = _xun(year, month, n)
    elif m[3]:
        month = int(m[3])
        p = Period("月", dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]),
                   f"{year}年{month}月")
    else:
        p = Period("年", dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")
    if kind is None or kind == p.kind:
        return p
    if kind not in KINDS:
        raise ValueError(f"类型“{kind}”应为 旬/月/季/年 / kind must be one of 旬 月 季 年")
    if kind == "旬":
        if p.kind != "旬":
            raise ValueError("旬报请写明哪一旬，如 2023-09-上旬 / a 旬 bulletin needs the 旬, e.g. 2023-09-上旬")
    e = p.end
    return {"月": lambda: parse_period(f"{e.year}-{e.month:02d}"), "季": lambda: parse_period(f"{e.year}-Q{(e.month - 1) // 3 + 1}"),
            "年": lambda: parse_period(str(e.year))}[kind]()


@dataclass(frozen=True)
class ProjectRow:
    code: str
    name: str
    district: str = ""
    total_investment: Decimal | None = None
    agreement_investment: Decimal | None = None
    key_project: bool = False
    plan_year: int | None = None
    new_build: bool = False
    signed_on: dt.date | None = None
    started_on: dt.date | None = None
    resumed_on: dt.date | None = None
    operating_on: dt.date | None = None


@dataclass(frozen=True)
class MoneyRow:
    code: str
    date: dt.date
    kind: str  # domestic / foreign / completed
    amount: Decimal


@dataclass(frozen=True)
class EventRow:
    team: str
    district: str
    firm: str
    date: dt.date
    stage: str
    activity: str = ""


@dataclass(frozen=True)
class TeamStage:
    team: str
    latest_stage: str
    firm: str


@dataclass
class Figure:
    """One number of the bulletin and the rows behind it."""

    id: str
    label: str
    value: float | int | None
    unit: str
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Bulletin:
    period: Period
    figures: dict[str, Figure]
    paragraph: str
    team_stages: list[dict[str, Any]]
    ranking: list[dict[str, Any]]
    rules: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"period": asdict(self.period), "paragraph": self.paragraph, "team_stages": self.team_stages,
                "ranking": self.ranking, "rules": self.rules,
                "figures": {k: asdict(f) for k, f in self.figures.items()}}


def _last_year(d: dt.date) -> dt.date:
    return d.replace(year=d.year - 1, day=min(d.day, calendar.monthrange(d.year - 1, d.month)[1]))


def _in(d: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return d is not None and start <= d <= end


def _pct(num: float, den: float) -> float | None:
    return round(100 * num / den, 2) if den else None


def _money(projects: dict[str, ProjectRow], money: list[MoneyRow], kind: str, start: dt.date, end: dt.date,
           only: set[str] | None = None) -> tuple[Decimal, list[dict[str, Any]]]:
    rows = [m for m in money if m.kind == kind and m.code in projects and _in(m.date, start, end)
            and (only is None or m.code in only)]
    return sum((m.amount for m in rows), Decimal(0)), [
        {"project": m.code, "name": projects[m.code].name, "date": str(m.date), "amount": float(m.amount)} for m in rows]


def _starts(projects: list[ProjectRow], year: int, start: dt.date, end: dt.date) -> dict[str, Any]:
    key = [p for p in projects if p.key_project and (p.plan_year or year) == year]
    going = [p for p in key if _in(p.started_on, start, end) or _in(p.resumed_on, start, end)]
    new = [p for p in key if p.new_build]
    new_started = [p for p in new if _in(p.started_on, start, end)]
    return {"key": key, "going": going, "new": new, "new_started": new_started}


def _rows(ps: list[ProjectRow], note: str) -> list[dict[str, Any]]:
    return [{"project": p.code, "name": p.name, "date": str(p.resumed_on if note == "复工" and p.resumed_on else
                                                              p.started_on or ""), "amount": None, "note": note} for p in ps]


def bulletin(period: Period, projects: list[ProjectRow], money: list[MoneyRow], events: list[EventRow],
             team_stages: list[TeamStage], settings: dict[str, Any]) -> Bulletin:
    """Compute the bulletin for `period` from dated rows; see the module docstring for the rules."""
    b, t = settings["bulletin"], settings["tracking"]
    minimum, major = Decimal(str(b["min_investment"])), Decimal(str(b["major_investment"]))
    counted = {p.code: p for p in projects if p.total_investment is not None and p.total_investment >= minimum}
    y0, end, p0 = period.year_start, period.end, period.start
    ly0, lend = _last_year(y0), _last_year(end)
    f: dict[str, Figure] = {}

    def amount(fid, label, kind, start, stop, only=None):
        value, rows = _money(counted, money, kind, start, stop, only)
        f[fid] = Figure(fid, label, float(value), "亿元", rows)
        return value

    dom = amount("domestic_ytd", "国内到位资金（年初至今）", "domestic", y0, end)
    amount("domestic_period", "国内到位资金（本期）", "domestic", p0, end)
    dom_ly = amount("domestic_last_year", "国内到位资金（上年同期）", "domestic", ly0, lend)
    f["domestic_yoy"] = Figure("domestic_yoy", "国内到位资金同比", _pct(dom - dom_ly, dom_ly), "%")
    amount("foreign_ytd", "外资到位资金（年初至今）", "foreign", y0, end)
    done = amount("completed_ytd", "完成投资（年初至今）", "completed", y0, end)
    amount("completed_period", "完成投资（本期）", "completed", p0, end)
    done_ly = amount("completed_last_year", "完成投资（上年同期）", "completed", ly0, lend)
    f["completed_yoy"] = Figure("completed_yoy", "完成投资同比", _pct(done - done_ly, done_ly), "%")
    majors = {c for c, p in counted.items() if p.total_investment >= major}
    big = amount("major_funds", f"{major:g}亿元以上项目国内到位资金", "domestic", y0, end, majors)
    f["major_share"] = Figure("major_share", f"{major:g}亿元以上项目到位资金占比", _pct(big, dom), "%")
    under_way = [p for p in counted.values() if (_in(p.started_on, dt.date.min, end) or _in(p.resumed_on, dt.date.min, end))
                 and not (p.operating_on and p.operating_on < y0)]
    f["under_way"] = Figure("under_way", "正在实施项目", len(under_way), "个", _rows(under_way, "实施"))
    signed = [p for p in counted.values() if _in(p.signed_on, y0, end)]
    f["signed"] = Figure("signed", "新签约项目（年初至今）", len(signed), "个",
                         [{"project": p.code, "name": p.name, "date": str(p.signed_on),
                           "amount": float(p.agreement_investment or p.total_investment or 0)} for p in signed])
    f["agreement"] = Figure("agreement", "协议总投资", float(sum((p.agreement_investment or p.total_investment or Decimal(0))
                                                              for p in signed)), "亿元")
    s, s_ly = _starts(list(counted.values()), end.year, y0, end), _starts(list(counted.values()), end.year - 1, ly0, lend)
    f["key_projects"] = Figure("key_projects", "市级重点项目", len(s["key"]), "个", _rows(s["key"], "重点"))
    f["key_going"] = Figure("key_going", "已开复工", len(s["going"]), "个",
                            _rows([p for p in s["going"] if _in(p.started_on, y0, end)], "开工")
                            + _rows([p for p in s["going"] if not _in(p.started_on, y0, end)], "复工"))
    rate, rate_ly = _pct(len(s["going"]), len(s["key"])), _pct(len(s_ly["going"]), len(s_ly["key"]))
    f["start_rate"] = Figure("start_rate", "开复工率", rate, "%")
    f["start_rate_change"] = Figure("start_rate_change", "开复工率比上年同期", None if rate is None or rate_ly is None
                                    else round(rate - rate_ly, 2), "百分点")
    f["new_projects"] = Figure("new_projects", "新建项目", len(s["new"]), "个", _rows(s["new"], "新建"))
    f["new_started"] = Figure("new_started", "新建已开工", len(s["new_started"]), "个", _rows(s["new_started"], "开工"))
    f["new_rate"] = Figure("new_rate", "开工率", _pct(len(s["new_started"]), len(s["new"])), "%")
    in_year = [e for e in events if _in(e.date, y0, end)]
    for fid, label, activity in (("groups_sent", "派出工作组", "外出招商"), ("firms_visited", "考察走访企业", "走访企业"),
                                 ("visitors", "接待来访客商（批次）", "来访接待")):
        rows = [e for e in in_year if e.activity == activity]
        value = len({e.firm for e in rows}) if fid == "firms_visited" else len(rows)
        f[fid] = Figure(fid, label, value, "家" if fid == "firms_visited" else "次",
                        [{"project": e.firm, "name": e.team, "date": str(e.date), "amount": None, "note": activity}
                         for e in rows])
    stages = t["stages"]
    by_team: dict[str, dict[str, int]] = {}
    for ts in team_stages:
        by_team.setdefault(ts.team or "（未分配）", {s: 0 for s in ["未开始", *stages]})[ts.latest_stage or "未开始"] += 1
    team_rows = [{"team": k, **v, "total": sum(v.values())} for k, v in sorted(by_team.items())]
    ranking = _ranking(list(counted.values()), money, in_year, period, settings)
    return Bulletin(period, f, _paragraph(period, f, t["city"], b), team_rows, ranking, RULES)


def _ranking(projects: list[ProjectRow], money: list[MoneyRow], events: list[EventRow], period: Period,
             settings: dict[str, Any]) -> list[dict[str, Any]]:
    weights = settings["ranking"]["weights"]
    y0, end = period.year_start, period.end
    districts = sorted({p.district for p in projects if p.district} | {e.district for e in events if e.district})
    values: dict[str, dict[str, float]] = {}
    for d in districts:
        mine = {p.code: p for p in projects if p.district == d}
        s = _starts(list(mine.values()), end.year, y0, end)
        values[d] = {
            "domestic_funds": float(_money(mine, money, "domestic", y0, end)[0]),
            "completed": float(_money(mine, money, "completed", y0, end)[0]),
            "signed": sum(_in(p.signed_on, y0, end) for p in mine.values()),
            "start_rate": _pct(len(s["going"]), len(s["key"])) or 0.0,
            "visits": sum(e.district == d and e.activity in ("外出招商", "走访企业", "来访接待") for e in events),
        }
    best = {m: max((v[m] for v in values.values()), default=0) for m in weights}
    rows = []
    for d, v in values.items():
        score = sum(weights[m] * (v.get(m, 0) / best[m] if best[m] else 0) for m in weights)
        rows.append({"district": d, **{m: v.get(m, 0) for m in weights}, "score": round(score, 2)})
    rows.sort(key=lambda r: (-r["score"], r["district"]))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct_text(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}%"


def _change(value: float | None) -> str:
    if value is None:
        return "同比无可比数据"
    return f"同比增长{value:.1f}%" if value >= 0 else f"同比下降{-value:.1f}%"


def _paragraph(p: Period, f: dict[str, Figure], city: str, b: dict[str, Any]) -> str:
    e = p.end
    ytd = {"旬": f"今年截至{e.month}月{XUN_ZH[(e.day - 1) // 10 + 1 if e.day <= 20 else 3]}",
           "月": f"今年前{e.month}个月", "季": f"今年前{'一二三四'[(e.month - 1) // 3]}季度", "年": f"{e.year}年全年"}[p.kind]
    cut = {"旬": f"截至{e.month}月{XUN_ZH[(e.day - 1) // 10 + 1 if e.day <= 20 else 3]}", "月": f"截至{e.month}月底",
           "季": f"截至{'一二三四'[(e.month - 1) // 3]}季度末", "年": "截至年底"}[p.kind]
    minimum = float(Decimal(str(b["min_investment"])) * 10000)
    v = lambda k: f[k].value  # noqa: E731
    return (f"{ytd}，{city}共实施总投资{minimum:g}万元以上招商引资项目{v('under_way')}个，引进国内到位资金"
            f"{_fmt(v('domestic_ytd'))}亿元，{_change(v('domestic_yoy'))}；新签约项目总计{v('signed')}个，协议总投资"
            f"{_fmt(v('agreement'))}亿元。目前，正在实施的{b['major_investment']:g}亿元以上重大项目到位资金"
            f"{_fmt(v('major_funds'))}亿元，占总到位资金的{_pct_text(v('major_share'))}。"
            f"{cut}，{city}实施的{v('key_projects')}个市级重点项目已开复工{v('key_going')}个，开复工率为"
            f"{_pct_text(v('start_rate'), 1)}，完成投资{_fmt(v('completed_ytd'))}亿元，{_change(v('completed_yoy'))}；"
            f"新建项目{v('new_projects')}个，已开工{v('new_started')}个，开工率{_pct_text(v('new_rate'), 1)}。")


RULES = [
    "期间：旬（1–10日、11–20日、21日至月末）、月、季、年；截止日为期间最后一天 / a period's cut-off is its last day",
    "资金类指标为年初至截止日累计，并列出本期数；截止日以后的到位资金不计入 / money is year to date, the in-period figure beside it",
    "只统计总投资不低于门槛（默认500万元）的项目；“以上”含本数：恰好10.00亿元的项目计入10亿元以上 / thresholds are inclusive",
    "金额同比为相对增长率（%），与上年同期（相同日期区间）相比；比率的变化以“百分点”表示 / yoy of an amount is relative %, of a rate in points",
    "市级重点项目：标记为市级重点、计划年度为截止日所在年份的项目；开复工 = 1月1日至截止日内开工或复工，上年开工的续建项目以复工日期计 / key projects started or resumed this year",
    "开工率：市级重点项目中的新建项目，1月1日至截止日内开工的比例 / start rate of new-build key projects",
    "正在实施：已开工或复工、且并非年初前已投产的项目；新签约：签约日期在年初至截止日内，协议总投资为其协议投资之和 / under way; new signings",
    "赛马比拼：各区、各部门按参数中的指标和权重打分，每项得分 = 本单位值 ÷ 各单位最高值 × 权重 / ranking: value / best × weight, summed",
]
