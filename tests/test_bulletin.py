"""The bulletin, from a hand-built table of dated project rows that reproduces the seed report's
figures by counting rows: 94.6 %, 88.9 %, 83.09 % and +33.8 %, with the boundary rows the rules name."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tracking.bulletin import EventRow, MoneyRow, ProjectRow, TeamStage, bulletin, parse_period
from tracking.settings import tracking_settings

D, M = dt.date, Decimal


def key_projects() -> list[ProjectRow]:
    """296 key projects of 2023 (144 new builds, 152 continuing), one below 500 万, one of 2022's list."""
    rows = []
    for i in range(127):  # new builds started March..August
        rows.append(ProjectRow(f"N{i:03d}", f"新建{i}", "海南区", M("1"), key_project=True, plan_year=2023,
                               new_build=True, started_on=D(2023, 3 + i % 6, 1 + i % 28)))
    # Boundary: started on 2023-09-10, the last day of 9月上旬 -> counts at that cut-off.
    rows.append(ProjectRow("N127", "上旬最后一天开工", "海南区", M("1"), key_project=True, plan_year=2023,
                           new_build=True, started_on=D(2023, 9, 10)))
    rows.append(ProjectRow("N128", "中旬开工", "乌达区", M("1"), key_project=True, plan_year=2023, new_build=True,
                           started_on=D(2023, 9, 11)))  # after the cut-off: not started yet
    rows += [ProjectRow(f"N{i:03d}", f"未开工{i}", "乌达区", M("1"), key_project=True, plan_year=2023, new_build=True)
             for i in range(129, 144)]  # 15 not started
    # 152 continuing projects started in 2022 and resumed (复工) in 2023 by the cut-off.
    rows += [ProjectRow(f"C{i:03d}", f"续建{i}", "乌达区", M("2"), key_project=True, plan_year=2023,
                        started_on=D(2022, 6, 1), resumed_on=D(2023, 3, 1 + i % 28)) for i in range(152)]
    # Excluded: a key project below 500 万 (0.04 亿) that started, and a project of 2022's list.
    rows.append(ProjectRow("T01", "四百万项目", "海南区", M("0.04"), key_project=True, plan_year=2023, new_build=True,
                           started_on=D(2023, 5, 1)))
    rows.append(ProjectRow("L01", "去年重点", "海南区", M("3"), key_project=True, plan_year=2022, new_build=True,
                           started_on=D(2023, 4, 1)))
    return rows


FUNDS_PROJECTS = [
    ProjectRow("M1", "恰好十亿项目", "海南区", M("10.00"), started_on=D(2023, 1, 5), signed_on=D(2023, 1, 3),
               agreement_investment=M("10.00")),
    ProjectRow("M2", "百亿项目", "乌达区", M("120"), started_on=D(2022, 5, 1)),
    ProjectRow("S1", "三亿项目", "海南区", M("3"), started_on=D(2022, 3, 1), signed_on=D(2023, 6, 30),
               agreement_investment=M("3")),
    ProjectRow("T02", "四百万项目", "海南区", M("0.04"), started_on=D(2023, 2, 1)),
]
FUNDS = [
    # 2023, January..July: majors 5.33 + 100.00 = 105.33; all 105.33 + 21.43 = 126.76.
    MoneyRow("M1", D(2023, 7, 31), "domestic", M("5.33")),  # 10.00 亿 exactly: a major project
    MoneyRow("M2", D(2023, 2, 10), "domestic", M("60.00")),
    MoneyRow("M2", D(2023, 6, 1), "domestic", M("40.00")),
    MoneyRow("S1", D(2023, 4, 15), "domestic", M("11.43")),
    MoneyRow("S1", D(2023, 7, 1), "domestic", M("10.00")),
    MoneyRow("S1", D(2023, 8, 1), "domestic", M("9.99")),  # after the period: not counted
    MoneyRow("T02", D(2023, 3, 1), "domestic", M("0.50")),  # below 500 万: not counted
    # 2022, same days: 80.00 + 14.74 = 94.74; (126.76 - 94.74) / 94.74 = 33.80 %.
    MoneyRow("M2", D(2022, 6, 30), "domestic", M("80.00")),
    MoneyRow("S1", D(2022, 5, 15), "domestic", M("14.74")),
    MoneyRow("S1", D(2022, 8, 15), "domestic", M("5.00")),  # after last year's same period
    MoneyRow("M2", D(2023, 7, 20), "completed", M("12.5")),
]


