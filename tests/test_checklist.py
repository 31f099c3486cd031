"""The verification checklist and the data banner on small hand-built tables (counts worked by hand)."""
from __future__ import annotations

import argparse

import pandas as pd
import pytest
from openpyxl import load_workbook

from cli.checklist_cmd import add_checklist_parser
from reports.banner import data_banner
from reports.checklist import COLUMNS, checklist_frame, write_checklist

PRIORITY, TABLE, ID, FACT, WHY = COLUMNS[:5]


def frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows).fillna("")


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    """wuhai ⊃ wuhai_park; alxa a neighbour. W1 local, unconfirmed, runs PVC on an unknown route;
    W2 local and confirmed; L1 elsewhere with a doubtful note and a PVC plant being built; S1 a
    专精特新 firm elsewhere; L2 elsewhere, nothing doubtful."""
    return {
        "regions": frame([{"region_id": "wuhai", "parent_id": ""}, {"region_id": "wuhai_park", "parent_id": "wuhai"},
                          {"region_id": "alxa", "parent_id": ""}]),
        "products": frame([{"product_id": "pvc", "name_zh": "聚氯乙烯", "note": ""},
                           {"product_id": "vcm", "name_zh": "氯乙烯", "note": ""},
                           {"product_id": "thf", "name_zh": "四氢呋喃", "note": ""}]),
        "routes": frame([{"route_id": "pvc:carbide", "product_id": "pvc", "name_zh": "电石法"},
                         {"route_id": "pvc:ethylene", "product_id": "pvc", "name_zh": "乙烯法"}]),
        "feeds": frame([{"input_id": "vcm", "output_id": "pvc", "note": "悬浮聚合"},
                        {"input_id": "thf", "output_id": "vcm", "note": "用途待核实"}]),
        "enterprises": frame([
            {"enterprise_id": "W1", "name": "=甲化工", "city": "乌海市", "region_id": "wuhai_park", "srdi_level": "",
             "listed_code": "", "province": "内蒙古自治区", "source": "报道2012", "note": "", "verified": "待核实"},
            {"enterprise_id": "W2", "name": "乙化工", "city": "乌海市", "region_id": "wuhai", "srdi_level": "",
             "listed_code": "", "province": "内蒙古自治区", "source": "年报2025", "note": "",
             "verified": "已核实", "verified_on": "2026-12-01"},
            {"enterprise_id": "L1", "name": "丙集团", "city": "北京市", "region_id": "", "srdi_level": "",
             "listed_code": "", "province": "北京市", "source": "官网", "note": "IPO进展未核实", "verified": ""},
            {"enterprise_id": "S1", "name": "丁科技", "city": "常州市", "region_id": "", "srdi_level": "专精特新",
             "listed_code": "", "province": "江苏省", "source": "官网", "note": "", "verified": ""},
            {"enterprise_id": "L2", "name": "戊股份", "city": "上海市", "region_id": "", "srdi_level": "",
             "listed_code": "600000.SH", "province": "上海市", "source": "年报", "note": "", "verified": ""},
            {"enterprise_id": "N1", "name": "己化工", "city": "阿拉善盟", "region_id": "alxa", "srdi_level": "",
             "listed_code": "", "province": "内蒙古自治区", "source": "年报2025", "note": "",
             "verified": "已核实", "verified_on": "2026-12-01"},
        ]),
        "produces": frame([
            {"enterprise_id": "W1", "product_id": "pvc", "capacity": "40", "unit": "万吨/年", "status": "在产",
             "route_id": "", "source": "报道2012", "verified": ""},
            {"enterprise_id": "W1", "product_id": "vcm", "capacity": "", "unit": "", "status": "在建",
             "route_id": "", "source": "", "verified": ""},
            {"enterprise_id": "W2", "product_id": "thf", "capacity": "3", "unit": "万吨/年", "status": "在产",
             "route_id": "", "source": "年报2025", "verified": "已核实", "verified_on": "2026-12-01"},
            {"enterprise_id": "L1", "product_id": "pvc", "capacity": "", "unit": "", "status": "在建",
             "route_id": "pvc:ethylene", "source": "公告", "verified": ""},
            {"enterprise_id": "L2", "product_id": "pvc", "capacity": "", "unit": "", "status": "在产",
             "route_id": "", "source": "年报", "verified": ""},
        ]),
    }


