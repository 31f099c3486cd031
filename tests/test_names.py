"""Names as people type them (issue 12, part 4): chains, regions, products, firms and projects by id,
name, short name or alias through one matching key; an unknown name is an error listing the closest
spellings (exit 2 on the command line), never an empty answer; a name that fits two rows is an
error naming both; what-if takes a new investor not in the data and refuses bad capacities.

The tiny graph (tests/conftest.py) with short names added: E1 甲化工, E2 乙化学, and E3 and E5 both
化工集团 (the ambiguous one).
"""
from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from conftest import TINY, write_tables
from graph import ChainGraph
from loaders import load
from loaders.columns import normalise_names
from neo4j_fixtures import neo4j_store, store  # noqa: F401  (fixtures)
from queries.analysis import Addition, NewFirm, analyse, parse_addition, parse_new_firm, stats, what_if
from queries.errors import AmbiguousName, InputError, UnknownName
from queries.names import PRODUCT, REGION, Names, firm_names, match_key, match_keys, resolve
from queries.whatif import project_additions

SHORT = {"E1": "甲化工", "E2": "乙化学", "E3": "化工集团", "E5": "化工集团"}


def named_tables() -> dict[str, list[dict[str, str]]]:
    tables = copy.deepcopy(TINY)
    for firm in tables["enterprises"]:
        firm["short_name"] = SHORT.get(firm["enterprise_id"], "")
    return tables


@pytest.fixture
def named_dir(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "named", named_tables())


@pytest.fixture
def named(named_dir: Path) -> ChainGraph:
    tables, report = load(named_dir)
    assert report.totals["rejected"] == 0, report.rejections
    return ChainGraph(tables)


def fails(capsys, *argv: str) -> str:
    """Run the CLI expecting a bad-input exit: the error text (stderr), checked for no traceback."""
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    err = capsys.readouterr().err
    assert exit_.value.code == 2, err
    assert "Traceback" not in err
    return err


def run_json(capsys, *argv: str):
    main(list(argv))
    return json.loads(capsys.readouterr().out)


# --- the key ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, stored", [
    ("甲化工（乌海）有限公司", "甲化工(乌海)有限公司"),  # full-width brackets
    ("【甲】化工", "[甲]化工"),  # CJK brackets NFKC leaves alone
    ("ＡＢＣ　化工", "abc化工"),  # full-width letters and the ideographic space
    ("1，4-丁二醇", "1,4-丁二醇"),  # full-width comma
    (" bdo\u200b\t", "BDO"),  # zero-width space, tab, case
    ("1,4—丁二醇", "1,4-丁二醇"),  # em dash
])
def test_spellings_of_one_name_share_the_key(typed: str, stored: str) -> None:
    assert match_key(typed) == match_key(stored)


@pytest.mark.parametrize("text", ["甲（乌海）有限公司", "（\u0301甲）", "ﬁ㈱①", "𝐀𝐁化工", "e\u0301，a", "ＡＢ（Ｃ）　d",
                                  "【甲】“乙”—丙", "甲\u200b乙\ufeff", "ｶﾀｶﾅ", "\u3000（）"])
def test_the_quick_key_is_the_definition(text: str) -> None:
    """match_key skips NFKC for most names and replaces （），　 itself: the same as NFKC, then the
    punctuation table, then no whitespace, case-folded."""
    import unicodedata

    from queries.names import _FOLD

    defined = "".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split()).casefold()
    assert match_key(text) == defined


def test_different_names_keep_different_keys() -> None:
    assert match_key("甲化工") != match_key("乙化工")
    assert match_key("PVC") != match_key("PVA")
    assert match_key("1,4-丁二醇") != match_key("1,3-丁二醇")


