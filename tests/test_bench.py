"""The benchmark's stages run, and its per-row baseline finds the same gaps and candidates as the
library on a generated dataset (2,000 firms): the speed-up it prints compares equal answers.
The DuckDB SQL peer (`bench/peer.py`) finds the same as the library on that dataset and on the
built-in data, whose routes, captive intermediates and projects the generated data lacks.

No timing is asserted here; speed is measured by `python -m bench`. The peer needs duckdb (the
`test` and `bench` extras): without it the peer's tests skip, except under CI=true, where they fail.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.datasets import parse_sizes
from bench.stages import STAGES, agreement, answers, has, run_stage
from loaders import BUILTIN
from loaders.generate import generate


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("bench") / "data"
    generate(folder, firms=2000, products=60, chains=4, seed=3)
    return _run(folder)


def _run(folder: Path) -> dict:
    ctx: dict = {"data": folder}
    for stage in STAGES:
        if stage.name not in ("graph", "site", "workbook") and (not stage.needs or has(*stage.needs)):
            run_stage(stage, ctx)
    return ctx


@pytest.fixture(scope="module")
def duckdb_peer():
    try:
        import duckdb  # noqa: F401
    except ImportError:
        message = 'duckdb is not installed (pip install -e ".[test]" or ".[bench]"): the SQL peer is not checked'
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true requires it")
        pytest.skip(message + "; it always runs under CI=true")
    from bench import peer

    return peer


def _peer_answers(peer, folder: Path) -> dict:
    from queries.settings import load_settings

    con = peer.connect()
    peer.load(con, folder)
    gaps, targets = peer.answer(con, load_settings())
    return {"gaps": [[c, p, k, codes] for c, p, k, codes in gaps], "targets": [list(t) for t in targets]}


def test_baseline_agrees_with_the_library(ran: dict) -> None:
    assert agreement(ran) == {"gaps": True, "targets": True}
    assert ran["gaps"] and ran["targets"]
    assert {g.kind for g in ran["gaps"]} == {"missing", "weak", "extend"}


def test_the_peer_agrees_with_the_library_and_the_baseline_on_generated_data(ran: dict, duckdb_peer) -> None:
    found = answers(ran)
    theirs = _peer_answers(duckdb_peer, ran["data"])
    assert theirs["gaps"] and theirs["targets"]
    assert theirs == found["library"]
    assert theirs == found["baseline"]


def test_the_peer_agrees_with_the_library_on_the_builtin_data(duckdb_peer) -> None:
    from graph import ChainGraph
    from loaders import load
    from queries.analysis import analyse

    ours = answers({"analysis": analyse(ChainGraph(load()[0]))})["library"]
    theirs = _peer_answers(duckdb_peer, BUILTIN)
    assert theirs == ours
    codes = {c for _, _, _, cs in theirs["gaps"] for c in cs}
    # the rules the generated data never reaches: routes, captive intermediates, low capacity
    assert {"route_unknown", "captive_only", "low_capacity", "unverified"} <= codes


def test_the_peer_finds_the_hand_worked_gaps_and_scores_of_the_tiny_graph(tiny_dir: Path, duckdb_peer) -> None:
    """tests/conftest.py's graph. Carbide and acetylene: one local firm each (weak). BDO: made only
    by E2 nearby, local acetylene feeds it and the THF project needs it (missing). PBAT: nobody
    makes it (missing). PVC: local acetylene feeds it, nothing local downstream (extend); its
    catalyst is made only far away (missing). Gaps by chain, kind, focus first, segment, id.
    BDO's candidates: E3 leads, 50 (makes it) + 10 (listed) + 20 × 10/10 (largest capacity) +
    5 (one local input) = 85; E2 supports, 25 (makes it) + 20 (neighbour) = 45; E4 supports,
    15 (makes THF, downstream) + 15 (national SRDI) = 30. PBAT: E2 makes its input BDO, 30 + 20."""
    found = _peer_answers(duckdb_peer, tiny_dir)
    assert found["gaps"] == [
        ["c1", "bdo", "missing", ["no_local_producer", "local_feedstock", "local_demand", "neighbour_supply", "focus"]],
        ["c1", "pbat", "missing", ["no_local_producer", "no_producer_known", "focus"]],
        ["c1", "acetylene", "weak", ["single_producer"]],
        ["c1", "carbide", "weak", ["single_producer"]],
        ["c2", "pvc_catalyst", "missing", ["no_local_producer"]],
        ["c2", "acetylene", "weak", ["single_producer", "focus"]],
        ["c2", "carbide", "weak", ["single_producer"]],
        ["c2", "pvc", "extend", ["no_local_producer", "local_feedstock"]]]
    assert [t for t in found["targets"] if t[1] in ("bdo", "pbat")] == [
        ["c1", "bdo", "leader", 1, "E3", 85.0], ["c1", "bdo", "supporting", 1, "E2", 45.0],
        ["c1", "bdo", "supporting", 2, "E4", 30.0], ["c1", "pbat", "supporting", 1, "E2", 50.0]]


def test_the_peer_rounds_as_numpy_not_as_duckdb(duckdb_peer) -> None:
    """0.125 and 0.625 are exact in binary: numpy rounds them half to even (0.12, 0.62), DuckDB's
    round() half away from zero (0.13, 0.63); 0.375 rounds up either way. The peer's r2 is numpy's."""
    con = duckdb_peer.connect()
    con.execute(duckdb_peer._statements({"home_region": "x", "neighbour_radius_km": 1, "weak": {},
                                         "leader_score": {}, "support_score": {},
                                         "targets": {"leaders_per_gap": 1, "supporters_per_gap": 1}})[0][0])
    got = con.execute("SELECT r2(x), round(x, 2) FROM (VALUES (0.125::DOUBLE), (0.625), (0.375)) v(x)").fetchall()
    assert got == [(0.12, 0.13), (0.62, 0.63), (0.38, 0.38)]


def test_the_peer_counts_rule_violations(tmp_path: Path, duckdb_peer) -> None:
    """Built-in data with one PRODUCES row naming an unknown firm, one repeating a key, one without
    a product, and a region whose parent does not exist: each counted once, nothing else."""
    folder = tmp_path / "data"
    shutil.copytree(BUILTIN, folder)
    with (folder / "produces.csv").open("a", encoding="utf-8") as fh:
        first = (BUILTIN / "produces.csv").read_text(encoding="utf-8").splitlines()[1]
        fh.write("X999,bdo,,,在产,,待核实,,\n" + first + "\n" + "L001,,,,在产,,待核实,,\n")
    with (folder / "regions.csv").open("a", encoding="utf-8") as fh:
        fh.write("far_park,远方园区,park,nowhere,内蒙古自治区,,,\n")
    con = duckdb_peer.connect()
    duckdb_peer.load(con, folder)
    found = {k: v for k, v in duckdb_peer.violations(con).items() if v}
    assert found == {"produces.enterprise_id unknown": 1, "produces duplicate key": 1, "produces.product_id empty": 1,
                     "regions.parent_id unknown": 1}


def test_end_to_end_runs_give_one_answer_and_the_second_warm_run_hits_the_cache(ran: dict, tmp_path: Path,
                                                                                duckdb_peer) -> None:
    from bench.e2e import digest, timed

    runs = [timed("chainkg", ran["data"]), timed("warm", ran["data"], tmp_path / "cache"),
            timed("warm", ran["data"], tmp_path / "cache"), timed("peer", ran["data"])]
    assert [r.get("error") for r in runs] == [None] * 4
    assert [r["hit"] for r in runs] == [None, False, True, None]
    assert {r["digest"] for r in runs} == {digest(answers(ran)["library"])}


def test_sizes_parse() -> None:
    assert parse_sizes("1m,10k") == ["1m", "10k"]
    with pytest.raises(ValueError):
        parse_sizes("5k")


def test_stage_names_are_unique_and_ordered() -> None:
    names = [s.name for s in STAGES]
    assert len(names) == len(set(names))
    assert names.index("read") < names.index("validate") < names.index("build") < names.index("gaps")
    assert names[-1] == "graph"
    assert Path(__file__).parents[1].joinpath("bench", "__main__.py").exists()


def test_site_weights_count_each_chain_page_with_its_own_data(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("page_child", Path(__file__).parents[1] / "bench" / "page_child.py")
    child = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(child)
    (tmp_path / "lib" / "data").mkdir(parents=True)
    for name, size in {"index.html": 10, "chain_a.html": 100, "chain_b.html": 300, "lib/vis.js": 1000,
                       "lib/data/chain_a.js": 500, "lib/data/index.js": 40, "target_map.html": 7,
                       "lib/data/target_map.js": 3}.items():
        (tmp_path / name).write_bytes(b"x" * size)
    w = child.weights(tmp_path)
    # chain_a: 100 + its data 500; chain_b: 300 alone; shared: lib/ without the pages' own data; the
    # index with the lists; the target map with its places
    assert (w["largest_chain_page"], w["shared_bytes"], w["site_bytes"], w["index_bytes"]) == (600, 1000, 1960, 50)
    assert w["parts"] == {"chain pages": 400, "chain data": 500, "lists": 40, "index page": 10, "target map": 10,
                          "local map": 0, "shared lib": 1000}
    assert w["chain_page_sizes"] == [300, 600]


def test_national_shaped_data_keeps_most_products_out_of_flows(tmp_path: Path) -> None:
    import pandas as pd

    generate(tmp_path, firms=200, products=2000, chains=4, flows=0.2)
    products = pd.read_csv(tmp_path / "products.csv")["product_id"]
    feeds = pd.read_csv(tmp_path / "feeds.csv")
    in_flows = set(feeds["input_id"]) | set(feeds["output_id"])
    assert 0 < len(in_flows) <= 0.25 * len(products)  # about a fifth may flow; none of the others
    with pytest.raises(ValueError):
        generate(tmp_path / "x", firms=200, flows=0)