def test_checklist_rows_by_hand(tables):
    f = checklist_frame(tables)
    # W1 firm; W1 pvc plant + its unknown route (pvc has two routes); W1 vcm plant (no route question:
    # vcm has no routes here); L1 note; S1 level; L1 pvc 在建; the feeds row whose note says 待核实.
    expected = {("企业 / enterprises", "W1"), ("企业-产品 / produces", "W1 / pvc"), ("企业-产品 / produces", "W1 / vcm"),
                ("企业 / enterprises", "L1"), ("企业 / enterprises", "S1"), ("企业-产品 / produces", "L1 / pvc"),
                ("投入产出 / feeds", "thf → vcm")}
    assert set(zip(f[TABLE], f[ID])) == expected
    assert len(f) == 8  # W1 / pvc twice: the plant, and which route it runs
    assert list(f[PRIORITY]).count("高 / high") == 4 and f[PRIORITY].iloc[:4].eq("高 / high").all()
    route_row = f[(f[ID] == "W1 / pvc") & f[FACT].str.contains("工艺路线")]
    assert len(route_row) == 1 and "电石法" in route_row[WHY].iloc[0] and "乙烯法" in route_row[WHY].iloc[0]
    assert not f[ID].isin(["W2", "W2 / thf", "N1", "L2", "L2 / pvc"]).any()  # confirmed or nothing doubtful


def test_checklist_without_verification_columns_counts_everything_unconfirmed(tables):
    for name in ("enterprises", "produces"):
        tables[name] = tables[name].drop(columns=["verified", "verified_on"])
    f = checklist_frame(tables)
    # now also W2 (local firm), W2 / thf (local plant) and N1 (neighbour firm): 8 + 3
    assert len(f) == 11 and {"W2", "W2 / thf", "N1"} <= set(f[ID])
    assert f["核实状态 / status"].eq("待核实").all()


def test_checklist_workbook_keeps_text_as_text(tables, tmp_path):
    path = write_checklist(tables, tmp_path / "核实清单.xlsx", notes=["演示数据 / demonstration data"])
    wb = load_workbook(path)
    assert wb.sheetnames == ["核实清单", "说明"]
    ws = wb["核实清单"]
    assert [c.value for c in ws[1]] == COLUMNS
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)  # "=甲化工…" stays text, not a formula
    assert wb["说明"].cell(row=wb["说明"].max_row, column=1).value == "演示数据 / demonstration data"


def test_banner_counts_by_hand(tables):
    b = data_banner(tables, demo=True)
    # local = wuhai and wuhai_park: W1, W2 (N1 is in alxa). Plants of W1, W2: 3, of which 在产 2.
    # Confirmed: firms W2, N1 and plant W2 / thf = 3 of 6 + 5 = 11 rows; local confirmed: W2, W2 / thf.
    assert (b.local_firms, b.local_plants, b.local_operating) == (2, 3, 2)
    assert (b.confirmed_rows, b.rows, b.local_confirmed) == (3, 11, 2)
    assert b.zh.startswith("演示数据") and "本地企业 2 家" in b.zh and "已核实 3 行" in b.zh
    assert "chainkg template" in b.zh and "--data" in b.en and "Demonstration data" in b.en
    assert b.lines() == [b.zh, b.en]


def test_banner_for_the_bureaus_own_data_does_not_say_demonstration(tables):
    b = data_banner(tables, demo=False)
    assert "演示" not in b.zh and "Demonstration" not in b.en


def test_checklist_command_on_builtin_data(tmp_path):
    ap = argparse.ArgumentParser()
    add_checklist_parser(ap.add_subparsers(dest="command"))
    out = tmp_path / "list.xlsx"
    args = ap.parse_args(["checklist", "--out", str(out)])
    args.func(args)
    wb = load_workbook(out)
    assert wb["核实清单"].max_row > 100  # the demonstration data is mostly unconfirmed
    notes = [r[0].value for r in wb["说明"].iter_rows(min_row=2)]
    assert any(str(v).startswith("演示数据") for v in notes)