def test_the_column_key_is_the_key_of_each_cell_and_changes_no_stored_value() -> None:
    values = pd.Series(["Ａ（b）", "a(B)", "c d", "Ａ（b）"], index=[3, 5, 7, 9], name="name")
    keys = match_keys(values)
    assert keys.tolist() == ["a(b)", "a(b)", "cd", "a(b)"]
    assert list(keys.index) == [3, 5, 7, 9] and keys.name == "name"
    assert values.tolist() == ["Ａ（b）", "a(B)", "c d", "Ａ（b）"]
    assert normalise_names(values.astype(str)).tolist() == keys.tolist()  # the loader's key is this one


@pytest.mark.parametrize("first, second", [("甲化工有限公司", "甲化工 有限公司"), ("ＡＢＣ化工有限公司", "abc化工有限公司"),
                                           ("丙（北京）化工有限公司", "丙(北京)化工有限公司")])
def test_the_loader_rejects_a_name_repeated_under_the_shared_key(tmp_path: Path, first: str, second: str) -> None:
    tables = copy.deepcopy(TINY)
    tables["enterprises"][0]["name"] = first
    tables["enterprises"].append({"enterprise_id": "E9", "name": second, "leader": "否", "source": "test"})
    loaded, report = load(write_tables(tmp_path / "dup", tables))
    dup = [r for r in report.rejections if r.table == "enterprises"]
    assert [(r.row, r.column) for r in dup] == [(7, "name")] and "重复的名称" in dup[0].reason_zh
    assert list(loaded["enterprises"]["name"])[0] == first  # the kept row keeps its spelling
    t = report.counts["enterprises"]
    assert (t.read, t.loaded, t.rejected) == (6, 5, 1)
    assert report.totals["read"] == report.totals["loaded"] + report.totals["rejected"]


# --- chains ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["可降解材料", "c1", "C1", " 可降解 材料 "])
def test_a_chain_by_name_or_id_gives_the_answer_of_its_id(named: ChainGraph, typed: str) -> None:
    expected = analyse(named, chain="c1")
    got = analyse(named, chain=typed)
    assert got.chain == "c1" and got.gaps == expected.gaps and list(got.completeness) == ["c1"]


@pytest.mark.parametrize("typed, match", [("可降解", "可降解材料(c1)"), ("精细化", "精细化工(c2)"),
                                          ("可降解材科", "可降解材料(c1)")])
def test_an_unknown_chain_lists_the_closest(named: ChainGraph, typed: str, match: str) -> None:
    with pytest.raises(UnknownName) as e:
        analyse(named, chain=typed)
    assert e.value.code == "unknown-chain" and e.value.option == "--chain"
    assert e.value.matches[0] == match
    assert e.value.zh.startswith(f"未知产业链“{typed}”，是否指：{match}")


def test_a_chain_with_nothing_alike_says_so(named: ChainGraph) -> None:
    with pytest.raises(UnknownName) as e:
        analyse(named, chain="zzz")
    assert e.value.matches == [] and "没有相近的名称" in e.value.zh and "no similar name" in e.value.en


def test_cli_unknown_chain_on_the_builtin_data_suggests_the_cluster(capsys) -> None:
    err = fails(capsys, "gaps", "--chain", "煤化工")
    assert "错误 [unknown-chain] --chain：未知产业链“煤化工”，是否指：现代煤化工(coal_chem)" in err
    assert "error [unknown-chain] --chain: unknown chain '煤化工'; did you mean: 现代煤化工(coal_chem)" in err
    err = fails(capsys, "targets", "--chain", "typo")
    assert "[unknown-chain]" in err and "未知产业链“typo”" in err and "unknown chain 'typo'" in err
    assert "共 0 个缺口" not in err


def test_cli_chain_by_name_is_the_chain_by_id(capsys, named_dir: Path) -> None:
    by_id = run_json(capsys, "gaps", "--data", str(named_dir), "--chain", "c2", "--json")
    assert by_id and {g["chain_id"] for g in by_id} == {"c2"}
    assert run_json(capsys, "gaps", "--data", str(named_dir), "--chain", "精细化工", "--json") == by_id
    assert run_json(capsys, "gaps", "--data", str(named_dir), "--chain", "C2", "--json") == by_id


