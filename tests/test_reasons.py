"""Reasons packed for the pages (pages/reasons.py): rebuilt from templates and names exactly as the
queries write them, a clause no template knows carried as text, and every clause the queries write
with names encoded (so the site stays small). The browser side of `render` is tested in
tests/test_browser.py (test_reasons_the_pages_write_equal_the_queries)."""
from __future__ import annotations

import re

import pytest

from graph import ChainGraph
from loaders import load
from pages.packing import Packer, Texts, records
from pages.reasons import GAP_END, TARGET_END, Reasons, analysis_reasons, intern_clause, render
from queries.analysis import analyse
from queries.gaps import reason_zh
from queries.vocabulary import REASON_ZH

HOME = "乌海市"
# One reason of each code, its fields as queries.gaps writes them (names made up for the test).
REASONS = {
    "no_local_producer": {},
    "single_producer": {"firms": ["E1"], "firm_names": ["甲化工有限公司"]},
    "low_capacity": {"capacity": 2.5, "unit": "万吨/年", "threshold": 10.0},
    "local_feedstock": {"inputs": ["acetylene", "formaldehyde"], "input_names": ["乙炔", "甲醛"],
                        "firms": [["E1"], ["E2", "E3"]], "firm_names": [["甲化工有限公司"], ["乙公司", "丙公司"]]},
    "local_demand": {"outputs": ["thf", "pbat"], "output_names": ["四氢呋喃", "PBAT"]},
    "route_unknown": {"output": "pvc", "output_name": "聚氯乙烯", "firms": ["E1"], "firm_names": ["甲化工有限公司"],
                      "routes": ["a", "b"], "route_names": ["电石法", "乙烯法"]},
    "captive_only": {"plants": [["E1", "r"]], "firms": ["E1"], "routes": ["r"], "plant_text": "甲化工有限公司（电石法）"},
    "unverified": {"firms": ["E1"], "firm_names": ["甲化工有限公司"]},
    "neighbour_supply": {"firms": ["E2"], "firm_names": ["乙化学有限公司"]},
    "no_producer_known": {},
    "focus": {},
}


def gap(reasons: list[dict], text: str | None = None) -> dict:
    return {"product_name": "1,4-丁二醇", "reasons": reasons,
            "reason_zh": reason_zh(reasons, HOME, "1,4-丁二醇") if text is None else text}


def test_every_reason_code_has_a_case_here() -> None:
    assert set(REASONS) == set(REASON_ZH)


@pytest.mark.parametrize("code", list(REASONS))
def test_each_gap_reason_code_is_rebuilt_from_its_template(code: str) -> None:
    r = Reasons(HOME)
    g = gap([{"code": code, **REASONS[code]}])
    packed = r.gap(g)
    assert render(packed, str, r.templates, GAP_END) == g["reason_zh"]
    assert len(packed) == 1  # one clause (route_unknown's template holds a ； itself)
    if REASONS[code]:
        assert isinstance(packed[0], list), packed  # a template filled with names, not the clause as text


def test_a_gap_reason_by_hand() -> None:
    """乌海市仅甲化工有限公司一家生产；本地已有原料乙炔（甲化工有限公司）、甲醛（乙公司、丙公司），可就地转化。"""
    r = Reasons(HOME)
    g = gap([{"code": "single_producer", **REASONS["single_producer"]},
             {"code": "local_feedstock", **REASONS["local_feedstock"]}])
    single, feed = r.gap(g)
    assert r.templates[single[0]] == ["乌海市仅", 0, "一家生产"] and single[1:] == [["甲化工有限公司"]]
    assert r.templates[feed[0]] == ["本地已有原料", 0, "，可就地转化"]
    assert feed[1:] == [[["乙炔", ["甲化工有限公司"]], ["甲醛", ["乙公司", "丙公司"]]]]
    assert g["reason_zh"] == "乌海市仅甲化工有限公司一家生产；本地已有原料乙炔（甲化工有限公司）、甲醛（乙公司、丙公司），可就地转化。"


@pytest.mark.parametrize("text", [
    "本地已有原料乙炔（甲化工有限公司），可就地转化。",  # reasons without their fields (a hand-made result)
    "产能全国前列；乌海市无在产企业、无在建项目。",  # a clause no template writes
    "没有句号的原因",  # not made of clauses: one text
    "",
])
def test_what_no_template_writes_is_carried_as_text(text: str) -> None:
    r = Reasons(HOME)
    packed = r.gap(gap([{"code": "local_feedstock"}], text))
    assert render(packed, str, r.templates, GAP_END) == text


