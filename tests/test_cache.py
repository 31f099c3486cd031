"""The load cache: a hit returns exactly what a fresh load returns; any change of the data, the
salt or a damaged entry gives a fresh load."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from loaders import BUILTIN, load
from loaders.cache import LoadCache

BAD_ROW = "X001,,无名称企业,浙江省,杭州市,,是,,,测试,,,\n"  # empty required name: rejected


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(BUILTIN, folder, ignore=shutil.ignore_patterns("*.md"))
    with (folder / "enterprises.csv").open("a", encoding="utf-8") as fh:
        fh.write(BAD_ROW)
    return folder


def assert_same_load(a, b) -> None:
    tables_a, report_a = a
    tables_b, report_b = b
    assert tables_a.keys() == tables_b.keys()
    for name in tables_a:
        pd.testing.assert_frame_equal(tables_a[name], tables_b[name], check_exact=True)
    assert report_a.rejections == report_b.rejections
    assert report_a.counts == report_b.counts
    assert report_a.warnings == report_b.warnings
    assert report_a.rejected_rows.keys() == report_b.rejected_rows.keys()
    for name in report_a.rejected_rows:
        pd.testing.assert_frame_equal(report_a.rejected_rows[name], report_b.rejected_rows[name])


def test_a_hit_returns_what_the_fresh_load_returned(data: Path, tmp_path: Path) -> None:
    cache = LoadCache(tmp_path / "cache")
    fresh = load(data)
    assert fresh[1].totals["rejected"] == 1  # the bad row: the report must survive the cache
    first = cache.load(data)
    assert not cache.last_hit
    second = cache.load(data)
    assert cache.last_hit
    assert_same_load(fresh, first)
    assert_same_load(fresh, second)


def test_a_changed_file_or_salt_is_a_miss(data: Path, tmp_path: Path) -> None:
    cache = LoadCache(tmp_path / "cache")
    cache.load(data)
    path = data / "chains.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("可降解材料", "可降解新材料"), encoding="utf-8")
    tables, _ = cache.load(data)
    assert not cache.last_hit and "可降解新材料" in tables["chains"]["name_zh"].tolist()
    cache.load(data, salt=b"[weights]\nleader = 2\n")
    assert not cache.last_hit
    cache.load(data, salt=b"[weights]\nleader = 2\n")
    assert cache.last_hit
    assert len(list(cache.folder.iterdir())) == 1  # only the newest entry of a source is kept


@pytest.mark.parametrize("damage", [lambda b: b[: len(b) // 2], lambda b: b"not a pickle at all"])
def test_a_damaged_entry_is_rebuilt_with_a_notice(data: Path, tmp_path: Path, damage) -> None:
    cache = LoadCache(tmp_path / "cache")
    cache.load(data)
    (entry,) = cache.folder.iterdir()
    entry.write_bytes(damage(entry.read_bytes()))
    result = cache.load(data)
    assert not cache.last_hit
    assert [n.code for n in cache.notices] == ["cache-damaged"]
    assert_same_load(load(data), result)
    cache.load(data)
    assert cache.last_hit  # rebuilt


def test_clear_deletes_every_entry(data: Path, tmp_path: Path) -> None:
    cache = LoadCache(tmp_path / "cache")
    cache.load(data)
    other = tmp_path / "other"
    shutil.copytree(data, other)
    cache.load(other)
    assert cache.clear() == 2
    cache.load(data)
    assert not cache.last_hit


def test_the_cli_answers_the_same_from_the_cache(data: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    """Second command on unchanged data: same answer, same rejection report, served from the
    workspace's cache; --no-cache reads afresh; `cache clear` empties it."""
    from cli.main import main

    monkeypatch.setenv("CHAINKG_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    runs = []
    for extra in ([], [], ["--no-cache"]):
        main(["gaps", "--data", str(data), "--json", *extra])
        runs.append(capsys.readouterr())
    assert runs[0].out == runs[1].out == runs[2].out and runs[0].out.startswith("[")
    assert "X001" not in runs[0].out and "拒绝 / rejected" in runs[0].err
    assert runs[0].err == runs[1].err == runs[2].err  # the report of a cached load is the fresh one's
    cache = tmp_path / "home" / "cache"
    assert len(list(cache.iterdir())) == 1
    main(["cache", "clear"])
    assert "已删除 1 个" in capsys.readouterr().err and not list(cache.iterdir())