# --- regions --------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, region", [("乌海市", "wuhai"), ("乌海", "wuhai"), ("WUHAI", "wuhai"),
                                           ("海南区", "wuhai_hainan"), ("海南", "wuhai_hainan"), ("乌斯太", "alxa_wusitai")])
def test_a_region_by_name_short_name_or_id(named: ChainGraph, typed: str, region: str) -> None:
    assert resolve(named, REGION, typed) == region


def test_the_home_region_by_name_gives_the_answer_of_its_id(named: ChainGraph) -> None:
    by_id = analyse(named, region="wuhai")
    for typed in ("乌海", "乌海市"):
        got = analyse(named, region=typed)
        assert got.home_region == "wuhai" and got.settings["home_region"] == "wuhai"
        assert got.gaps == by_id.gaps and got.targets == by_id.targets
    assert stats(named, home="乌海") == stats(named, home="wuhai")


@pytest.mark.parametrize("typed", ["乌海县", "乌海x"])
def test_an_unknown_region_lists_the_closest(named: ChainGraph, typed: str) -> None:
    with pytest.raises(UnknownName) as e:
        analyse(named, region=typed)
    assert e.value.code == "unknown-region" and e.value.option == "--region"
    assert e.value.matches[0] == "乌海市(wuhai)"


def test_a_home_region_from_the_settings_that_the_data_lacks_is_an_error(named: ChainGraph) -> None:
    with pytest.raises(UnknownName) as e:
        analyse(named, settings={**analyse(named).settings, "home_region": "ordos"})
    assert e.value.code == "unknown-region" and e.value.option == "home_region"
    assert "--config" in e.value.hint_zh and "--region" in e.value.hint_en


def test_cli_unknown_region(capsys, named_dir: Path) -> None:
    for command in ("gaps", "targets", "completeness", "stats"):
        err = fails(capsys, command, "--data", str(named_dir), "--region", "乌海县")
        assert "错误 [unknown-region]" in err and "error [unknown-region]" in err and "乌海市(wuhai)" in err, command


# --- products -------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["丁二醇", "BDO", "ＢＤＯ", "1，4-丁二醇", "1,4-丁二醇", "bdo"])
def test_a_product_by_alias_name_or_id_gives_the_answer_of_its_id(named: ChainGraph, typed: str) -> None:
    assert what_if(named, [Addition("E2", typed, 5)]) == what_if(named, [Addition("E2", "bdo", 5)])


@pytest.mark.parametrize("typed, match", [("丁二", "1,4-丁二醇(bdo)"), ("聚氯乙稀", "聚氯乙烯(pvc)"), ("THFF", "四氢呋喃(thf)")])
def test_an_unknown_product_lists_the_closest(named: ChainGraph, typed: str, match: str) -> None:
    with pytest.raises(UnknownName) as e:
        what_if(named, [Addition("E2", typed)])
    assert e.value.code == "unknown-product" and match in e.value.matches


def test_a_name_wins_over_an_alias_that_another_product_uses(named: ChainGraph) -> None:
    """Tiers: an id before a name before an alias, so one spelling never names two rows by chance."""
    products = pd.DataFrame({"product_id": ["a", "b"], "name_zh": ["甲醇", "乙醇"], "name_en": ["", ""],
                             "aliases": ["乙醇", ""]})
    names = Names.of(PRODUCT, products, [["name_zh", "name_en"], ["aliases"]], lists=["aliases"])
    assert names.resolve("乙醇") == "b" and names.resolve("甲醇") == "a"


# --- firms ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["E2", "e2", "乙化学有限公司", "乙化学 有限公司", "乙化学", "乙化学　"])
def test_a_firm_by_id_name_or_short_name_gives_the_answer_of_its_id(named: ChainGraph, typed: str) -> None:
    assert what_if(named, [Addition(typed, "bdo", 5)]) == what_if(named, [Addition("E2", "bdo", 5)])


