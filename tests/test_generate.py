"""The synthetic generator: deterministic, loads cleanly, and has the proportions it promises.

Sizes are small (2,000 firms, 60 products, 4 chains) so the expected counts can be worked out
from the parameters: 1 % of 2,000 = 20 leaders, 3 % = 60 专精特新, 300 local firms and
min(600, 2000 // 5) = 400 neighbours.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from graph import ChainGraph
from loaders import load
from loaders.generate import generate
from loaders.tables import TABLES
from queries.locality import enterprise_locality

SMALL = dict(firms=2000, products=60, chains=4, seed=7)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("gen") / "a"
    return folder, generate(folder, **SMALL)


@pytest.fixture(scope="module")
def loaded(small: tuple[Path, dict[str, int]]):
    return load(small[0])


def test_same_seed_same_bytes_other_seed_other_bytes(small, tmp_path: Path) -> None:
    folder, _ = small
    generate(tmp_path / "b", **SMALL)
    generate(tmp_path / "c", **{**SMALL, "seed": 8})
    for t in TABLES:
        assert (tmp_path / "b" / f"{t.name}.csv").read_bytes() == (folder / f"{t.name}.csv").read_bytes(), t.name
    assert (tmp_path / "c" / "produces.csv").read_bytes() != (folder / "produces.csv").read_bytes()


def test_writes_every_table_with_exactly_its_columns(small) -> None:
    folder, counts = small
    assert set(counts) == {t.name for t in TABLES}
    for t in TABLES:
        header = (folder / f"{t.name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == [c.id for c in t.columns]


def test_loads_with_no_rejections_and_read_equals_loaded(small, loaded) -> None:
    _, counts = small
    tables, report = loaded
    assert report.rejections == []
    # the generator writes no routes: its header-only routes.csv is the only warning
    assert [(w.code, w.file) for w in report.warnings] == ([("no-data-rows", "routes.csv")] if counts["routes"] == 0 else [])
    assert {name: c.read for name, c in report.counts.items()} == counts
    assert {name: c.loaded for name, c in report.counts.items()} == counts
    assert counts["enterprises"] == 2000 and counts["products"] == 60 and counts["chains"] == 4


def test_tag_proportions(loaded) -> None:
    firms = loaded[0]["enterprises"]
    assert int(firms["leader"].sum()) == 20
    levels = Counter(firms["srdi_level"])
    assert levels[""] == 2000 - 60
    assert set(levels) == {"", "国家级专精特新小巨人", "省级专精特新"}
    assert not (firms["leader"] & (firms["srdi_level"] != "")).any()
    assert firms["name"].str.match(r"^合成企业\d{6}$").all()


def test_local_neighbour_and_elsewhere_firms(loaded) -> None:
    tables = loaded[0]
    where = Counter(enterprise_locality(ChainGraph(tables), "wuhai", 150))
    assert where == {"local": 300, "neighbour": 400, "elsewhere": 1300}
    firms = tables["enterprises"]
    elsewhere = firms[firms["region_id"] == ""]
    assert len(elsewhere) == 2000 - 300 - 400 - 100  # 100 = neighbours // 4 in cities 180-400 km away
    assert (elsewhere["province"] != "").all() and (elsewhere["city"] != "").all()


def test_produces_about_three_per_firm(loaded) -> None:
    produces = loaded[0]["produces"]
    assert 2.8 <= len(produces) / 2000 <= 3.2
    assert produces["enterprise_id"].nunique() == 2000
    status = Counter(produces["status"])
    assert status["在产"] / len(produces) > 0.8 and status["在建"] > 0
    assert 0.2 < produces["capacity"].isna().mean() < 0.4


def test_feeds_is_a_dag_with_bounded_fan_in(loaded) -> None:
    tables = loaded[0]
    feeds = tables["feeds"]
    g = nx.DiGraph(list(zip(feeds["input_id"], feeds["output_id"])))
    assert nx.is_directed_acyclic_graph(g)
    raw = Counter(feeds.loc[feeds["kind"] == "原料", "output_id"])
    assert set(raw.values()) <= {1, 2, 3, 4}
    assert (feeds["kind"] == "辅料").sum() > 0
    assert max(d for _, d in g.out_degree()) >= 5  # some hubs feed many products


def test_chain_membership_and_projects(loaded) -> None:
    tables = loaded[0]
    per_product = Counter(tables["chain_products"]["product_id"])
    assert set(per_product) == set(tables["products"]["product_id"])
    assert set(per_product.values()) == {1, 2}
    assert len(tables["projects"]) == 40
    assert set(tables["projects"]["region_id"]) <= {r for r in tables["regions"]["region_id"] if r.startswith("wuhai")}


def test_cli_generate_writes_the_same_files(small, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    main(["generate", str(tmp_path / "cli"), "--firms", "2000", "--products", "60", "--chains", "4", "--seed", "7"])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 9 and out[-1].endswith("projects.csv\t40")
    assert (tmp_path / "cli" / "enterprises.csv").read_bytes() == (small[0] / "enterprises.csv").read_bytes()


def test_products_outside_every_flow_are_sometimes_equipment_or_uses(loaded, tmp_path: Path) -> None:
    """National-shaped data (most products in no FEEDS row): of those, about 5 % are 设备 and 2 % 用途
    (products.kind); every product FEEDS joins stays a material, as the loader requires."""
    generate(tmp_path / "n", firms=2000, products=3000, chains=4, seed=7, flows=0.1)
    tables, report = load(tmp_path / "n")
    assert report.totals["rejected"] == 0
    products, feeds = tables["products"], tables["feeds"]
    in_flow = set(feeds["input_id"]) | set(feeds["output_id"])
    kinds = Counter(products.loc[~products["product_id"].isin(in_flow), "kind"])
    outside = sum(kinds.values())
    assert set(kinds) == {"物料", "设备", "用途"} and outside > 2000
    assert 0.03 < kinds["设备"] / outside < 0.07 and 0.01 < kinds["用途"] / outside < 0.035
    assert set(products.loc[products["product_id"].isin(in_flow), "kind"]) == {"物料"}
    assert set(loaded[0]["products"]["kind"]) == {"物料"}  # every product flows (the default): all materials
