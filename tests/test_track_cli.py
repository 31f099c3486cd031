"""The tracking commands, through a parser built from `add_track_parsers` as cli/main.py will."""
from __future__ import annotations

import argparse
import json

import pytest
from openpyxl import load_workbook

from cli.track_cmd import add_track_parsers


def run(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="chainkg")
    sub = ap.add_subparsers(dest="command", required=True)
    add_track_parsers(sub)
    args = ap.parse_args(argv)
    args.func(args)


@pytest.fixture
def home(tmp_path, tiny_dir, monkeypatch):
    from django.db import connections

    monkeypatch.setenv("CHAINKG_HOME", str(tmp_path / "工作区"))
    yield ["--data", str(tiny_dir), "--user", "管理员甲"]
    connections.close_all()


def test_assign_log_status_export(home, tmp_path, capsys):
    u = ["--user", "管理员甲"]
    run(["track", "district", "海南区", *u])
    run(["track", "team", "第一小分队", "--district", "海南区", *u])
    run(["track", "assign", "E3", "--product", "bdo", "--team", "第一小分队", "--priority", "A", "--contact", "赵经理",
         "--phone", "0473-1234567", *home])
    run(["track", "log", "E3", "--product", "bdo", "--stage", "接洽", "--date", "2023-09-05", "--note", "电话沟通",
         "--activity", "走访企业", *home])
    run(["track", "log", "E3", "--product", "bdo", "--stage", "接洽", "--date", "2023-09-05", "--note", "电话沟通",
         "--activity", "走访企业", *home])
    err = capsys.readouterr().err
    assert "已记录 / recorded" in err and "已记录过" in err
    run(["track", "status", "--json", *u])
    [s] = json.loads(capsys.readouterr().out)
    assert (s["team"], s["stage"], s["events"], s["contact_phone"]) == ("第一小分队", "接洽", 1, "")
    run(["track", "export", "--out", str(tmp_path / "联系清单.xlsx"), *u])
    wb = load_workbook(tmp_path / "联系清单.xlsx")
    assert wb.sheetnames == ["联系清单", "联系清单(打印)"]
    assert "联系电话 / phone" not in [c.value for c in wb["联系清单"][1]]
    run(["track", "export", "--out", str(tmp_path / "含电话.xlsx"), "--with-phones", *u])
    assert "0473-1234567" in [c.value for c in load_workbook(tmp_path / "含电话.xlsx")["联系清单"][2]]


@pytest.mark.parametrize("argv, code", [
    (["track", "assign", "E3", "--team", "不存在"], "unknown-team"),
    (["track", "assign", "E404"], "unknown-firm"),
    (["track", "log", "E3", "--stage", "喝茶", "--date", "2023-09-01"], "bad-stage"),
    (["track", "log", "E3", "--stage", "接洽", "--date", "2999-09-01"], "future-date"),
    (["project", "add", "P9", "项目", "--total-investment", "-1"], "negative-money"),
])
def test_bad_input_exits_with_a_bilingual_line(home, capsys, argv, code):
    with pytest.raises(SystemExit) as exit_:
        run([*argv, *home])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"[{code}]" in err and " / " in err and "Traceback" not in err


def test_projects_bulletin_and_library(home, tmp_path, capsys):
    u = ["--user", "管理员甲"]
    run(["track", "district", "海南区", *u])
    run(["project", "add", "X1", "恰好十亿项目", "--district", "海南区", "--total-investment", "10.00",
         "--investor", "E3", "--products", "bdo", "--signed-on", "2023-01-03", "--started-on", "2023-01-05",
         "--key-project", "是", "--new-build", "是", "--plan-year", "2023", *home])
    run(["project", "money", "X1", "--date", "2023-07-31", "--kind", "国内", "--amount", "5.33", *u])
    run(["project", "update", "X1", "--leader", "张副市长", "--task-force", "BDO专班", *home])
    capsys.readouterr()
    run(["project", "list", "--json", *u])
    [p] = json.loads(capsys.readouterr().out)
    assert (p["investor"], p["money_domestic"], p["leader"]) == ("丙集团股份有限公司", "5.3300", "张副市长")
    out = tmp_path / "月通报.docx"
    run(["bulletin", "--period", "2023-07", "--out", str(out), *u])
    printed = capsys.readouterr().out
    assert "引进国内到位资金5.33亿元" in printed and "占总到位资金的100.00%" in printed and out.exists()
    run(["library", "--out", str(tmp_path / "库.xlsx"), *home])
    assert load_workbook(tmp_path / "库.xlsx").sheetnames[0] == "目标企业库"
    run(["track", "assign", "E3", "--priority", "本季度", *home])
    capsys.readouterr()
    run(["library", "--with-tracking", *home])
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("本季度\t丙集团股份有限公司") and "警告" in captured.err


def test_import_command(home, tmp_path, tiny_dir, capsys):
    from graph import ChainGraph
    from loaders import load
    from queries.analysis import analyse
    from reports.target_list import write_target_list
    from reports.team_columns import KEY_HEADER, TARGET_SHEET, TEAM, header_key

    u = ["--user", "管理员甲"]
    run(["track", "team", "第一小分队", *u])
    tables, _ = load(tiny_dir)
    path = write_target_list(analyse(ChainGraph(tables)), tmp_path / "清单.xlsx")
    wb = load_workbook(path)
    ws = wb[TARGET_SHEET]
    cols = {header_key(c.value): c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, cols[header_key(KEY_HEADER)]).value == "id:E3|bdo")
    ws.cell(row, cols[header_key(TEAM)], "第一小分队")
    wb.save(path)
    run(["track", "import", str(path), *home])
    run(["track", "import", str(path), *home])
    lines = [x for x in capsys.readouterr().out.splitlines() if x.startswith("清单.xlsx")]
    assert "导入 1 +" in lines[0] and "导入 0 +" in lines[1]


@pytest.mark.parametrize("typed, firm", [("丙集团股份有限公司", "E3"), ("丁新材料有限公司 ", "E4"), ("戊化工集团有限公司", "E5")])
def test_a_firm_is_named_by_its_name_as_typed(home, capsys, typed, firm):
    """Tracking takes a firm's full name (spaces and full-width brackets aside) as well as its id."""
    run(["track", "assign", typed, *home])
    capsys.readouterr()
    run(["track", "status", "--json", "--user", "管理员甲"])
    assert [s["enterprise_id"] for s in json.loads(capsys.readouterr().out)] == [firm]


@pytest.mark.parametrize("typed, match", [("丙集团股分有限公司", "丙集团股份有限公司(E3)"), ("乙化学", "乙化学有限公司(E2)")])
def test_an_unknown_firm_names_the_closest(home, capsys, typed, match):
    with pytest.raises(SystemExit) as exit_:
        run(["track", "assign", typed, *home])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert "[unknown-firm]" in err and "未知企业" in err and "unknown firm" in err and match in err