def test_a_short_name_two_firms_share_is_ambiguous(named: ChainGraph) -> None:
    with pytest.raises(AmbiguousName) as e:
        what_if(named, [Addition("化工集团", "bdo")])
    assert e.value.code == "ambiguous-firm"
    assert e.value.matches == ["丙集团股份有限公司(E3)", "戊化工集团有限公司(E5)"]
    assert "可指多个企业" in e.value.zh and "names several firms" in e.value.en
    # the full name of either is not ambiguous
    assert what_if(named, [Addition("戊化工集团有限公司", "bdo")]) == what_if(named, [Addition("E5", "bdo")])


@pytest.mark.parametrize("typed, match", [("乙化学有限", "乙化学有限公司(E2)"), ("乙化学有线公司", "乙化学有限公司(E2)"),
                                          ("甲化", "甲化工有限公司(E1)")])
def test_an_unknown_firm_lists_the_closest(named: ChainGraph, typed: str, match: str) -> None:
    with pytest.raises(UnknownName) as e:
        what_if(named, [Addition(typed, "bdo")])
    assert e.value.code == "unknown-firm" and e.value.option == "--add" and match in e.value.matches


def test_firm_look_up_by_key_on_the_tables(named: ChainGraph) -> None:
    from queries.source import TableSource

    src = TableSource(named)
    assert list(src.firms_named("乙化学 有限公司")["enterprise_id"]) == ["E2"]
    assert list(src.firms_named("化工集团")["enterprise_id"]) == ["E3", "E5"]
    look_alike = src.firms_named("化工有限")  # no row is it: rows spelt like it, for the suggestions
    assert set(look_alike["enterprise_id"]) >= {"E1"}
    assert firm_names(look_alike).find("化工有限") == []


def test_cli_firm_names(capsys, named_dir: Path) -> None:
    by_id = run_json(capsys, "whatif", "--data", str(named_dir), "--add", "E2:bdo:5", "--json")
    assert by_id["completeness"]["c1"]["after"] == round(4.5 / 7, 4)
    assert run_json(capsys, "whatif", "--data", str(named_dir), "--add", "乙化学：丁二醇：5", "--json") == by_id
    err = fails(capsys, "whatif", "--data", str(named_dir), "--add", "化工集团:bdo")
    assert "错误 [ambiguous-firm]" in err and "error [ambiguous-firm]" in err
    assert "丙集团股份有限公司(E3)" in err and "戊化工集团有限公司(E5)" in err
    err = fails(capsys, "whatif", "--data", str(named_dir), "--add", "乙化学有线公司:bdo")
    assert "[unknown-firm]" in err and "未知企业" in err and "unknown firm" in err and "乙化学有限公司(E2)" in err


# --- projects -------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["P1", "p1", "年产3万吨四氢呋喃项目", "年产３万吨 四氢呋喃项目"])
def test_a_project_by_name_or_id(named: ChainGraph, typed: str) -> None:
    assert project_additions(named, typed) == [Addition("E1", "thf")]
    assert what_if(named, projects=[typed]) == what_if(named, projects=["P1"])


@pytest.mark.parametrize("typed", ["四氢呋喃项目", "P2"])
def test_an_unknown_project_lists_the_closest(named: ChainGraph, capsys, named_dir: Path, typed: str) -> None:
    with pytest.raises(UnknownName) as e:
        what_if(named, projects=[typed])
    assert e.value.code == "unknown-project"
    err = fails(capsys, "whatif", "--data", str(named_dir), "--project", typed)
    assert "错误 [unknown-project] --project" in err and "error [unknown-project] --project" in err
    if typed == "四氢呋喃项目":
        assert e.value.matches == ["年产3万吨四氢呋喃项目(P1)"]


# --- what-if: new investors and capacities --------------------------------------------------------