@pytest.fixture(scope="module")
def settings():
    return tracking_settings()


def test_periods():
    assert (parse_period("2023-09-上旬").start, parse_period("2023-09-上旬").end) == (D(2023, 9, 1), D(2023, 9, 10))
    assert parse_period("2023-02-3").end == D(2023, 2, 28) and parse_period("2024-02-下旬").end == D(2024, 2, 29)
    assert parse_period("2023-09-15").label == "2023年9月中旬"
    assert parse_period("2023-08", kind="季").end == D(2023, 9, 30)
    assert parse_period("2023-08", kind="年").start == D(2023, 1, 1)
    for bad, kind in (("2023-13", None), ("九月", None), ("2023-09", "旬")):
        with pytest.raises(ValueError):
            parse_period(bad, kind)


def test_funds_reproduce_the_seed(settings):
    b = bulletin(parse_period("2023-07"), FUNDS_PROJECTS, FUNDS, [], [], settings)
    f = b.figures
    assert f["domestic_ytd"].value == pytest.approx(126.76)
    assert f["domestic_last_year"].value == pytest.approx(94.74)
    assert f"{f['domestic_yoy'].value:.1f}" == "33.8"
    assert f["major_funds"].value == pytest.approx(105.33)
    assert f"{f['major_share'].value:.2f}" == "83.09"
    assert f["domestic_period"].value == pytest.approx(15.33)  # July alone: 5.33 + 10.00
    assert {r["project"] for r in f["domestic_ytd"].rows} == {"M1", "M2", "S1"}  # traceable, T02 and August out
    assert len(f["domestic_ytd"].rows) == 5
    assert (f["signed"].value, f["agreement"].value) == (2, 13.0)
    assert "引进国内到位资金126.76亿元，同比增长33.8%" in b.paragraph
    assert "10亿元以上重大项目到位资金105.33亿元，占总到位资金的83.09%" in b.paragraph
    assert b.paragraph.startswith("今年前7个月，乌海市共实施总投资500万元以上招商引资项目")


def test_starts_reproduce_the_seed(settings):
    b = bulletin(parse_period("2023-09-上旬"), key_projects(), [], [], [], settings)
    f = b.figures
    assert (f["key_projects"].value, f["key_going"].value) == (296, 280)
    assert f"{f['start_rate'].value:.1f}" == "94.6"
    assert (f["new_projects"].value, f["new_started"].value) == (144, 128)
    assert f"{f['new_rate'].value:.1f}" == "88.9"
    going = {r["project"]: r["note"] for r in f["key_going"].rows}
    assert going["N127"] == "开工" and going["C000"] == "复工" and "N128" not in going and "T01" not in going
    assert "截至9月上旬，乌海市实施的296个市级重点项目已开复工280个，开复工率为94.6%" in b.paragraph
    assert "新建项目144个，已开工128个，开工率88.9%" in b.paragraph
    # One 旬 later, the project started on 9月11日 counts: 129 of 144.
    later = bulletin(parse_period("2023-09-中旬"), key_projects(), [], [], [], settings)
    assert later.figures["new_started"].value == 129


