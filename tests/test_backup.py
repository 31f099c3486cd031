"""Workspace backup and restore: the database (copied live, WAL included) and data snapshots in one
zip with a manifest; restore checks the zip first and moves the current content aside."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tracking_fixtures import _template_db, admin, tiny_index, tracking_ws  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def _chainkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def _team_with_visit(admin, tiny_index):
    from tracking.outreach import assign, log_event
    from tracking.people import add_district, add_team

    add_district(admin, "海南区")
    add_team(admin, "第一小分队", "海南区")
    a, _ = assign(admin, "E3", tiny_index, product_id="bdo", team="第一小分队")
    log_event(admin, a, "2023-09-05", "接洽", note="电话沟通")
    return a


def test_restore_brings_back_the_backed_up_entries_and_keeps_the_replaced_ones(admin, tiny_index, tracking_ws,
                                                                              tmp_path):
    from tracking.backup import backup, restore
    from tracking.outreach import assign, log_event, status

    ws = tracking_ws
    a = _team_with_visit(admin, tiny_index)
    source = tmp_path / "firms.json"
    source.write_text('{"firms": []}', encoding="utf-8")
    ws.replace_data(source)
    wal = ws.database.with_name("tracking.sqlite3-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the entries are (partly) still in the WAL: a live copy

    made = backup(ws.home, tmp_path / "备份" / "ws.zip")
    assert made.path.is_file() and not made.path.with_name("ws.zip.part").exists()
    names = [f.path for f in made.files]
    assert names == ["tracking.sqlite3", "data/0001/firms.json"]
    snap = next(f for f in made.files if f.path == "data/0001/firms.json")
    assert (snap.size, snap.sha256) == (13, hashlib.sha256(b'{"firms": []}').hexdigest())
    with zipfile.ZipFile(made.path) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert sorted(z.namelist()) == ["data/0001/firms.json", "manifest.json", "tracking.sqlite3"]
    assert manifest["format"] == "chainkg-workspace-backup" and manifest["created"] == made.created
    assert manifest["chainkg_version"] == made.chainkg_version != ""

    log_event(admin, a, "2023-09-20", "考察", note="上门")  # changes after the backup
    assign(admin, "E2", tiny_index, team="第一小分队")
    ws.replace_data(source)
    assert len(status()) == 2

    done = restore(made.path, ws.home)
    [s] = status()
    assert (s.firm_name, s.stage, s.events) == ("丙集团股份有限公司", "接洽", 1)
    assert [p.name for p in ws.snapshots()] == ["0001"]
    assert done.files == 2 and done.moved_aside.parent == ws.home
    assert done.moved_aside.name.startswith("before-restore-")
    assert (done.moved_aside / "tracking.sqlite3").is_file()
    assert sorted(p.name for p in (done.moved_aside / "data").iterdir()) == ["0001", "0002"]
    assert not list(ws.home.glob(".restoring-*"))


def _workspace_with_data(tmp_path: Path) -> Path:
    from tracking.workspace import open_workspace

    home = tmp_path / "工作区"
    ws = open_workspace(home)
    (ws.data_dir / "0001").mkdir()
    (ws.data_dir / "0001" / "firms.csv").write_text("id,name\nE1,甲\n", encoding="utf-8")
    return home


def test_a_truncated_zip_is_refused_in_both_languages_and_nothing_moves(tmp_path):
    home = _workspace_with_data(tmp_path)
    out = _chainkg("backup", "--home", str(home), "--out", str(tmp_path / "b.zip"))
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()) == (tmp_path / "b.zip").resolve()
    assert "已备份 1 个文件" in out.stderr
    data = (tmp_path / "b.zip").read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])

    refused = _chainkg("restore", str(tmp_path / "cut.zip"), "--home", str(home))
    assert refused.returncode == 2
    assert "[bad-backup]" in refused.stderr
    assert "压缩文件已损坏或不完整" in refused.stderr and "the zip is damaged or truncated" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sorted(p.name for p in home.iterdir()) == ["cache", "data", "logs"]


def _rezip(source: Path, target: Path, change) -> Path:
    """A copy of the backup `source` with `change(name, bytes) -> (name, bytes) | None` applied per entry."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for name in z.namelist():
            changed = change(name, z.read(name))
            if changed:
                out.writestr(*changed)
    return target


@pytest.mark.parametrize("change, zh, en", [
    (lambda n, b: (n, b.replace(b"E1", b"E9")) if n.endswith(".csv") else (n, b), "与清单不符", "does not match"),
    (lambda n, b: None if n == "manifest.json" else (n, b), "不是 chainkg 工作区备份", "not a chainkg backup"),
    (lambda n, b: (n, b.replace(b"data/0001/firms.csv", b"../../evil.csv")) if n == "manifest.json" else (n, b),
     "不属于工作区的文件", "not part of a workspace"),
])
def test_a_tampered_or_foreign_zip_is_refused(tmp_path, change, zh, en):
    from tracking.backup import BackupError, backup, restore

    home = _workspace_with_data(tmp_path)
    made = backup(home, tmp_path / "b.zip")
    bad = _rezip(made.path, tmp_path / "bad.zip", change)
    with pytest.raises(BackupError) as err:
        restore(bad, home)
    assert err.value.code == "bad-backup" and zh in err.value.zh and en in err.value.en
    assert not (tmp_path / "evil.csv").exists()
    assert (home / "data" / "0001" / "firms.csv").read_text(encoding="utf-8") == "id,name\nE1,甲\n"
    assert not list(home.glob("before-restore-*"))


def test_cli_restore_says_where_the_old_content_went(tmp_path):
    home = _workspace_with_data(tmp_path)
    assert _chainkg("backup", "--home", str(home), "--out", str(tmp_path / "b.zip")).returncode == 0
    (home / "data" / "0002").mkdir()
    done = _chainkg("restore", str(tmp_path / "b.zip"), "--home", str(home), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    aside = Path(result["moved_aside"])
    assert result["files"] == 1 and (aside / "data" / "0002").is_dir()
    assert sorted(p.name for p in (home / "data").iterdir()) == ["0001"]
    text = _chainkg("restore", str(tmp_path / "b.zip"), "--home", str(home))
    assert "原有数据库和数据已移至" in text.stderr and "the previous database and data were moved to" in text.stderr


def test_docstring_examples():
    import doctest

    from tracking import backup

    result = doctest.testmod(backup)
    assert result.attempted > 0 and result.failed == 0
