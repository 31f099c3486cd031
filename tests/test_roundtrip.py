"""The workbook round trip: write the target list, edit it as a team would (sort, hide rows, delete a
column, type entries; once through LibreOffice), import, rerun the writers: every entry intact;
importing twice changes nothing; another team's conflicting copy is reported."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tracking_fixtures import _template_db, admin, tiny_index, tracking_ws  # noqa: F401

from reports.team_columns import CONTACT, KEY_HEADER, PROGRESS, REMARKS, TARGET_SHEET, TEAM, header_key


def _columns(ws) -> dict[str, int]:
    return {header_key(c.value): c.column for c in ws[1] if c.value is not None}


def _row_of(ws, key: str) -> int:
    col = _columns(ws)[header_key(KEY_HEADER)]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == key)


def edit(src, dst, entries: dict[str, dict[str, str]], shuffle: bool = True):
    """As a team would: sort the rows by firm name descending, hide (filter out) one row, delete the
    score-parts column, type the entries, save."""
    wb = load_workbook(src)
    ws = wb[TARGET_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    if shuffle:
        firm = _columns(ws)[header_key("企业 / firm")] - 1
        rows.sort(key=lambda r: str(r[firm]), reverse=True)
        for i, values in enumerate(rows, start=2):
            for j, v in enumerate(values, start=1):
                ws.cell(i, j, v)
        ws.row_dimensions[3].hidden = True
        ws.delete_cols(_columns(ws)[header_key("得分构成 / score parts")])
    cols = _columns(ws)
    for key, values in entries.items():
        r = _row_of(ws, key)
        for header, value in values.items():
            ws.cell(r, cols[header_key(header)], value)
    wb.save(dst)
    return dst


def through_libreoffice(src, out_dir):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required under CI")
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc")
    out_dir.mkdir()
    subprocess.run([soffice, f"-env:UserInstallation=file://{out_dir.parent / 'lo_profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out_dir), str(src)], check=True, capture_output=True,
                   timeout=180)
    return out_dir / src.name


@pytest.fixture
def setup(admin, tiny_graph):
    from queries.analysis import analyse
    from tracking.people import add_member, add_team

    add_team(admin, "第一小分队")
    add_team(admin, "第二小分队")
    one = add_member(admin, "队员甲", "小分队", "第一小分队")
    two = add_member(admin, "队员乙", "小分队", "第二小分队")
    return tiny_graph, analyse(tiny_graph), one, two


def write(cg, analysis, path):
    from reports.target_list import write_target_list
    from tracking.outreach import states_by_key

    return write_target_list(analysis, path, tracking=states_by_key())


def cells(path, key):
    ws = load_workbook(path)[TARGET_SHEET]
    cols, r = _columns(ws), _row_of(ws, key)
    return {h: ws.cell(r, cols[header_key(h)]).value for h in (TEAM, CONTACT, PROGRESS, REMARKS)}


def test_round_trip(setup, tiny_index, tmp_path):
    from queries.library import firm_tracking, target_library
    from reports.library import SHEET, write_library
    from tracking.models import Assignment, AuditRecord, Event
    from tracking.outreach import states_by_key
    from tracking.workbook_import import import_workbook

    cg, data, one, two = setup
    w0 = write(cg, data, tmp_path / "清单.xlsx")
    k_bdo, k_pvc, k_thf = "id:E3|bdo", "id:E5|pvc", "id:E4|pvc_catalyst"
    w1 = edit(w0, tmp_path / "第一小分队.xlsx", {
        k_bdo: {TEAM: "第一小分队", CONTACT: "赵经理", PROGRESS: "接洽 2023-09-05 电话沟通", REMARKS: "重点跟进"},
        k_pvc: {TEAM: "第一小分队", PROGRESS: "线索"},
    })
    r1 = import_workbook(w1, one, tiny_index)
    assert (r1.changed, r1.events_added, r1.rejected) == (2, 2, 0), r1.lines()
    assert r1.read == r1.changed + r1.unchanged + r1.rejected == len(data.targets)
    counts = (Assignment.objects.count(), Event.objects.count(), AuditRecord.objects.count())
    again = import_workbook(w1, one, tiny_index)
    assert (again.changed, again.events_added, again.rejected) == (0, 0, 0)
    assert (Assignment.objects.count(), Event.objects.count(), AuditRecord.objects.count()) == counts

    # A third entry typed in a copy saved by LibreOffice (the stand-in for WPS).
    w2 = edit(w0, tmp_path / "lo_in.xlsx", {k_thf: {TEAM: "第一小分队", PROGRESS: "考察 2023-09-12 到厂参观"}},
              shuffle=False)
    w2 = through_libreoffice(w2, tmp_path / "lo")
    r2 = import_workbook(w2, one, tiny_index)
    assert (r2.changed, r2.events_added, r2.rejected) == (1, 1, 0), r2.lines()

    # Another team's copy of the first workbook changes the same row: a conflict, nothing merged.
    w_other = edit(w0, tmp_path / "第二小分队.xlsx", {k_bdo: {TEAM: "第二小分队", PROGRESS: "洽谈 2023-09-08"}})
    r3 = import_workbook(w_other, two, tiny_index)
    assert r3.changed == 0 and len(r3.conflicts) == 1 and r3.conflicts[0].file == "第二小分队.xlsx"
    assert "冲突" in r3.conflicts[0].reason_zh and r3.conflicts[0].row >= 2
    assert Assignment.objects.get(product_id="bdo").team.name == "第一小分队"

    # The same team goes on in its own copy after importing it: applied, not a conflict.
    w1b = edit(w1, tmp_path / "第一小分队_续.xlsx", {k_bdo: {PROGRESS: "考察 2023-09-20 带队考察"}}, shuffle=False)
    r4 = import_workbook(w1b, one, tiny_index)
    assert (r4.changed, r4.events_added, len(r4.conflicts)) == (1, 1, 0), r4.lines()

    # Rerun the writers: every entry is there.
    w3 = write(cg, data, tmp_path / "重写.xlsx")
    assert cells(w3, k_bdo) == {TEAM: "第一小分队", CONTACT: "赵经理", PROGRESS: "考察 2023-09-20 带队考察",
                                REMARKS: "重点跟进"}
    assert cells(w3, k_pvc)[PROGRESS].startswith("线索 ") and cells(w3, k_thf)[PROGRESS] == "考察 2023-09-12 到厂参观"
    by_firm, _ = firm_tracking(list(states_by_key().values()))
    lib = write_library(target_library([], [t.to_json() for t in data.targets]), tmp_path / "库.xlsx", tracking=by_firm)
    ws = load_workbook(lib)[SHEET]
    cols = _columns(ws)
    e3 = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, cols[header_key("企业编号 / id")]).value == "E3")
    assert ws.cell(e3, cols[header_key("负责小分队 / teams")]).value == "第一小分队"
    assert "考察 2023-09-20" in ws.cell(e3, cols[header_key("进展 / stage")]).value
    unchanged = import_workbook(w3, one, tiny_index)
    assert (unchanged.changed, unchanged.rejected) == (0, 0)


def test_bad_rows_are_rejected_and_reported(setup, tiny_index, tmp_path):
    from tracking.models import Assignment
    from tracking.workbook_import import import_workbook

    cg, data, one, _ = setup
    w0 = write(cg, data, tmp_path / "清单.xlsx")
    w = edit(w0, tmp_path / "填错.xlsx", {"id:E3|bdo": {TEAM: "第九小分队"}, "id:E5|pvc": {PROGRESS: "喝茶 聊天"},
                                          "id:E4|pvc_catalyst": {PROGRESS: "接洽 2999-01-01"}})
    report = import_workbook(w, one, tiny_index)
    assert report.rejected == 3 and report.changed == 0
    by_code = {r.column: r for r in report.rejections}
    assert "未知小分队“第九小分队”" in by_code[TEAM].reason_zh
    assert {r.reason_en.split()[0] for r in report.rejections} >= {"unknown", "progress"}
    assert all(r.file == "填错.xlsx" and r.row >= 2 for r in report.rejections)
    assert Assignment.objects.count() == 0  # a rejected row leaves nothing behind


def test_workbook_without_key_column_is_refused(setup, tiny_index, tmp_path):
    from tracking.errors import InvalidValue
    from tracking.workbook_import import import_workbook

    cg, data, one, _ = setup
    w0 = write(cg, data, tmp_path / "清单.xlsx")
    wb = load_workbook(w0)
    ws = wb[TARGET_SHEET]
    ws.delete_cols(_columns(ws)[header_key(KEY_HEADER)])
    wb.save(tmp_path / "无键.xlsx")
    with pytest.raises(InvalidValue) as err:
        import_workbook(tmp_path / "无键.xlsx", one, tiny_index)
    assert err.value.code == "no-key-column"


def test_a_link_on_two_chains_is_one_entry(setup, tiny_index, tmp_path):
    """E3 is a leader candidate for acetylene in both chains: two rows, one key. Editing one row is
    that entry's edit; editing both rows differently is a conflict within the file."""
    from tracking.models import Assignment
    from tracking.workbook_import import import_workbook

    cg, data, one, _ = setup
    w0 = write(cg, data, tmp_path / "清单.xlsx")
    wb = load_workbook(w0)
    ws = wb[TARGET_SHEET]
    cols = _columns(ws)
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, cols[header_key(KEY_HEADER)]).value == "id:E3|acetylene"]
    assert len(rows) == 2
    ws.cell(rows[1], cols[header_key(TEAM)], "第一小分队")
    wb.save(tmp_path / "一行.xlsx")
    ws.cell(rows[0], cols[header_key(TEAM)], "第二小分队")
    wb.save(tmp_path / "两行.xlsx")
    both = import_workbook(tmp_path / "两行.xlsx", one, tiny_index)
    assert len(both.conflicts) == 2 and Assignment.objects.count() == 0
    single = import_workbook(tmp_path / "一行.xlsx", one, tiny_index)
    assert single.changed == 1 and single.read == single.changed + single.unchanged + single.rejected
    assert Assignment.objects.get().team.name == "第一小分队"
    assert cells(write(cg, data, tmp_path / "重写.xlsx"), "id:E3|acetylene")[TEAM] == "第一小分队"