def test_a_new_investor_plant_counts_as_a_new_local_plant_and_is_marked_hypothetical(named: ChainGraph) -> None:
    """A single new local BDO plant, by hand (as for E2's in test_queries): BDO 断链 -> 弱链, PBAT
    断链 -> 延链, c1 = (1 + 1 + 2 + 0.5 + 0) / 7."""
    firms_before = named.tables["enterprises"].copy()
    result = what_if(named, [Addition("某某新材料", "bdo", 5)], new_firms=[NewFirm("某某新材料", "浙江省", "杭州市")])
    assert [(c.gap.product_id, c.kind_before, c.kind_after) for c in result.changed] == [
        ("bdo", "missing", "weak"), ("pbat", "missing", "extend")]
    assert result.completeness["c1"].after == round(4.5 / 7, 4)
    [plant] = result.plants
    assert plant.new_firm and plant.name == "某某新材料（假设新投资方，乌海市新建）" and plant.product_id == "bdo"
    assert plant.enterprise_id == "hypothetical-1@wuhai" and plant.capacity == 5.0
    weak = result.changed[0].gap
    assert weak.reasons[0]["firm_names"] == ["某某新材料（假设新投资方，乌海市新建）"]
    pd.testing.assert_frame_equal(named.tables["enterprises"], firms_before)  # nothing written into the data


def test_a_new_investor_given_directly_in_an_addition(named: ChainGraph) -> None:
    direct = what_if(named, [Addition(NewFirm("某某新材料"), "bdo", 5), Addition(NewFirm("某某 新材料"), "pbat")])
    assert [p.enterprise_id for p in direct.plants] == ["hypothetical-1@wuhai"] * 2
    assert all(p.new_firm for p in direct.plants)


@pytest.mark.parametrize("new_firms, additions, code", [
    ([NewFirm("甲化工有限公司")], [Addition("甲化工有限公司", "bdo")], "new-firm-exists"),  # a real firm's name
    ([NewFirm("乙化学")], [Addition("乙化学", "bdo")], "new-firm-exists"),  # a real firm's short name
    ([NewFirm("某某新材料")], [Addition("某某新材", "bdo")], "new-firm-unused"),  # mistyped in the addition
    ([NewFirm("某某新材料"), NewFirm("某某 新材料")], [Addition("某某新材料", "bdo")], "duplicate-new-firm"),
])
def test_new_investor_mistakes(named: ChainGraph, new_firms, additions, code: str) -> None:
    with pytest.raises(InputError) as e:
        what_if(named, additions, new_firms=new_firms)
    assert e.value.code == code and e.value.zh and e.value.en


@pytest.mark.parametrize("capacity, code", [(-1, "negative-capacity"), ("-0.5", "negative-capacity"),
                                            (math.nan, "bad-capacity"), (math.inf, "bad-capacity"),
                                            ("inf", "bad-capacity"), ("十万", "bad-capacity"), (True, "bad-capacity")])
def test_a_capacity_that_is_no_finite_non_negative_number_is_refused(capacity, code: str) -> None:
    with pytest.raises(InputError) as e:
        Addition("E2", "bdo", capacity)
    assert e.value.code == code and e.value.option == "--add"


def test_capacities_as_typed() -> None:
    assert Addition("E2", "bdo", "１０").capacity == 10.0
    assert Addition("E2", "bdo", "1,500").capacity == 1500.0
    assert Addition("E2", "bdo", 0).capacity == 0.0
    assert Addition("E2", "bdo", "").capacity is None


@pytest.mark.parametrize("text, expected", [
    ("E2:bdo:5", Addition("E2", "bdo", 5.0)), ("乙化学：丁二醇", Addition("乙化学", "丁二醇")),
    ("a:b:c:7", Addition("a:b", "c", 7.0)),
])
def test_parse_addition(text: str, expected: Addition) -> None:
    assert parse_addition(text) == expected


