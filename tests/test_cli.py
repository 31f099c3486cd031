"""The command line on the built-in data and on broken or hostile input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.main import main, parse_addition
from conftest import TINY, write_tables
from queries.whatif import Addition
from test_loaders import bad_tables

SEED_FOCUS = ["针状焦", "环氧丙烷", "锂电池负极材料", "锂电池电解液", "磷酸铁锂正极材料", "硅基气凝胶复合材料", "有机硅",
              "特种硅橡胶", "颗粒硅", "纳米硅", "聚氯乙烯糊树脂", "氯化聚氯乙烯", "醋酸乙烯", "环氧乙烷", "苯甲酰氯",
              "聚四亚甲基醚二醇", "N-甲基吡咯烷酮", "氨纶", "生物降解塑料", "γ-丁内酯", "1,4-丁二醇"]


def run_json(capsys, *argv: str):
    main(list(argv))
    return json.loads(capsys.readouterr().out)


def test_stats_json_on_builtin_data(capsys) -> None:
    s = run_json(capsys, "stats", "--json")
    assert s["chains"] == 8 and s["products"] >= 150
    assert s["leaders"] == 157 and s["srdi"] == 100
    assert s["local_enterprises"] >= 25
    assert set(SEED_FOCUS) <= set(s["focus_products"])
    assert s["rows"]["read"] == s["rows"]["loaded"] + s["rows"]["rejected"]
    assert s["rows"]["rejected"] == 0
    assert set(s["edges"]) == {"PART_OF", "HAS_PRODUCT", "FEEDS", "LOCATED_IN", "PRODUCES", "INVESTS", "FOR_PRODUCT", "ROUTE_OF"}
    for key in ("regions", "projects"):
        assert s[key] > 0


def test_builtin_data_reencoded_and_as_xlsx_gives_same_counts(tmp_path: Path, capsys) -> None:
    import pandas as pd

    from loaders import BUILTIN
    base = run_json(capsys, "stats", "--json")
    gb = tmp_path / "gb18030"
    gb.mkdir()
    for f in BUILTIN.glob("*.csv"):
        (gb / f.name).write_bytes(f.read_text(encoding="utf-8").encode("gb18030"))
    book = tmp_path / "builtin.xlsx"
    with pd.ExcelWriter(book) as xw:
        for f in sorted(BUILTIN.glob("*.csv")):
            pd.read_csv(f, dtype=str, keep_default_na=False).to_excel(xw, sheet_name=f.stem, index=False)
    for source in (gb, book):
        other = run_json(capsys, "stats", "--json", "--data", str(source))
        assert {k: v for k, v in other.items() if k != "tables"} == {k: v for k, v in base.items() if k != "tables"}


def test_broken_rows_warn_then_strict_fails(tmp_path: Path, capsys, monkeypatch) -> None:
    folder = write_tables(tmp_path / "bad", bad_tables())
    monkeypatch.chdir(tmp_path)
    main(["stats", "--json", "--data", str(folder)])
    captured = capsys.readouterr()
    s, err = json.loads(captured.out), captured.err
    assert s["rows"] == {"read": 48, "loaded": 43, "rejected": 5}
    assert "produces.csv 第10行 [product_id]" in err and "row 10" in err
    assert "警告" in err and "warning" in err
    rejected = load_workbook(tmp_path / "chainkg_rejected_rows.xlsx")
    assert set(rejected.sheetnames) == {"企业", "企业产品", "投入产出"}
    with pytest.raises(SystemExit) as exc:
        main(["stats", "--data", str(folder), "--strict"])
    assert exc.value.code != 0


def test_gaps_json_shape_on_builtin_data(capsys) -> None:
    gaps = run_json(capsys, "gaps", "--json")
    assert {"chain_id", "product_id", "kind", "reasons"} <= set(gaps[0])
    assert {g["kind"] for g in gaps} == {"missing", "weak", "extend"}
    targets = run_json(capsys, "targets", "--json")
    for kind in ("missing", "extend"):
        covered = {(t["chain_id"], t["product_id"], t["role"]) for t in targets if t["kind"] == kind}
        both = {(c, p) for c, p, r in covered if r == "leader"} & {(c, p) for c, p, r in covered if r == "supporting"}
        assert both, f"no {kind} gap has both a leader and a supporting candidate"
    comp = run_json(capsys, "completeness", "--json")
    assert len(comp) == 8 and all(0 <= c["score"] <= 1 for c in comp.values())


def test_workbook_sheets_and_formula_injection(tmp_path: Path, capsys) -> None:
    tables = {k: [dict(r) for r in v] for k, v in TINY.items()}
    tables["enterprises"][2]["name"] = '=HYPERLINK("http://x","y")'
    folder = write_tables(tmp_path / "evil", tables)
    out = tmp_path / "list.xlsx"
    main(["targets", "--data", str(folder), "--out", str(out)])
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["概览", "缺链清单", "目标企业清单"]
    banner = [str(c.value) for c in wb["概览"]["A"] if c.value and "核实" in str(c.value)]
    assert banner and not any("演示数据" in b for b in banner)  # the planner's own data: no demo banner
    ws = wb["目标企业清单"]
    header = [c.value for c in ws[1]]
    assert {"负责小分队 / team", "联系人 / contact", "进展 / progress", "备注 / remarks"} <= set(header)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    firm_col = header.index("企业 / firm") + 1
    cells = [ws.cell(row=r, column=firm_col) for r in range(2, ws.max_row + 1)]
    evil = [c for c in cells if c.value == '=HYPERLINK("http://x","y")']
    assert evil and all(c.data_type == "s" for c in evil)
    csv_out = tmp_path / "list.csv"
    main(["targets", "--data", str(folder), "--out", str(csv_out)])
    assert "'=HYPERLINK" in csv_out.read_text(encoding="utf-8-sig")


def test_whatif_cli(capsys, tiny_dir: Path) -> None:
    result = run_json(capsys, "whatif", "--data", str(tiny_dir), "--add", "E2:bdo:5", "--json")
    assert result["completeness"]["c1"]["after"] == round(4.5 / 7, 4)
    assert parse_addition("L001:pbat:10") == Addition("L001", "pbat", 10.0)
    assert parse_addition("某公司:BDO") == Addition("某公司", "BDO", None)


@pytest.mark.parametrize("data", ["__no_such_folder__", "__no_such_book__.xlsx", "README.md"])
def test_a_data_path_that_cannot_be_read_is_a_clear_error(data: str, tmp_path: Path, capsys) -> None:
    """A missing or unsupported --data path: one bilingual line naming it, exit 2, no traceback."""
    source = str(tmp_path / data) if data != "README.md" else str(Path(__file__).parents[1] / data)
    with pytest.raises(SystemExit) as exit_:
        main(["stats", "--data", source])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert data in err and "错误 [source-" in err and "error [source-" in err
    assert ": no such file" in err or ": unsupported source" in err
