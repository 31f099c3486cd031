"""Exports stay safe and exact: formula-like text is escaped in every CSV the tool writes (never a
number), what the tool writes loads back to the same tables, the templates can carry the current
data, and a rerun never overwrites a workbook someone typed in without keeping a dated backup.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from cli.main import main
from loaders import load
from loaders.export import write_tables
from loaders.output import save_workbook, set_aside, untouched
from loaders.spreadsheet import csv_safe
from loaders.templates import XLSX_NAME, write_templates
from queries.errors import InputError


# enterprise id -> (short_name, note): phone numbers, a lone '-', a real apostrophe, formulas
HOSTILE = {"E1": ("'=x", "+86 139 0000 0000"), "E2": ("-", "-5"), "E3": ("+", "'abc"), "E4": ("@", "=SUM(A1)"),
           "E5": ("简称", "@x")}


@pytest.fixture
def hostile(tiny_dir: Path) -> dict[str, pd.DataFrame]:
    """The tiny tables, loaded, with hostile text in enterprises and a negative latitude."""
    tables, report = load(tiny_dir)
    assert report.totals["rejected"] == 0
    firms = tables["enterprises"]
    for eid, (short, note) in HOSTILE.items():
        firms.loc[firms["enterprise_id"] == eid, ["short_name", "note"]] = [short, note]
    regions = tables["regions"]
    regions.loc[regions["region_id"] == "beijing", "lat"] = -5.0
    return tables


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_safe_escapes_text_only_and_whole_columns():
    frame = pd.DataFrame({"text": ["+86 139", "-", "'abc", "=SUM(A1)", "@x", "\tx", "\rx", "'=x", "a-b", ""],
                          "n": [-5, 1, 2, 3, 4, 5, 6, 7, 8, 9], "f": [-5.5] * 10, "yes": [True] * 10,
                          "mixed": [-5, "-5", None, "x", 1.5, "=1", "ok", "", "'", "+"]})
    out = csv_safe(frame)
    assert out["text"].tolist() == ["'+86 139", "'-", "'abc", "'=SUM(A1)", "'@x", "'\tx", "'\rx", "''=x", "a-b", ""]
    assert out["n"].tolist() == frame["n"].tolist() and out["f"].tolist() == frame["f"].tolist()
    assert out["yes"].tolist() == [True] * 10
    assert out["mixed"].tolist() == [-5, "'-5", None, "x", 1.5, "'=1", "ok", "", "'", "'+"]  # a number stays a number
    assert frame["text"][0] == "+86 139"  # the caller's frame is not changed


def test_every_csv_export_escapes_text_and_leaves_numbers(hostile, tmp_path):
    folder = write_tables(hostile, tmp_path / "pulled")
    firms = {r["enterprise_id"]: (r["short_name"], r["note"]) for r in _rows(folder / "enterprises.csv")}
    assert firms == {"E1": ("''=x", "'+86 139 0000 0000"), "E2": ("'-", "'-5"), "E3": ("'+", "'abc"),
                     "E4": ("'@", "'=SUM(A1)"), "E5": ("简称", "'@x")}
    lat = {r["region_id"]: r["lat"] for r in _rows(folder / "regions.csv")}
    assert lat["beijing"] == "-5.0" and lat["wuhai"] == "39.65"
    write_templates(tmp_path / "tpl", hostile)
    rows = _rows(tmp_path / "tpl" / "enterprises.csv")[2:]  # after the comment and example rows
    assert [(r["企业编号"], r["备注"]) for r in rows][:2] == [("E1", "'+86 139 0000 0000"), ("E2", "'-5")]
    assert _rows(tmp_path / "tpl" / "regions.csv")[2 + 3]["纬度"] == "-5.0"


def _same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert set(a) == set(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name].reset_index(drop=True), b[name].reset_index(drop=True),
                                      check_dtype=False, obj=name)


def _written(kind: str, tables: dict[str, pd.DataFrame], tmp_path: Path) -> Path:
    if kind == "csv-folder":
        return write_tables(tables, tmp_path / "out")
    if kind == "xlsx":
        return write_tables(tables, tmp_path / "out.xlsx")
    write_templates(tmp_path / "tpl", tables)
    return tmp_path / "tpl" / (XLSX_NAME if kind == "template-xlsx" else "")


@pytest.mark.parametrize("kind", ["csv-folder",
                                  "xlsx",
                                  "template-csv",
                                  "template-xlsx"])
def test_exports_load_back_exactly(kind, hostile, tmp_path):
    back, report = load(_written(kind, hostile, tmp_path))
    assert report.totals == {"read": report.totals["loaded"], "loaded": report.totals["loaded"], "rejected": 0}
    _same_tables(hostile, back)


@pytest.mark.parametrize("where", ["folder", "workbook"])
def test_template_with_the_builtin_data_loads_back_the_same(where, tmp_path, capsys):
    """`chainkg template DIR --with-data`: the built-in tables under the templates' header and
    comment rows; they load back with no rejection to the same tables."""
    main(["template", str(tmp_path / "tpl"), "--with-data"])
    assert "模板已填入内置乌海数据" in capsys.readouterr().err
    builtin, _ = load()
    back, report = load(tmp_path / "tpl" / (XLSX_NAME if where == "workbook" else ""))
    assert report.totals["rejected"] == 0 and report.totals["read"] == sum(len(t) for t in builtin.values())
    _same_tables(builtin, back)
    header, note, example = (tmp_path / "tpl" / "chains.csv").read_text(encoding="utf-8-sig").splitlines()[:3]
    assert header.startswith("产业链编号,产业链名称") and note.startswith("# 说明") and example.startswith("# 示例")
    ws = load_workbook(tmp_path / "tpl" / XLSX_NAME)["产业链"]
    assert ws["A2"].value.startswith("# 说明") and ws.max_row == 3 + len(builtin["chains"])


def test_template_with_a_data_folder_extends_that_data(tiny_dir, tmp_path, capsys):
    main(["template", str(tmp_path / "tpl"), "--data", str(tiny_dir)])  # --data implies --with-data
    tiny, _ = load(tiny_dir)
    back, report = load(tmp_path / "tpl" / XLSX_NAME)
    assert report.totals["rejected"] == 0
    _same_tables(tiny, back)


# -- reruns never lose what a person typed --------------------------------------------------

TEAM = "负责小分队 / team"


def _team_cell(path: Path):
    ws = load_workbook(path)["目标企业清单"]
    column = [c.value for c in ws[1]].index(TEAM) + 1
    return ws.parent, ws.cell(2, column)


def _backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".备份" in p.name)


def test_rerun_over_an_untouched_workbook_keeps_no_backup(tiny_dir, tmp_path, capsys):
    out = tmp_path / "清单.xlsx"
    main(["targets", "--data", str(tiny_dir), "--out", str(out)])
    assert untouched(out)
    main(["targets", "--data", str(tiny_dir), "--out", str(out)])
    assert _backups(tmp_path) == [] and "另存为" not in capsys.readouterr().err


def test_rerun_over_a_workbook_with_team_entries_keeps_it_as_a_dated_backup(tiny_dir, tmp_path, capsys):
    out = tmp_path / "清单.xlsx"
    main(["targets", "--data", str(tiny_dir), "--out", str(out)])
    wb, cell = _team_cell(out)
    cell.value = "第一小分队"
    wb.save(out)  # as a team saves it in Excel: our fingerprint is now stale
    stamp = dt.datetime(2026, 12, 1, 13, 5).timestamp()
    os.utime(out, (stamp, stamp))
    capsys.readouterr()
    main(["targets", "--data", str(tiny_dir), "--out", str(out)])
    backup = tmp_path / "清单.备份2026-12-01T1305.xlsx"
    assert _backups(tmp_path) == [backup]
    assert _team_cell(backup)[1].value == "第一小分队" and _team_cell(out)[1].value is None
    err = capsys.readouterr().err
    assert f"已另存为 {backup}" in err and f"it was kept as {backup}" in err
    assert untouched(out) and not untouched(backup)


def test_a_workbook_the_tool_did_not_write_is_kept(tmp_path):
    out = tmp_path / "核实清单.xlsx"
    wb = Workbook()
    wb.active["A1"] = "我们自己的笔记"
    wb.save(out)
    backup = set_aside(out)
    assert backup is not None and backup.parent == tmp_path and backup.name.startswith("核实清单.备份")
    assert not out.exists() and load_workbook(backup).active["A1"].value == "我们自己的笔记"


def test_an_unchanged_resave_still_counts_as_untouched(tmp_path):
    """Opening and saving without typing (as Excel does on close) changes no cell: no backup."""
    path = save_workbook(_book("甲", 10.0), tmp_path / "a.xlsx")
    wb = load_workbook(path)
    wb.save(path)
    assert untouched(path) and set_aside(path) is None and path.exists()


def _book(*values) -> Workbook:
    wb = Workbook()
    wb.active.append(list(values))
    return wb


@pytest.mark.parametrize("edit", [False, True])
def test_a_csv_rerun_keeps_the_old_file_only_when_it_differs(edit, tiny_dir, tmp_path, capsys):
    out = tmp_path / "清单.csv"
    main(["targets", "--data", str(tiny_dir), "--out", str(out)])
    if edit:
        out.write_text(out.read_text(encoding="utf-8-sig") + "我们加的一行\n", encoding="utf-8-sig")
    main(["targets", "--data", str(tiny_dir), "--out", str(out)])
    backups = _backups(tmp_path)
    assert len(backups) == edit
    if edit:
        assert backups[0].read_text(encoding="utf-8-sig").endswith("我们加的一行\n")


def test_rewriting_the_templates_keeps_the_filled_in_workbook(tmp_path, capsys):
    folder = tmp_path / "tpl"
    main(["template", str(folder)])
    wb = load_workbook(folder / XLSX_NAME)
    wb["产业链"].append(["c9", "我们的链"])
    wb.save(folder / XLSX_NAME)
    main(["template", str(folder)])
    [backup] = _backups(folder)
    assert backup.suffix == ".xlsx" and backup.name.startswith("chainkg_template.备份")
    tables, _ = load(backup)
    assert tables["chains"]["chain_id"].tolist() == ["c9"]


# -- files that cannot be written -------------------------------------------------------------

def test_a_workbook_open_in_excel_is_a_clear_error(tiny_dir, tmp_path, capsys, monkeypatch):
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    def locked(self):  # what xlsxwriter raises when Excel holds the file open
        raise FileCreateError(PermissionError(13, "Permission denied", self.filename))

    monkeypatch.setattr(xlsxwriter.Workbook, "close", locked)
    with pytest.raises(SystemExit) as exit_:
        main(["targets", "--data", str(tiny_dir), "--out", str(tmp_path / "清单.xlsx")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert "错误 [out-locked]" in err and "Excel/WPS 中打开" in err and "error [out-locked]" in err


def test_a_locked_old_file_is_left_in_place(tmp_path, monkeypatch):
    out = tmp_path / "清单.csv"
    out.write_text("ours", encoding="utf-8")

    def refuse(self, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rename", refuse)
    with pytest.raises(InputError) as e:
        set_aside(out)
    assert e.value.code == "out-locked" and out.read_text(encoding="utf-8") == "ours"


@pytest.mark.parametrize("target", ["folder", "under-a-file"])
def test_an_out_path_that_cannot_be_a_file(target, tiny_dir, tmp_path, capsys):
    (tmp_path / "x.xlsx").mkdir()
    (tmp_path / "a-file").write_text("")
    out = tmp_path / "x.xlsx" if target == "folder" else tmp_path / "a-file" / "x.xlsx"
    with pytest.raises(SystemExit) as exit_:
        main(["library", "--data", str(tiny_dir), "--out", str(out)])
    err = capsys.readouterr().err
    code = "out-is-folder" if target == "folder" else "out-bad-path"
    assert exit_.value.code == 2 and f"错误 [{code}]" in err and str(out) in err and "Traceback" not in err
