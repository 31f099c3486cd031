"""The target map (招商地图 / 路线图): where the target firms are, by province and city, and trip lists.

`target_map_data` turns the target list (dicts with the result keys: enterprise_id, name, role,
province, city, chain_id, product_name, reason_zh, ...) and the enterprises and regions tables into
plain data for the page: one entry per firm with its resolved place (GB/T 2260 codes through
`pages.places`) and straight-line distance from the home region, the targets pointing at it, the
province tiles (`pages.tile_grid`), the trip groups of the settings (`[trip_groups]`) resolved to
provinces and cities, and the home region's neighbours within the radius. A firm whose place cannot
be resolved is kept and listed as such. The page draws inline SVG with its own script, names set
as text, no request to anything. Its targets and firms are the site's lists (`pages.lists`, the
index's data script) and each firm's place a table beside them (`target_map_places`, in the
lists' firm order): in a site both are data scripts under lib/data/ loaded by the page
(`render_site_target_map`); alone (`render_target_map`) both are inlined.

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
from pages.chain_page import STANDALONE_CSP
from pages.lists import LISTS_KEY, firm_ids, lists_data
from pages.packing import Packer
from pages.plane import offset_km
from pages.places import Gazetteer, gazetteer, short_name, source_note
from pages.render import render
from pages.shared_assets import SITE_CSP, Library, lazy_loader_js, packed_js
from pages.tile_grid import COLUMNS, NOTE_EN, NOTE_ZH, ROWS, TILES
from queries.analysis import Banner, haversine_km, region_facts
from queries.results import Regions

PLACES_KEY = "target_map"  # the data script of the firms' places (lib/data/target_map.js)
PLACE_COLUMNS = ("province_text", "city_text", "province", "city", "km", "km_level")


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
    """Per target firm: province, city (from its first target, else the enterprises table) and
    region id; the table looked up once for all of them."""
    first: dict[str, dict[str, Any]] = {}
    for t in targets:
        first.setdefault(_text(t.get("enterprise_id")), t)
    rows = firms.drop_duplicates("enterprise_id").set_index("enterprise_id").reindex(list(first))
    columns = {k: rows[k].tolist() if k in rows else [None] * len(first)
               for k in ("name", "short_name", "province", "city", "region_id", "srdi_level", "listed_code")}
    fields = {"name": "name", "short": "short_name", "province": "province", "city": "city", "srdi": "srdi_level",
              "listed": "listed_code"}
    out: dict[str, dict[str, str]] = {}
    for i, (eid, t) in enumerate(first.items()):
        out[eid] = {k: _text(t.get(c)) or _text(columns[c][i]) for k, c in fields.items()}
        out[eid]["region"] = _text(columns["region_id"][i])
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

    firms, cities = [], {}
    for eid, f in firm_rows.items():
        place = gaz.resolve(f["province"], f["city"])
        km, exact = None, "region"
        if f["region"] in distances:
            km = distances[f["region"]]
        elif place is not None and home["lat"] is not None:
            km, exact = haversine_km(home["lat"], home["lon"], place.lat, place.lon), place.level
        if place is not None and place.city_code:
            cities.setdefault(place.city_code, {"name": place.city, "province": place.province_code[:2]})
        firms.append({"id": eid, "name": f["name"], "short": f["short"], "srdi": f["srdi"], "listed": f["listed"],
                      "province_text": f["province"], "city_text": f["city"],
                      "province": place.province_code[:2] if place else "", "city": place.city_code if place else "",
                      "km": None if km is None else round(km), "km_level": exact if km is not None else ""})

    chains = list(dict.fromkeys((_text(t.get("chain_id")), _text(t.get("chain_name"))) for t in targets))
    provinces = [{"code": d.code[:2], "name": d.name, "short": short_name(d.name), "row": TILES[d.code[:2]][0],
                  "col": TILES[d.code[:2]][1], "width": TILES[d.code[:2]][2]}
                 for d in sorted((gaz.province(c + "0000") for c in TILES), key=lambda d: d.code)]
    return {"home": {**home, "display": home_name}, "radius_km": radius, "grid": {"rows": ROWS, "columns": COLUMNS},
            "provinces": provinces, "cities": cities, "firms": firms,
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


def target_map_places(data: Mapping[str, Any], ids: list[str]) -> dict[str, Any]:
    """The places of the firms of `target_map_data`, packed by column in the order `ids` (the site
    lists' firms, `pages.lists.firm_ids`) gives them."""
    pk = Packer()
    by_id = {f["id"]: f for f in data["firms"]}
    rows = [{c: by_id[eid][c] for c in PLACE_COLUMNS} for eid in ids]
    return pk.finish({"places": pk.table(rows, codes=("province_text", "city_text", "province", "city", "km_level"),
                                         columns=list(PLACE_COLUMNS))})


def _page(data: Mapping[str, Any], home_name: str, index_href: str, banner: Banner | None, sources: dict[str, Any],
          library: Library | None, inline: str | None) -> str:
    page = {k: v for k, v in data.items() if k != "firms"}  # the firms come with the lists
    notes = {"tiles": [NOTE_ZH, NOTE_EN], "source": list(source_note())}
    return render("target_map.html", banner=banner, home_name=home_name, index_href=index_href, notes=notes,
                  data_json=script_json({**page, "sources": sources}), csp=SITE_CSP if library else STANDALONE_CSP,
                  library=library, lazy_js=None if library else lazy_loader_js(),
                  packed_js=None if library else packed_js(), inline_data=inline,
                  page_css=own("style.css") + own("maps.css"), page_js=own("maps_dom.js") + own("target_map.js"))


def render_target_map(targets: list[dict[str, Any]], tables: Mapping[str, pd.DataFrame],
                      settings: Mapping[str, Any], home_name: str, index_href: str = "index.html",
                      banner: Banner | None = None, gaps: list[dict[str, Any]] = ()) -> str:
    """The HTML of the target map page alone: one self-contained file, the lists of `targets` (and
    `gaps`, for the local feedstock their targets' reasons name) and the places inlined."""
    data = target_map_data(targets, tables, settings, home_name)
    products = tables["products"]
    lists = lists_data(list(gaps), targets, home_name, dict(zip(products["product_id"], products["name_zh"])))
    places = target_map_places(data, firm_ids(targets))
    inline = "".join(f"(window.chainkgData = window.chainkgData || {{}})[{script_json(k)}] = {script_json(v)};"
                     for k, v in ((LISTS_KEY, lists), (PLACES_KEY, places)))
    sources = {"lists": {"key": LISTS_KEY, "src": None}, "places": {"key": PLACES_KEY, "src": None}}
    return _page(data, home_name, index_href, banner, sources, None, inline)


def render_site_target_map(data: Mapping[str, Any], home_name: str, library: Library, lists_src: str, places_src: str,
                           index_href: str = "index.html", banner: Banner | None = None) -> str:
    """The HTML of the target map in a site: `data` from `target_map_data`; the lists and the places
    (`target_map_places`) are the site's data scripts `lists_src` and `places_src`, loaded with
    the shared `library` (paths relative to the page)."""
    sources = {"lists": {"key": LISTS_KEY, "src": lists_src}, "places": {"key": PLACES_KEY, "src": places_src}}
    return _page(data, home_name, index_href, banner, sources, library, None)
