"""Routes, product kinds and verification states in the loaders: every bad row rejected with its
reason, old tables without the new columns still load. Expected rejections are worked out by hand
from the rows each test adds to the tiny tables (tests/conftest.py)."""
from __future__ import annotations

import copy
from pathlib import Path

from conftest import TINY, write_tables
from loaders import load
from loaders.templates import write_templates


def _load(tmp_path: Path, change) -> tuple[dict, list]:
    t = copy.deepcopy(TINY)
    change(t)
    tables, report = load(write_tables(tmp_path / "t", t))
    return tables, report.rejections


def test_defaults_material_and_unverified(tiny_graph) -> None:
    """Empty kind reads as 物料, empty verification as 待核实 (nothing counts as checked by default):
    only E1's two rows say 已核实 in the tiny tables."""
    t = tiny_graph.tables
    assert set(t["products"]["kind"]) == {"物料"}
    assert list(t["produces"]["verified"]) == ["已核实"] * 2 + ["待核实"] * 6
    assert set(t["enterprises"]["verified"]) == {"待核实"}
    assert list(t["feeds"]["route_id"]) == ["", "", "", "", "pvc:carbide", "pvc:carbide"]


def test_feeds_row_from_equipment_is_rejected(tmp_path: Path) -> None:
    """A reactor (设备) 'feeding' PVC is not a material flow: that FEEDS row (file row 8: header is row
    1, the six tiny rows are 2-7) is rejected on input_id; the product itself loads."""
    def change(t):
        t["products"].append({"product_id": "reactor", "name_zh": "聚合釜", "kind": "设备"})
        t["feeds"].append({"input_id": "reactor", "output_id": "pvc", "kind": "原料"})
    tables, rejected = _load(tmp_path, change)
    assert [(r.table, r.row, r.column) for r in rejected] == [("feeds", 8, "input_id")]
    assert "设备" in rejected[0].reason_zh and "物料" in rejected[0].reason_zh
    assert "reactor" in set(tables["products"]["product_id"]) and len(tables["feeds"]) == 6


def test_route_of_another_product_is_rejected(tmp_path: Path) -> None:
    """feeds row 8 names PVC's route for BDO, produces row 10 names it for E2's BDO plant: both are
    rejected on route_id; a route of the right product (row 11, E3's PVC plant) loads."""
    def change(t):
        t["feeds"].append({"input_id": "carbide", "output_id": "bdo", "kind": "原料", "route_id": "pvc:carbide"})
        t["produces"][2]["route_id"] = "pvc:carbide"  # E2 bdo, file row 4
        t["produces"].append({"enterprise_id": "E1", "product_id": "pvc", "status": "规划", "route_id": "pvc:carbide"})
    tables, rejected = _load(tmp_path, change)
    assert [(r.table, r.row, r.column) for r in rejected] == [("feeds", 8, "route_id"), ("produces", 4, "route_id")]
    assert "pvc" in rejected[0].reason_zh
    assert tables["produces"].query("enterprise_id == 'E1' and product_id == 'pvc'")["route_id"].tolist() == ["pvc:carbide"]


def test_routes_table_checks(tmp_path: Path) -> None:
    """routes rows 3-6 (row 2 is the tiny route): row 3 unknown product, row 4 repeats row 2's id,
    row 5 an unknown captive id, row 6 its own product as by-product. Row 7 is good."""
    def change(t):
        t["routes"] += [
            {"route_id": "x:1", "product_id": "nylon", "name_zh": "甲", "source": "s"},
            {"route_id": "pvc:carbide", "product_id": "pvc", "name_zh": "乙", "source": "s"},
            {"route_id": "bdo:reppe", "product_id": "bdo", "name_zh": "炔醛法", "captive": "acetylene|formaldehyde",
             "source": "s"},
            {"route_id": "bdo:x", "product_id": "bdo", "name_zh": "丙", "byproducts": "bdo", "source": "s"},
            {"route_id": "pvc:ethylene", "product_id": "pvc", "name_zh": "乙烯法", "source": "s"},
        ]
    tables, rejected = _load(tmp_path, change)
    assert [(r.row, r.column) for r in rejected if r.table == "routes"] == [
        (3, "product_id"), (4, "route_id"), (5, "captive"), (6, "byproducts")]
    assert list(tables["routes"]["route_id"]) == ["pvc:carbide", "pvc:ethylene"]


def test_cycle_through_a_route_is_rejected(tmp_path: Path) -> None:
    """A BDO route whose plant makes THF on the way (captive thf: thf -> bdo) plus the tiny FEEDS
    row bdo -> thf (feeds row 4) closes the cycle bdo -> thf -> bdo: that row is rejected."""
    def change(t):
        t["routes"].append({"route_id": "bdo:odd", "product_id": "bdo", "name_zh": "甲", "captive": "thf",
                            "source": "s"})
    tables, rejected = _load(tmp_path, change)
    assert [(r.table, r.row, r.column) for r in rejected] == [("feeds", 4, "input_id→output_id")]
    assert len(tables["feeds"]) == 5


def test_one_input_in_two_routes_of_one_output(tmp_path: Path) -> None:
    """The same input may appear once per route of its output (the key is input, output, route);
    the same row twice in one route is still a duplicate (file row 9 repeats row 8)."""
    def change(t):
        t["routes"].append({"route_id": "pvc:other", "product_id": "pvc", "name_zh": "甲", "source": "s"})
        t["feeds"] += [{"input_id": "acetylene", "output_id": "pvc", "kind": "原料", "route_id": "pvc:other"}] * 2
    tables, rejected = _load(tmp_path, change)
    assert [(r.table, r.row) for r in rejected] == [("feeds", 9)]
    assert len(tables["feeds"]) == 7


def test_templates_have_the_routes_table(tmp_path: Path) -> None:
    write_templates(tmp_path)
    header = (tmp_path / "routes.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "工艺路线编号" in header and "自用中间体" in header and "副产品" in header
