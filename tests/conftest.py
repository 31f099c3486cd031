r"""Shared fixtures: a tiny hand-made dataset whose every count and gap can be worked out by hand.

The firms here are fictional placeholders for tests only (甲乙丙丁); the built-in demo data uses
real firms.

    carbide -> acetylene -> bdo -> thf        chain c1: carbide, acetylene, bdo*, thf, pbat*
                     |         \-> pbat      chain c2: carbide, acetylene*, pvc, pvc_catalyst
                     \-> pvc <- pvc_catalyst (辅料)              (* = focus product)
    route: pvc:carbide (电石法) names PVC's two inputs; the other inputs form their output's default route.
    firms: E1 local (carbide, acetylene; both rows 已核实); E2 neighbour (bdo); E3, E5 leaders elsewhere (bdo, pvc);
    E4 national SRDI elsewhere (thf, pvc_catalyst); project P1: THF plant being built in Wuhai.
    regions: wuhai ⊃ wuhai_hainan (local); alxa_wusitai ~47 km (neighbour); beijing (elsewhere)
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest

from workbench.server import configure as configure_django

# Django is set up once per process, with the settings of whoever asks first. The workbench's are
# a superset of the tracking store's, so the suite asks with those first, for a throw-away
# workspace; each test then opens its own workspace (tracking.db.open_tracking switches the database).
configure_django(tempfile.mkdtemp(prefix="chainkg_tests_"))

TINY: dict[str, list[dict[str, str]]] = {
    "regions": [
        {"region_id": "wuhai", "name_zh": "乌海市", "kind": "city", "parent_id": "", "lat": "39.65", "lon": "106.82"},
        {"region_id": "wuhai_hainan", "name_zh": "海南区", "kind": "district", "parent_id": "wuhai", "lat": "", "lon": ""},
        {"region_id": "alxa_wusitai", "name_zh": "乌斯太", "kind": "town", "parent_id": "", "lat": "39.42", "lon": "106.35"},
        {"region_id": "beijing", "name_zh": "北京市", "kind": "city", "parent_id": "", "lat": "39.90", "lon": "116.40"},
    ],
    "chains": [
        {"chain_id": "c1", "name_zh": "可降解材料", "tier": "百亿级产业链"},
        {"chain_id": "c2", "name_zh": "精细化工", "tier": "百亿级产业链"},
    ],
    "products": [
        {"product_id": "carbide", "name_zh": "电石", "aliases": "碳化钙", "unit": "万吨/年"},
        {"product_id": "acetylene", "name_zh": "乙炔", "aliases": "", "unit": "万吨/年"},
        {"product_id": "bdo", "name_zh": "1,4-丁二醇", "aliases": "BDO|丁二醇", "unit": "万吨/年"},
        {"product_id": "thf", "name_zh": "四氢呋喃", "aliases": "THF", "unit": "万吨/年"},
        {"product_id": "pbat", "name_zh": "PBAT", "aliases": "", "unit": "万吨/年"},
        {"product_id": "pvc", "name_zh": "聚氯乙烯", "aliases": "PVC", "unit": "万吨/年"},
        {"product_id": "pvc_catalyst", "name_zh": "无汞触媒", "aliases": "", "unit": "吨/年"},
    ],
    "routes": [
        {"route_id": "pvc:carbide", "product_id": "pvc", "name_zh": "电石法", "name_en": "carbide route",
         "captive": "", "byproducts": "", "source": "test"},
    ],
    "chain_products": [
        {"chain_id": "c1", "product_id": "carbide", "segment": "上游", "focus": "否"},
        {"chain_id": "c1", "product_id": "acetylene", "segment": "上游", "focus": "否"},
        {"chain_id": "c1", "product_id": "bdo", "segment": "中游", "focus": "是"},
        {"chain_id": "c1", "product_id": "thf", "segment": "中游", "focus": "否"},
        {"chain_id": "c1", "product_id": "pbat", "segment": "下游", "focus": "是"},
        {"chain_id": "c2", "product_id": "carbide", "segment": "上游", "focus": "否"},
        {"chain_id": "c2", "product_id": "acetylene", "segment": "中游", "focus": "是"},
        {"chain_id": "c2", "product_id": "pvc", "segment": "下游", "focus": "否"},
        {"chain_id": "c2", "product_id": "pvc_catalyst", "segment": "上游", "focus": "否"},
    ],
    "feeds": [
        {"input_id": "carbide", "output_id": "acetylene", "kind": "原料"},
        {"input_id": "acetylene", "output_id": "bdo", "kind": "原料"},
        {"input_id": "bdo", "output_id": "thf", "kind": "原料"},
        {"input_id": "bdo", "output_id": "pbat", "kind": "原料"},
        {"input_id": "acetylene", "output_id": "pvc", "kind": "原料", "route_id": "pvc:carbide"},
        {"input_id": "pvc_catalyst", "output_id": "pvc", "kind": "辅料", "route_id": "pvc:carbide"},
    ],
    "enterprises": [
        {"enterprise_id": "E1", "name": "甲化工有限公司", "region_id": "wuhai_hainan", "leader": "否", "source": "test"},
        {"enterprise_id": "E2", "name": "乙化学有限公司", "region_id": "alxa_wusitai", "leader": "否", "source": "test"},
        {"enterprise_id": "E3", "name": "丙集团股份有限公司", "province": "北京市", "region_id": "", "leader": "是",
         "listed_code": "600000.SH", "source": "test"},
        {"enterprise_id": "E4", "name": "丁新材料有限公司", "province": "北京市", "region_id": "beijing", "leader": "否",
         "srdi_level": "国家级专精特新小巨人", "source": "test"},
        {"enterprise_id": "E5", "name": "戊化工集团有限公司", "province": "天津市", "leader": "是",
         "listed_code": "600001.SH", "source": "test"},
    ],
    "produces": [
        {"enterprise_id": "E1", "product_id": "carbide", "capacity": "40", "status": "在产", "verified": "已核实",
         "verified_on": "2024-05-20"},
        {"enterprise_id": "E1", "product_id": "acetylene", "capacity": "", "status": "在产", "verified": "已核实",
         "verified_on": "2024-05-20"},
        {"enterprise_id": "E2", "product_id": "bdo", "capacity": "5", "status": "在产"},
        {"enterprise_id": "E3", "product_id": "bdo", "capacity": "10", "status": "在产"},
        {"enterprise_id": "E4", "product_id": "thf", "capacity": "", "status": "在产"},
        {"enterprise_id": "E3", "product_id": "pvc", "capacity": "30", "status": "在产"},
        {"enterprise_id": "E5", "product_id": "pvc", "capacity": "30", "status": "在产"},
        {"enterprise_id": "E4", "product_id": "pvc_catalyst", "capacity": "", "status": "在产"},
    ],
    "projects": [
        {"project_id": "P1", "name": "年产3万吨四氢呋喃项目", "enterprise_id": "E1", "product_ids": "thf",
         "region_id": "wuhai_hainan", "amount": "5", "status": "在建", "date": "2023-09"},
    ],
}


def write_tables(folder: Path, tables: dict[str, list[dict[str, str]]], encoding: str = "utf-8") -> Path:
    """Write each table as `<name>.csv` with the union of its rows' keys as header."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        header = list(dict.fromkeys(k for r in rows for k in r)) or ["id"]
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=header)
            w.writeheader()
            w.writerows(rows)
    return folder


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "tiny", TINY)


@pytest.fixture
def tiny_graph(tiny_dir: Path):
    from graph import ChainGraph
    from loaders import load

    tables, report = load(tiny_dir)
    assert report.totals["rejected"] == 0, report.rejections
    return ChainGraph(tables)
