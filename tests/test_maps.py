"""Place resolution (GB/T 2260), the province tiles, and the data and HTML of the target and local maps."""
from __future__ import annotations

import json
import re
import pytest

from conftest import write_tables
from loaders import load
from maps_fixtures import TRIPS, XSS_BEIJING, XSS_LOCAL, XSS_TARGET, map_tables, map_targets
from pages.local_map import local_map_data, render_local_map
from pages.offline import external_refs
from pages.lists import firm_ids, lists_data
from pages.packing import records
from pages.places import gazetteer, short_name
from pages.target_map import render_target_map, target_map_data, target_map_places
from pages.tile_grid import COLUMNS, ROWS, TILES
from queries.settings import load_settings


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory):
    loaded, report = load(write_tables(tmp_path_factory.mktemp("maps"), map_tables()))
    assert report.totals["rejected"] == 0, report.rejections
    return loaded


@pytest.fixture(scope="module")
def settings():
    s = load_settings()
    return {**s, "trip_groups": TRIPS}


@pytest.fixture(scope="module")
def data(tables, settings):
    return target_map_data(map_targets(), tables, settings, "乌海市")


@pytest.mark.parametrize("province, city, expected", [
    ("内蒙古", "鄂尔多斯", ("150000", "内蒙古自治区", "150600", "鄂尔多斯市", "city")),
    ("内蒙古自治区", "乌海市", ("150000", "内蒙古自治区", "150300", "乌海市", "city")),
    ("宁夏", "石嘴山", ("640000", "宁夏回族自治区", "640200", "石嘴山市", "city")),
    ("新疆", "昌吉", ("650000", "新疆维吾尔自治区", "652300", "昌吉回族自治州", "city")),
    ("江苏省", "昆山市", ("320000", "江苏省", "320500", "苏州市", "district")),  # county-level city
    ("青海省", "格尔木市", ("630000", "青海省", "632800", "海西蒙古族藏族自治州", "district")),
    ("", "苏州市", ("320000", "江苏省", "320500", "苏州市", "city")),  # province told from a unique city
    ("上海", "", ("310000", "上海市", "310000", "上海市", "city")),  # 直辖市: the city is the province
    ("江苏省", "不存在市", ("320000", "江苏省", "", "", "province")),  # city unknown: province only
])
def test_places_resolve_to_standard_divisions(province, city, expected):
    p = gazetteer().resolve(province, city)
    assert (p.province_code, p.province, p.city_code, p.city, p.level) == expected


def test_places_that_cannot_be_told_apart_or_found_give_none():
    g = gazetteer()
    assert g.resolve("火星省", "") is None
    assert g.resolve("", "朝阳区") is None  # 北京 and 长春 both have one
    assert g.find("朝阳区", "district") is None and g.find("朝阳区", "district", "11").code == "110105"


def test_short_names():
    assert [short_name(n) for n in ("广西壮族自治区", "延边朝鲜族自治州", "博尔塔拉蒙古自治州", "香港特别行政区", "神农架林区")] \
        == ["广西", "延边", "博尔塔拉", "香港", "神农架"]


def test_tiles_cover_every_province_level_division_once_without_overlap():
    provinces = {d.code[:2] for d in gazetteer().by_code.values() if d.level == "province"}
    assert set(TILES) == provinces and len(provinces) == 34  # 台湾, 香港, 澳门 included
    cells = [(r, c + i) for r, c, w in TILES.values() for i in range(w)]
    assert len(cells) == len(set(cells))
    assert all(0 <= r < ROWS and 0 <= c < COLUMNS for r, c in cells)


def _firms_by_province(data):
    out = {}
    for f in data["firms"]:
        out.setdefault(f["province"], set()).add(f["id"])
    return out


def test_target_map_data_places_every_firm_by_hand(data):
    assert _firms_by_province(data) == {"11": {"E3", "M6"}, "12": {"E5"}, "32": {"M1", "M2", "M3"}, "15": {"M4"},
                                        "": {"M5"}}
    firms = {f["id"]: f for f in data["firms"]}
    assert (firms["M1"]["city"], firms["M3"]["city"], firms["M2"]["city"]) == ("320500", "320500", "320100")
    assert firms["M3"]["km_level"] == "district"
    # M4 sits in region 棋盘井镇 (39.345, 107.000); Wuhai is (39.65, 106.82) in the tiny table:
    # 0.305° north ≈ 33.9 km, 0.18° east × cos 39.5° ≈ 15.4 km, together ≈ 37 km.
    assert (firms["M4"]["km"], firms["M4"]["km_level"]) == (37, "region")
    assert firms["M5"]["province"] == "" and firms["M5"]["km"] is None and firms["M5"]["province_text"] == "火星省"
    assert data["home"]["province"] == "15" and data["home"]["name"] == "乌海市"


