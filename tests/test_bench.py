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
