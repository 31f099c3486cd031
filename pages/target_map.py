"""The target map (招商地图 / 路线图): where the target firms are, by province and city, and trip lists.

`target_map_data` turns the target list (dicts with the result keys: enterprise_id, name, role,
province, city, chain_id, product_name, reason_zh, ...) and the enterprises and regions tables into
plain data for the page: one entry per firm with its resolved place (GB/T 2260 codes through
`pages.places`) and straight-line distance from the home region, the targets pointing at it, the
province tiles (`pages.tile_grid`), the trip groups of the settings (`[trip_groups]`) resolved to
provinces and cities, and the home region's neighbours within the radius. A firm whose place cannot
be resolved is kept and listed as such. `render_target_map` writes the page: inline SVG drawn by
its own script, names set as text, the data embedded as escaped JSON, no request to anything.

Distances prefer the regions table's coordinates (the firm's region, or its nearest ancestor with
coordinates); otherwise the centre of the firm's city (or county) from the package data, or of its
province when the city is unknown (shown as approximate).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from graph import ChainGraph
from pages.assets import own, script_json
from queries.vocabulary import KIND_ZH as GAP_KIND_ZH, ROLE_ZH
from pages.packing import pack
from pages.plane import offset_km
from pages.places import Gazetteer, gazetteer, short_name, source_note
from pages.render import render
from pages.tile_grid import COLUMNS, NOTE_EN, NOTE_ZH, ROWS, TILES
from queries.analysis import haversine_km, region_facts
from queries.results import Regions

# How the page's copy of the data is packed (pages.packing): repeated values once, the reason's parts
# once; chain and product names and the Chinese kind and role words travel once in lookup tables.
FIRM_DICTIONARY = ("srdi", "province_text", "city_text", "province", "city", "km_level")
TARGET_DICTIONARY = ("chain_id", "product_id", "kind", "role")
TARGET_SPLIT = {"reason_zh": "；"}
TARGET_LOOKED_UP = ("chain_name", "product_name", "kind_zh", "role_zh")
TARGET_FIELDS = ("chain_id", "chain_name", "product_id", "product_name", "kind", "focus", "role", "rank", "score",
                 "reason_zh")


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def home_point(tables: Mapping[str, pd.DataFrame], home: str, gaz: Gazetteer) -> dict[str, Any]:
    """The home region: name, coordinates (regions table, else its division's centre), province code."""
    regions = tables["regions"]
    row = regions[regions["region_id"] == home]
    if row.empty:
        raise KeyError(f"未知区域“{home}” / unknown region '{home}'")
    r = row.iloc[0]
    place = gaz.resolve(_text(r["province"]), _text(r["name_zh"]))
    lat, lon = r["lat"], r["lon"]
    if pd.isna(lat) or pd.isna(lon):
        lat, lon = (place.lat, place.lon) if place else (None, None)
    return {"id": home, "name": _text(r["name_zh"]), "lat": None if lat is None else float(lat),
            "lon": None if lon is None else float(lon), "province": place.province_code[:2] if place else ""}


def resolve_trips(groups: Mapping[str, list[str]], gaz: Gazetteer) -> list[dict[str, Any]]:
    """Each trip group's members as province codes (two digits) and city codes (six), with their
    standard names (`labels`); names that are neither (or ambiguous) are returned under `unknown`
    so the page can say so.

    >>> trips = resolve_trips({"呼包鄂": ["呼和浩特", "包头市", "鄂尔多斯"], "x": ["上海", "火星"]}, gazetteer())
    >>> trips[0]["cities"], trips[0]["labels"]
    (['150100', '150200', '150600'], ['呼和浩特市', '包头市', '鄂尔多斯市'])
    >>> trips[1]["provinces"], trips[1]["unknown"]
    (['31'], ['火星'])
    """
    out = []
    for name, members in groups.items():
        trip: dict[str, Any] = {"name": str(name), "provinces": [], "cities": [], "labels": [], "unknown": []}
        for member in members:
            prov = gaz.find(member, "province")
            hit = prov or gaz.find(member, "city")
            if hit is None:
                trip["unknown"].append(member)
                continue
            trip["provinces" if prov else "cities"].append(hit.code[:2] if prov else hit.code)
            trip["labels"].append(hit.name)
        out.append(trip)
    return out


def _firm_places(targets: list[dict[str, Any]], firms: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Per target firm: province, city (from the target, else the enterprises table) and region id."""
    table = firms.drop_duplicates("enterprise_id").set_index("enterprise_id")
    out: dict[str, dict[str, str]] = {}
    for t in targets:
        eid = _text(t.get("enterprise_id"))
        if eid in out:
            continue
        row = table.loc[eid] if eid in table.index else None
        pick = (lambda k: _text(t.get(k)) or (_text(row[k]) if row is not None and k in row else ""))
        out[eid] = {"name": pick("name"), "short": pick("short_name"), "province": pick("province"),
                    "city": pick("city"), "region": _text(row["region_id"]) if row is not None else "",
                    "srdi": pick("srdi_level"), "listed": pick("listed_code")}
    return out


def target_map_data(targets: list[dict[str, Any]], tables: Mapping[str, pd.DataFrame],
                    settings: Mapping[str, Any], home_name: str) -> dict[str, Any]:
    """Plain data of the target map (see the module docstring); JSON-ready."""
    gaz = gazetteer()
    home_id = settings["home_region"]
    radius = float(settings["neighbour_radius_km"])
    home = home_point(tables, home_id, gaz)
    facts = region_facts(ChainGraph(dict(tables)), dict(settings))
    distances = facts.distances
    firm_rows = _firm_places(targets, tables["enterprises"])

    firms, index, cities = [], {}, {}
    for eid, f in firm_rows.items():
        place = gaz.resolve(f["province"], f["city"])
        km, exact = None, "region"
        if f["region"] in distances:
            km = distances[f["region"]]
        elif place is not None and home["lat"] is not None:
            km, exact = haversine_km(home["lat"], home["lon"], place.lat, place.lon), place.level
        if place is not None and place.city_code:
            cities.setdefault(place.city_code, {"name": place.city, "province": place.province_code[:2]})
        index[eid] = len(firms)
        firms.append({"id": eid, "name": f["name"], "short": f["short"], "srdi": f["srdi"], "listed": f["listed"],
                      "province_text": f["province"], "city_text": f["city"],
                      "province": place.province_code[:2] if place else "", "city": place.city_code if place else "",
                      "km": None if km is None else round(km), "km_level": exact if km is not None else ""})

    rows = []
    for t in targets:
        row = {k: t.get(k) for k in TARGET_FIELDS}
        row["firm"] = index[_text(t.get("enterprise_id"))]
        row["kind_zh"] = t.get("kind_zh") or GAP_KIND_ZH.get(_text(t.get("kind")), _text(t.get("kind")))
        row["role_zh"] = t.get("role_zh") or ROLE_ZH.get(_text(t.get("role")), _text(t.get("role")))
        row["focus"] = bool(t.get("focus"))
        rows.append(row)

    chains = list(dict.fromkeys((_text(t.get("chain_id")), _text(t.get("chain_name"))) for t in targets))
    products = {_text(r["product_id"]): _text(r["product_name"]) for r in rows}
    labels = {"kind": {r["kind"]: r["kind_zh"] for r in rows}, "role": {r["role"]: r["role_zh"] for r in rows}}
    provinces = [{"code": d.code[:2], "name": d.name, "short": short_name(d.name), "row": TILES[d.code[:2]][0],
                  "col": TILES[d.code[:2]][1], "width": TILES[d.code[:2]][2]}
                 for d in sorted((gaz.province(c + "0000") for c in TILES), key=lambda d: d.code)]
    return {"home": {**home, "display": home_name}, "radius_km": radius, "grid": {"rows": ROWS, "columns": COLUMNS},
            "provinces": provinces, "cities": cities, "firms": firms, "targets": rows, "products": products,
            "labels": labels,
            "chains": [{"id": c, "name": n} for c, n in chains],
            "trips": resolve_trips(settings.get("trip_groups", {}), gaz),
            "neighbours": neighbour_list(tables, home, facts, firm_rows)}


def neighbour_list(tables: Mapping[str, pd.DataFrame], home: Mapping[str, Any], facts: Regions,
                   firm_rows: Mapping[str, Mapping[str, str]]) -> list[dict[str, Any]]:
    """Regions of the table within the radius (not inside the home region), nearest first, with
    the target firms registered in each (or in a region inside it) and, for those with their own
    coordinates, the east/north offset in km from home (x, y) for the inset."""
    regions = tables["regions"].set_index("region_id")
    out = []
    for rid in facts.neighbours:
        inside = facts.inside[rid]
        lat, lon = regions.at[rid, "lat"], regions.at[rid, "lon"]
        x, y = offset_km(home["lat"], home["lon"], lat, lon) if pd.notna(lat) and pd.notna(lon) else (None, None)
        out.append({"id": rid, "name": _text(regions.at[rid, "name_zh"]), "kind": _text(regions.at[rid, "kind"]),
                    "km": round(facts.distances[rid]), "x": x, "y": y,
                    "firms": sorted(eid for eid, f in firm_rows.items() if f["region"] in inside)})
    return out


def render_target_map(targets: list[dict[str, Any]], tables: Mapping[str, pd.DataFrame],
                      settings: Mapping[str, Any], home_name: str, index_href: str = "index.html") -> str:
    """The HTML of the target map page (one self-contained file)."""
    data = target_map_data(targets, tables, settings, home_name)
    rows = [{k: v for k, v in t.items() if k not in TARGET_LOOKED_UP} for t in data["targets"]]
    packed = {**data, "firms": pack(data["firms"], FIRM_DICTIONARY),
              "targets": pack(rows, TARGET_DICTIONARY, TARGET_SPLIT)}
    notes = {"tiles": [NOTE_ZH, NOTE_EN], "source": list(source_note())}
    return render("target_map.html", home_name=home_name, index_href=index_href, notes=notes,
                  data_json=script_json(packed), page_css=own("style.css") + own("maps.css"),
                  page_js=own("maps_dom.js") + own("target_map.js"))
