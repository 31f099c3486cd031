"""Settings that cannot lie (issue 12, part 5): a --config file that is missing, not UTF-8 or not
TOML, holds a value of the wrong kind, a negative weight, a number out of range or a home region
the data lacks is a bilingual error with a code and exit 2; an unknown key is a warning and is
ignored. Every case is checked through the library and through the command line."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from cli.main import main
from queries.errors import SettingsError, UnknownName
from queries.settings import DEFAULT_SETTINGS, SettingsWarning, load_settings, read_settings


def write(tmp_path: Path, text: str, name: str = "参数.toml", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def cli_error(capsys, path: Path, command: str = "gaps") -> str:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--config", str(path)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    return err


def test_the_default_file_passes_its_own_checks() -> None:
    read = read_settings(DEFAULT_SETTINGS)
    assert read.warnings == [] and read.values == load_settings()
    assert read.values["targets"]["leaders_per_gap"] == 5


@pytest.mark.parametrize("name", ["没有这个文件.toml", "sub/missing.toml"])
def test_a_missing_file(tmp_path: Path, capsys, name: str) -> None:
    path = tmp_path / name
    with pytest.raises(SettingsError) as e:
        load_settings(path)
    assert e.value.code == "settings-missing" and e.value.file == str(path)
    err = cli_error(capsys, path)
    assert "错误 [settings-missing]" in err and "参数文件不存在" in err and "settings file not found" in err


def test_a_folder_is_not_a_settings_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as e:
        load_settings(tmp_path)
    assert e.value.code == "settings-unreadable"


@pytest.mark.parametrize("encoding, line", [("gb18030", 2), ("utf-16", 1)])
def test_a_file_not_in_utf8(tmp_path: Path, capsys, encoding: str, line: int) -> None:
    path = write(tmp_path, 'neighbour_radius_km = 100\nhome_region = "乌海"\n', encoding=encoding)
    with pytest.raises(SettingsError) as e:
        load_settings(path)
    assert e.value.code == "settings-encoding" and e.value.row == line
    err = cli_error(capsys, path)
    assert "[settings-encoding]" in err and "UTF-8" in err and f"第{line}行" in err and f"row {line}" in err


def test_utf8_with_a_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, 'neighbour_radius_km = 80\n', encoding="utf-8-sig")
    assert load_settings(path)["neighbour_radius_km"] == 80


@pytest.mark.parametrize("text, line, column", [
    ('neighbour_radius_km = 100\nhome_region = wuhai\n', 2, 15),  # text without quotes
    ('[leader_score\nlisted = 5\n', 1, 14),  # an unclosed table header
    ('neighbour_radius_km = 100\nneighbour_radius_km = 90\n', 2, 25),  # a key written twice
])
def test_toml_syntax_errors_name_line_and_column(tmp_path: Path, capsys, text: str, line: int, column: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as e:
        load_settings(path)
    assert e.value.code == "settings-syntax" and e.value.row == line
    assert f"第{column}列" in e.value.zh and f"column {column}" in e.value.en
    err = cli_error(capsys, path)
    assert f"错误 [settings-syntax] {path} 第{line}行" in err and f"error [settings-syntax] {path} row {line}" in err


@pytest.mark.parametrize("text, key, line", [
    ('[leader_score]\nlisted = "ten"\n', "leader_score.listed", 2),
    ('neighbour_radius_km = "150公里"\n', "neighbour_radius_km", 1),
    ('[weak]\nsingle_producer = "是"\n', "weak.single_producer", 2),
    ('home_region = 5\n', "home_region", 1),
    ('completeness = 2\n', "completeness", 1),
    ('[targets]\nleaders_per_gap = 2.5\n', "targets.leaders_per_gap", 2),
    ('[trip_groups]\n"京津冀" = "北京市"\n', "trip_groups.京津冀", 2),
    ('[weak.min_capacity]\n"吨/年" = "很多"\n', "weak.min_capacity.吨/年", 2),
    ('[leader_score]\nlisted = true\n', "leader_score.listed", 2),
])
def test_a_value_of_the_wrong_kind(tmp_path: Path, capsys, text: str, key: str, line: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as e:
        load_settings(path)
    assert e.value.code == "settings-type" and e.value.row == line
    assert e.value.zh.startswith(f"参数 {key} 应为") and e.value.en.startswith(f"setting {key} should be")
    err = cli_error(capsys, path)
    assert "错误 [settings-type]" in err and "error [settings-type]" in err


@pytest.mark.parametrize("text, key, code", [
    ('[leader_score]\nlisted = -10\n', "leader_score.listed", "settings-negative"),
    ('[support_score]\nneighbour = -0.5\n', "support_score.neighbour", "settings-negative"),
    ('[targets]\ncompetitor_penalty = -20\n', "targets.competitor_penalty", "settings-negative"),
    ('neighbour_radius_km = -1\n', "neighbour_radius_km", "settings-negative"),
    ('[weak.min_capacity]\n"万吨/年" = -3\n', "weak.min_capacity.万吨/年", "settings-negative"),
    ('[completeness]\nproject_credit = 1.5\n', "completeness.project_credit", "settings-range"),
    ('[completeness]\nfocus_weight = inf\n', "completeness.focus_weight", "settings-range"),
    ('[gap_priority]\nfocus_product = nan\n', "gap_priority.focus_product", "settings-range"),
])
def test_negative_weights_and_numbers_out_of_range(tmp_path: Path, capsys, text: str, key: str, code: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as e:
        load_settings(path)
    assert e.value.code == code and e.value.zh.startswith(f"参数 {key} ")
    err = cli_error(capsys, path)
    assert f"错误 [{code}]" in err and f"error [{code}]" in err


def test_keyword_overrides_are_checked_too() -> None:
    with pytest.raises(SettingsError) as e:
        load_settings(leader_score={"listed": -1})
    assert e.value.code == "settings-negative" and e.value.file == ""
    with pytest.raises(SettingsError):
        load_settings(neighbour_radius_km="far")


@pytest.mark.parametrize("text, key, near, line", [
    ('[leader_score]\nlistd = 5\n', "leader_score.listd", "listed", 2),
    ('home_regoin = "wuhai"\n', "home_regoin", "home_region", 1),
    ('[colour]\nred = 1\n', "colour", None, None),
])
def test_an_unknown_key_is_a_warning_and_is_ignored(tmp_path: Path, capsys, text, key, near, line) -> None:
    path = write(tmp_path, text)
    read = read_settings(path)
    [notice] = read.warnings
    assert notice.code == "settings-unknown-key" and notice.row == line and notice.file == str(path)
    assert key in notice.zh and key in notice.en
    assert (f"是否指 {near}" in notice.zh) if near else "是否指" not in notice.zh
    defaults = read_settings().values
    assert read.values == defaults  # nothing of the unknown key is used
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_settings(path)
    assert [type(w.message) for w in caught] == [SettingsWarning] and caught[0].message.notice == notice
    main(["completeness", "--config", str(path)])
    captured = capsys.readouterr()
    assert "警告 / warning:" in captured.err and key in captured.err and "完整度" in captured.out


def test_a_good_file_is_applied_over_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, '[leader_score]\nlisted = 12.5\n[weak.min_capacity]\n"吨/年" = 500\n'
                           '[trip_groups]\n"西南" = ["云南省", "贵州省"]\n')
    s = load_settings(path)
    assert s["leader_score"]["listed"] == 12.5 and s["leader_score"]["makes_gap_product"] == 50
    assert s["weak"]["min_capacity"] == {"万吨/年": 10, "吨/年": 500}
    assert s["trip_groups"]["西南"] == ["云南省", "贵州省"] and "京津冀" in s["trip_groups"]


@pytest.mark.parametrize("home", ["atlantis", "乌海县"])
def test_a_home_region_the_data_lacks(tmp_path: Path, capsys, home: str) -> None:
    from graph import ChainGraph
    from loaders import load
    from queries.analysis import analyse

    path = write(tmp_path, f'home_region = "{home}"\n')
    with pytest.raises(UnknownName) as e:
        analyse(ChainGraph(load()[0]), load_settings(path))
    assert e.value.code == "unknown-region" and e.value.option == "home_region"
    err = cli_error(capsys, path)
    assert "错误 [unknown-region] home_region" in err and "error [unknown-region]" in err
    assert "--config" in err and "--region" in err
    if home == "乌海县":
        assert "乌海市(wuhai)" in err


def test_a_home_region_by_name_in_the_file_is_its_id(tmp_path: Path, capsys) -> None:
    import json

    main(["gaps", "--json", "--config", str(write(tmp_path, 'home_region = "乌海市"\n'))])
    by_name = json.loads(capsys.readouterr().out)
    main(["gaps", "--json"])
    assert by_name == json.loads(capsys.readouterr().out)