@pytest.mark.parametrize("text", ["E2", ":bdo", "E2:"])
def test_parse_addition_refuses_a_spec_without_firm_and_product(text: str) -> None:
    with pytest.raises(InputError) as e:
        parse_addition(text)
    assert e.value.code == "bad-addition"


def test_parse_new_firm() -> None:
    assert parse_new_firm("某某新材料,浙江省,杭州市") == NewFirm("某某新材料", "浙江省", "杭州市")
    assert parse_new_firm("某某新材料，浙江省") == NewFirm("某某新材料", "浙江省", "")
    for bad, code in (("a,b,c,d", "bad-new-firm"), (",浙江省", "bad-new-firm")):
        with pytest.raises(InputError) as e:
            parse_new_firm(bad)
        assert e.value.code == code


def test_cli_new_investor(capsys, named_dir: Path) -> None:
    result = run_json(capsys, "whatif", "--data", str(named_dir), "--new-firm", "某某新材料,浙江省,杭州市",
                      "--add", "某某新材料:BDO:5", "--json")
    assert result["completeness"]["c1"]["after"] == round(4.5 / 7, 4)
    assert [(p["name"], p["new_firm"]) for p in result["plants"]] == [("某某新材料（假设新投资方，乌海市新建）", True)]
    main(["whatif", "--data", str(named_dir), "--new-firm", "某某新材料", "--add", "某某新材料:BDO"])
    assert "假设 assumed\t某某新材料（假设新投资方，乌海市新建）\t1,4-丁二醇" in capsys.readouterr().out
    err = fails(capsys, "whatif", "--data", str(named_dir), "--new-firm", "某某新材料", "--add", "某某:BDO")
    assert "错误 [new-firm-unused] --new-firm" in err and "error [new-firm-unused]" in err


@pytest.mark.parametrize("argv, code", [
    ([], "whatif-nothing"), (["--add", "E2:bdo:-5"], "negative-capacity"), (["--add", "E2:bdo:nan"], "bad-capacity"),
    (["--add", "E2"], "bad-addition"), (["--new-firm", "a,b,c,d", "--add", "a:bdo"], "bad-new-firm"),
])
def test_cli_whatif_bad_input(capsys, named_dir: Path, argv: list[str], code: str) -> None:
    err = fails(capsys, "whatif", "--data", str(named_dir), *argv)
    assert f"错误 [{code}]" in err and f"error [{code}]" in err


# --- the same on Neo4j (skipped without a server outside CI) --------------------------------------

def test_names_on_neo4j(store, named: ChainGraph) -> None:  # noqa: F811
    from graph.neo4j_store import push
    from queries.cypher import Neo4jSource

    push(named, store, progress=False)
    db = Neo4jSource(store)
    assert analyse(db, chain="可降解材料", region="乌海").to_json() == analyse(named, chain="c1").to_json()
    for typed in ("乙化学 有限公司", "乙化学", "e2"):
        assert what_if(db, [Addition(typed, "丁二醇", 5)]) == what_if(named, [Addition("E2", "bdo", 5)]), typed
    with pytest.raises(AmbiguousName) as e:
        what_if(db, [Addition("化工集团", "bdo")])
    assert e.value.matches == ["丙集团股份有限公司(E3)", "戊化工集团有限公司(E5)"]
    with pytest.raises(UnknownName) as e:
        what_if(db, [Addition("乙化学有限", "bdo")])
    assert e.value.code == "unknown-firm" and "乙化学有限公司(E2)" in e.value.matches
    new = [Addition("某某新材料", "bdo", 5)], [NewFirm("某某新材料", "浙江省")]
    assert what_if(db, new[0], new_firms=new[1]) == what_if(named, new[0], new_firms=new[1])
    with pytest.raises(InputError) as e:
        what_if(db, [Addition("乙化学", "bdo")], new_firms=[NewFirm("乙化学")])
    assert e.value.code == "new-firm-exists"