def test_rate_change_is_in_points_and_ranking_uses_the_weights(settings):
    rows = key_projects() + [ProjectRow("K22", "去年重点二", "海南区", M("1"), key_project=True, plan_year=2022,
                                        started_on=D(2022, 10, 1))]
    b = bulletin(parse_period("2023-09-上旬"), rows, FUNDS, [], [], settings)
    # 2022's list: L01 (started 2023: not in 2022's window) and K22 (started after 2022-09-10): 0 of 2 -> 0 %.
    assert b.figures["start_rate_change"].unit == "百分点"
    assert b.figures["start_rate_change"].value == pytest.approx(94.59, abs=0.01)
    events = [EventRow("第一小分队", "海南区", "E1", D(2023, 8, 1), "接洽", "走访企业"),
              EventRow("第一小分队", "海南区", "E2", D(2023, 8, 2), "接洽", "走访企业"),
              EventRow("第二小分队", "乌达区", "E1", D(2023, 8, 3), "考察", "外出招商")]
    b = bulletin(parse_period("2023-09-上旬"), rows + FUNDS_PROJECTS, FUNDS, events,
                 [TeamStage("第一小分队", "接洽", "E1"), TeamStage("第一小分队", "", "E2")], settings)
    assert (b.figures["firms_visited"].value, b.figures["groups_sent"].value) == (2, 1)
    assert b.team_stages[0]["接洽"] == 1 and b.team_stages[0]["未开始"] == 1
    rank = {r["district"]: r for r in b.ranking}
    # 海南区: domestic 5.33+11.43+10+9.99(Aug, by 9月上旬) = 36.75 vs 乌达区 100 -> 30*0.3675;
    # completed 0 vs 12.5 -> 0 and 20; signed 2 vs 0 -> 20 and 0; start rate 128/128 (100 %) vs
    # 152/168 (N128..N143 not started; 90.48 %) -> 20 and 20*0.9048; visits 2 vs 1 -> 10 and 5.
    hn, wd = rank["海南区"], rank["乌达区"]
    assert hn["domestic_funds"] == pytest.approx(36.75) and wd["domestic_funds"] == pytest.approx(100.0)
    assert hn["start_rate"] == 100.0 and wd["start_rate"] == pytest.approx(90.48)
    assert hn["score"] == pytest.approx(30 * 36.75 / 100 + 0 + 20 + 20 + 10, abs=0.01)  # 61.03
    assert wd["score"] == pytest.approx(30 + 20 + 0 + 20 * 0.9048 + 5, abs=0.01)  # 73.10
    assert [(r["rank"], r["district"]) for r in b.ranking] == [(1, "乌达区"), (2, "海南区")]


def test_writers(settings, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    from reports.bulletin import write_bulletin

    b = bulletin(parse_period("2023-07"), FUNDS_PROJECTS + key_projects(), FUNDS, [], [], settings)
    wb = load_workbook(write_bulletin(b, tmp_path / "通报.xlsx", "乌海市投资促进局", "2023-08-01"))
    assert wb.sheetnames == ["通报", "指标", "依据", "小分队进展", "赛马比拼", "说明", "通报(打印)"]
    assert wb["通报"]["B1"].value is None and wb["通报"]["A2"].value == b.paragraph
    evidence = [[c.value for c in row] for row in wb["依据"].iter_rows(min_row=2)]
    assert sum(1 for r in evidence if r[0] == "国内到位资金（年初至今）") == 5
    assert any("恰好10.00亿元" in r[0] for r in [[c.value] for c in wb["说明"]["A"]] if r[0])
    doc = Document(write_bulletin(b, tmp_path / "通报.docx", "乌海市投资促进局"))
    assert doc.paragraphs[0].text.startswith("乌海市投资促进局招商引资工作月通报") and len(doc.tables) >= 2
    page = write_bulletin(b, tmp_path / "通报.html", "<b>局</b>").read_text(encoding="utf-8")
    assert "&lt;b&gt;局&lt;/b&gt;" in page and "<b>" not in page
    assert "http://" not in page and "https://" not in page  # nothing fetched from another host


def test_bulletin_from_the_store(tmp_path):
    """Rows entered through the tracking layer give the same figures as the plain rows."""
    import shutil

    from tracking.db import open_tracking

    open_tracking(tmp_path / "ws")  # before importing anything that touches the models
    from tracking.bulletin_data import bulletin_from_store
    from tracking.people import acting_user, add_district
    from tracking.projects import add_money, add_project

    u = acting_user("统计员")
    add_district(u, "海南区")
    add_district(u, "乌达区")
    for p in FUNDS_PROJECTS:
        add_project(u, p.code, p.name, district=p.district, total_investment=p.total_investment,
                    agreement_investment=p.agreement_investment, signed_on=p.signed_on, started_on=p.started_on)
    for m in FUNDS:
        add_money(u, m.code, m.date, m.kind, m.amount)
    f = bulletin_from_store(parse_period("2023-07")).figures
    assert f["domestic_ytd"].value == pytest.approx(126.76) and f"{f['major_share'].value:.2f}" == "83.09"
    from django.db import connections
    connections.close_all()
    shutil.rmtree(tmp_path / "ws")
