"""The benchmark's stages run, and its per-row baseline finds the same gaps and candidates as the
library on a generated dataset (2,000 firms): the speed-up it prints compares equal answers.

No timing is asserted here; speed is measured by `python -m bench`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.datasets import parse_sizes
from bench.stages import STAGES, agreement, has
from loaders.generate import generate


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("bench") / "data"
    generate(folder, firms=2000, products=60, chains=4, seed=3)
    ctx: dict = {"data": folder}
    for stage in STAGES:
        if stage.name not in ("graph", "site", "workbook") and (not stage.needs or has(*stage.needs)):
            stage.run(ctx)
    return ctx


def test_baseline_agrees_with_the_library(ran: dict) -> None:
    assert agreement(ran) == {"gaps": True, "targets": True}
    assert ran["gaps"] and ran["targets"]
    assert {g.kind for g in ran["gaps"]} == {"missing", "weak", "extend"}


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