def test_a_name_holding_the_separator_still_reads_exactly() -> None:
    r = Reasons(HOME)
    reasons = [{"code": "single_producer", "firms": ["E1"], "firm_names": ["甲；乙公司"]}, {"code": "focus"}]
    g = gap(reasons)
    assert render(r.gap(g), str, r.templates, GAP_END) == "乌海市仅甲；乙公司一家生产；为重点招商产品。"


def test_a_target_reason_by_hand() -> None:
    """A listed leader making the gap product and one downstream of it, competing with a local product,
    for a focus gap with local feedstock (the clauses queries.targets writes, in its order)."""
    r = Reasons(HOME)
    feed = {"code": "local_feedstock", **REASONS["local_feedstock"]}
    t = {"product_name": "1,4-丁二醇", "makes": {"self": ["bdo"], "downstream": ["thf"]}, "listed_code": "600000.SH",
         "competes_with": ["pvc"], "focus": True,
         "reason_zh": "龙头企业；生产1,4-丁二醇；生产其下游产品四氢呋喃；上市公司（600000.SH）；竞争者：亦生产本地已有的聚氯乙烯；"
                      "本地可供原料乙炔（甲化工有限公司）、甲醛（乙公司、丙公司）；补齐重点产品1,4-丁二醇"}
    packed = r.target(t, {"reasons": [feed]}, {"bdo": "1,4-丁二醇", "thf": "四氢呋喃", "pvc": "聚氯乙烯"})
    assert packed[0] == "龙头企业"
    assert [r.templates[c[0]] for c in packed[1:]] == [
        ["生产", 0], ["生产其下游产品", 0], ["上市公司（", 0, "）"], ["竞争者：亦生产本地已有的", 0], ["本地可供原料", 0],
        ["补齐重点产品", 0]]
    assert render(packed, str, r.templates, TARGET_END) == t["reason_zh"]
    texts = Texts()
    clauses = [intern_clause(c, texts.ref) for c in packed]
    assert render(list(range(len(clauses))), texts.values.__getitem__, r.templates, TARGET_END, clauses) == t["reason_zh"]
    assert "龙头企业" in texts.values and "600000.SH" in texts.values and not any("；" in x for x in texts.values)


def test_a_table_of_reasons_reads_back_with_each_clause_once() -> None:
    r = Reasons(HOME)
    single = {"code": "single_producer", **REASONS["single_producer"]}
    gaps = [gap([single]), gap([], "乌海市无在产企业、无在建项目。"), gap([single, {"code": "focus"}]), gap([single])]
    pk = Packer()
    data = pk.finish({"gaps": pk.table([{"reason": r.gap(g)} for g in gaps], reason={"reason": GAP_END}),
                      "templates": r.templates})
    assert [x["reason"] for x in records(data["gaps"], data)] == [g["reason_zh"] for g in gaps]
    # the 弱链 clause, used three times, is written once and numbered first; the others follow
    assert data["gaps"]["cols"]["reason"] == [[0], [1], [0, 2], [0]]
    assert data["clauses"][0][1:] == [[data["texts"].index("甲化工有限公司")]]


@pytest.fixture(scope="module")
def builtin():
    tables, _ = load(None)
    return analyse(ChainGraph(tables))


def test_every_builtin_reason_reads_back_and_every_named_clause_is_encoded(builtin) -> None:
    reasons = analysis_reasons(builtin)
    written, literal = [], set()
    for items, end in ((builtin.gaps, GAP_END), (builtin.targets, TARGET_END)):
        for x in items:
            packed = reasons.of(vars(x))
            written.append(render(packed, str, reasons.templates, end) == x.reason_zh)
            literal |= {c for c in (packed if isinstance(packed, list) else [packed]) if isinstance(c, str)}
    assert all(written) and len(written) == len(builtin.gaps) + len(builtin.targets) > 1000
    # the clauses left as text are the few said the same way many times (role words, fixed phrases)
    shapes = [re.compile("".join(re.escape(p) if isinstance(p, str) else ".+" for p in t))
              for t in reasons.templates if any(isinstance(p, int) for p in t)]
    assert not [c for c in literal if any(shape.fullmatch(c) for shape in shapes)], literal
    assert len(literal) < 20, literal