def test_the_page_reads_targets_from_the_lists_and_places_in_their_firm_order(data):
    """The page joins the site's lists (pages.lists) with the places table row by row: both in the
    order the targets first name each firm."""
    lists = lists_data([], map_targets(), "乌海市", {})
    firms, links = records(lists["firms"], lists), records(lists["links"], lists)
    per_firm = {}
    for t in records(lists["targets"], lists):
        per_firm.setdefault(firms[t["firm"]]["id"], []).append(links[t["link"]]["product"])
    assert per_firm == {"E3": ["1,4-丁二醇", "聚氯乙烯"], "M1": ["1,4-丁二醇"], "M2": ["聚氯乙烯"], "M3": ["聚氯乙烯"],
                        "M4": ["1,4-丁二醇"], "M5": ["1,4-丁二醇"], "E5": ["聚氯乙烯"], "M6": ["1,4-丁二醇"]}
    assert [f["id"] for f in firms] == firm_ids(map_targets()) == ["E3", "M1", "M2", "M3", "M4", "M5", "E5", "M6"]
    places = target_map_places(data, firm_ids(map_targets()))
    rows = records(places["places"], places)
    assert [(r["province"], r["city"]) for r in rows] == [("11", "110000"), ("32", "320500"), ("32", "320100"), ("32", "320500"),
                                                          ("15", "150600"), ("", ""), ("12", "120000"), ("11", "110000")]  # 直辖市: the city is the province
    assert rows[4]["km"] == 37  # M4, in region 棋盘井镇 (worked above)
    assert rows[5] == {"province_text": "火星省", "city_text": "", "province": "", "city": "", "km": None, "km_level": ""}


def test_trip_groups_resolve_to_provinces_and_cities(data):
    trips = {t["name"]: t for t in data["trips"]}
    assert trips["京津冀"]["provinces"] == ["11", "12", "13"]
    assert trips["长三角"]["provinces"] == ["31", "32", "33", "34"]
    assert trips["苏州"]["cities"] == ["320500"] and trips["苏州"]["labels"] == ["苏州市"]
    assert trips["未知"]["unknown"] == ["火星"]


def test_neighbours_within_the_radius_with_their_target_firms(data):
    # tiny regions: 棋盘井镇 ≈ 37 km and 乌斯太 ≈ 48 km (25.6 km south, 40.3 km west) are within 150 km; 北京 is not.
    names = [(n["name"], n["firms"]) for n in data["neighbours"]]
    assert names == [("棋盘井镇", ["M4"]), ("乌斯太", [])]
    assert data["neighbours"][0]["x"] > 0 and data["neighbours"][0]["y"] < 0  # south-east of Wuhai


def test_target_map_html_is_offline_and_keeps_names_out_of_markup(tables, settings):
    html = render_target_map(map_targets(), tables, settings, "乌海市")
    assert external_refs(html) == []
    assert "Content-Security-Policy" in html
    assert XSS_TARGET not in html and XSS_BEIJING not in html  # only escaped inside the JSON
    blob = re.search(r'\(window\.chainkgData = window\.chainkgData \|\| \{\}\)\["index"\] = (.*?);\(window', html,
                     re.S).group(1)
    lists = json.loads(blob)
    firms = records(lists["firms"], lists)
    assert next(f["name"] for f in firms if f["id"] == "M5") == XSS_TARGET
    assert "示意图" in html and "geotool-cn" in html


def test_local_map_data_by_hand(tables, settings):
    d = local_map_data(tables, settings, "乌海市")
    assert [r["id"] for r in d["regions"]] == ["wuhai", "wuhai_hainan"]
    hainan = d["regions"][1]
    assert hainan["x"] is None  # no coordinates in the tiny table: drawn schematically
    assert sorted(f["id"] for f in d["firms"]) == ["E1", "M7"]
    m7 = next(f for f in d["firms"] if f["id"] == "M7")
    assert m7["name"] == XSS_LOCAL and m7["makes"] == ["电石"]
    assert [(p["id"], p["region"], p["investor"], p["products"]) for p in d["projects"]] == \
        [("P1", "wuhai_hainan", "甲化工有限公司", ["四氢呋喃"])]
    assert [n["id"] for n in d["neighbours"]] == ["qipanjing", "alxa_wusitai"]
    html = render_local_map(tables, settings, "乌海市")
    assert external_refs(html) == [] and XSS_LOCAL not in html


def test_builtin_local_map_lists_each_parks_firms_and_projects():
    tables, _ = load(None)
    d = local_map_data(tables, load_settings(), "乌海市")
    firms = {}
    for f in d["firms"]:
        firms.setdefault(f["region"], []).append(f["id"])
    projects = {}
    for p in d["projects"]:
        projects.setdefault(p["region"], []).append(p["id"])
    # loaders/data: enterprises.csv has 4 firms in wuhai_lowcarbon_park; projects.csv P001, P003, P007, P008 land there
    assert len(firms["wuhai_lowcarbon_park"]) == 4
    assert sorted(projects["wuhai_lowcarbon_park"]) == ["P001", "P003", "P007", "P008"]
    assert {r["id"] for r in d["regions"]} == {"wuhai", "wuhai_haibowan", "wuhai_wuda", "wuhai_hainan",
                                               "wuhai_hitech_zone", "wuhai_lowcarbon_park", "wuhai_wuda_park",
                                               "wuhai_qianlishan_park"}
    assert all(r["x"] is not None for r in d["regions"])


def test_settings_ship_the_trip_groups():
    groups = load_settings()["trip_groups"]
    assert {"京津冀", "长三角", "粤港澳大湾区", "成渝"} <= set(groups)
    from pages.target_map import resolve_trips
    assert all(not t["unknown"] for t in resolve_trips(groups, gazetteer()))



def test_target_map_without_targets_still_renders(tables, settings):
    d = target_map_data([], tables, settings, "乌海市")
    assert d["firms"] == [] and len(d["provinces"]) == 34
    assert "乌海市招商地图" in render_target_map([], tables, settings, "乌海市")
