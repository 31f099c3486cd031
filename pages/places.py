"""Place names resolved to China's administrative divisions (GB/T 2260 codes) with coordinates.

Planners write places as they speak: `内蒙古` for 内蒙古自治区, `鄂尔多斯` for 鄂尔多斯市, `昌吉` for
昌吉回族自治州. `Gazetteer.resolve(province, city)` maps such a pair to the standard division: the
province and city codes and names, and a coordinate (the division's centre as the geotool-cn package
ships it, not a seat of government). The data is the offline data of the `geotool-cn` package (MIT
code; its division data comes from DataV.GeoAtlas, which republishes 高德开放平台 data for learning
and exchange: see `SOURCE_ZH`). Nothing is fetched.

A city that is not found falls back to a county-level division of the same name in the province
(格尔木市 → 海西蒙古族藏族自治州); a place whose province cannot be resolved gives None, so the caller
can list it rather than drop it.

>>> g = gazetteer()
>>> p = g.resolve("内蒙古", "鄂尔多斯")
>>> p.province, p.city, p.city_code, p.level
('内蒙古自治区', '鄂尔多斯市', '150600', 'city')
>>> g.resolve("", "昌吉").province_code
'650000'
>>> g.resolve("火星", "") is None
True
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

SOURCE_ZH = ("行政区划代码（GB/T 2260）、名称与区划中心坐标：geotool-cn {version} 离线数据"
             "（其区划数据取自 DataV.GeoAtlas，源自高德开放平台，注明仅供学习交流）")
SOURCE_EN = ("Division codes (GB/T 2260), names and centre coordinates: offline data of geotool-cn {version} "
             "(division data from DataV.GeoAtlas, itself from the Amap open platform, for learning and exchange)")

# Province-level divisions whose only "city" is the division itself (直辖市, 特别行政区, 台湾省).
SELF_CITY = {"11", "12", "31", "50", "71", "81", "82"}

# Ethnic names as they appear in autonomous-division names (with or without 族), for short forms:
# 昌吉回族自治州 -> 昌吉, 伊犁哈萨克自治州 -> 伊犁, 海西蒙古族藏族自治州 -> 海西.
_ETHNIC = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 "
           "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 "
           "鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
_MULTI = sorted((e for e in _ETHNIC if len(e) > 1), key=len, reverse=True)
_TRAILING_ETHNIC = re.compile("(?:(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + ")族|"
                              + "|".join(_MULTI) + ")$")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "林区", "省", "市", "盟", "县", "区", "旗")


def short_name(name: str) -> str:
    """The common short form of a division name (the name itself when nothing can be stripped).

    >>> [short_name(n) for n in ["内蒙古自治区", "新疆维吾尔自治区", "湘西土家族苗族自治州", "阿拉善盟", "北京市"]]
    ['内蒙古', '新疆', '湘西', '阿拉善', '北京']
    >>> short_name("伊犁哈萨克自治州"), short_name("海南省"), short_name("市")
    ('伊犁', '海南', '市')
    """
    stem = name
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    if stem != name and name.endswith(("自治区", "自治州", "自治县")):
        while (m := _TRAILING_ETHNIC.search(stem)) and m.start() >= 2:
            stem = stem[: m.start()]
    return stem if len(stem) >= 2 else name


@dataclass(frozen=True)
class Division:
    """One division of the package's data: code, name, level ('province'/'city'/'district'), centre."""
    code: str
    name: str
    level: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Place:
    """A resolved place. `level` says what the coordinates are the centre of: the city, a county-level
    division (when the city given was one), or only the province (when the city was not found)."""
    province_code: str
    province: str
    city_code: str
    city: str
    lat: float
    lon: float
    level: str


class Gazetteer:
    """Name -> division lookups over the package's provinces, cities and county-level divisions."""

    def __init__(self, divisions: list[Division]):
        self.by_code = {(d.level, d.code): d for d in divisions}
        self._names: dict[tuple[str, str], dict[str, list[Division]]] = defaultdict(lambda: defaultdict(list))
        for d in divisions:
            scope = "" if d.level == "province" else d.code[:2]
            for key in {d.name, short_name(d.name)}:
                self._names[(d.level, scope)][key].append(d)
                if d.level != "province":
                    self._names[(d.level, "")][key].append(d)
        self._cache: dict[tuple[str, str], Place | None] = {}

    def find(self, name: str, level: str, province_code: str = "") -> Division | None:
        """The one division of `level` called `name` (full or short form) within a province
        (two-digit code) or nationwide; None when there is none or more than one."""
        name = (name or "").strip()
        if not name:
            return None
        names = self._names.get((level, province_code[:2]), {})
        exact = [d for d in names.get(name, []) if d.name == name]
        # a short form matches short forms; a full name (朝阳区) only the same full name
        found = {d.code: d for d in exact or (names.get(name, []) if short_name(name) == name else [])}
        return next(iter(found.values())) if len(found) == 1 else None

    def province(self, code: str) -> Division | None:
        return self.by_code.get(("province", code[:2] + "0000"))

    def resolve(self, province: str, city: str) -> Place | None:
        """The standard division of a (province, city) pair as written by a planner, or None when
        the province cannot be told (from either name)."""
        key = ((province or "").strip(), (city or "").strip())
        if key not in self._cache:
            self._cache[key] = self._resolve(*key)
        return self._cache[key]

    def _resolve(self, province: str, city: str) -> Place | None:
        prov = self.find(province, "province")
        if prov is None and city:  # no or unknown province: a 直辖市, or a city named uniquely nationwide
            found = self.find(city, "city") or self.find(city, "district")
            prov = self.find(city, "province") or (self.province(found.code) if found else None)
        if prov is None:
            return None
        pc = prov.code[:2]
        if pc in SELF_CITY:  # the city is the province; a district named in it gives the coordinates
            part = self.find(city, "district", pc) if city and city != prov.name else None
            lat, lon = (part.lat, part.lon) if part else (prov.lat, prov.lon)
            return Place(prov.code, prov.name, prov.code, prov.name, lat, lon, "district" if part else "city")
        hit = self.find(city, "city", pc)
        if hit is not None:
            return Place(prov.code, prov.name, hit.code, hit.name, hit.lat, hit.lon, "city")
        county = self.find(city, "district", pc)
        parent = county and self.by_code.get(("city", county.code[:4] + "00"))
        if county is not None and parent is not None:
            return Place(prov.code, prov.name, parent.code, parent.name, county.lat, county.lon, "district")
        return Place(prov.code, prov.name, "", "", prov.lat, prov.lon, "province")


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer over geotool-cn's offline data (built once, about 0.1 s)."""
    from GeoToolCN import GeoTool

    with GeoTool() as geo:
        divisions = [Division(r.code, r.name, level, r.latitude, r.longitude)
                     for level in ("province", "city", "district") for r in geo.list_regions(level)]
    return Gazetteer(divisions)


def source_note() -> tuple[str, str]:
    """The footer's source line (Chinese, English) naming the package version in use."""
    v = version("geotool-cn")
    return SOURCE_ZH.format(version=v), SOURCE_EN.format(version=v)
