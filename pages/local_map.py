"""The local map (本地产业地图): the home region's districts and parks with its firms and projects.

The "what we already have" half of the picture. Every region inside the home region (the regions
table's parent links) is placed by its own coordinates on a flat plane around the home region
(`pages.plane`); a region without coordinates is drawn in a row of its own, marked as placed
schematically. Each region lists the firms registered in it (with what they make) and the projects
that land in it. Neighbouring regions within the radius are drawn faintly for orientation, or as
an arrow on the frame when they lie outside it. No boundary is drawn.

>>> from loaders import load
>>> from queries.settings import load_settings
>>> data = local_map_data(load()[0], load_settings(), "乌海市")
>>> [r["name"] for r in data["regions"]][:3]
['乌海市', '海勃湾区', '海南区']
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from graph import ChainGraph
from loaders.tables import LIST_SEPARATOR
from pages.assets import own, script_json
from pages.plane import offset_km
from pages.render import render
from queries.analysis import region_facts

KIND_ZH = {"city": "市", "district": "区", "park": "园区", "county": "旗县", "town": "镇"}
KIND_ORDER = {"city": 0, "district": 1, "county": 2, "town": 3, "park": 4}


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _firms(tables: Mapping[str, pd.DataFrame], local: set[str]) -> list[dict[str, Any]]:
    """Firms registered in a local region, with the names of the products they make (and status)."""
    firms = tables["enterprises"]
    firms = firms[firms["region_id"].isin(local)]
    names = tables["products"].set_index("product_id")["name_zh"]
    produces = tables["produces"]
    produces = produces[produces["enterprise_id"].isin(set(firms["enterprise_id"]))]
    makes: dict[str, list[str]] = {}
    for eid, pid, status in zip(produces["enterprise_id"], produces["product_id"], produces["status"]):
        label = _text(names.get(pid, pid))
        makes.setdefault(eid, []).append(label if _text(status) in ("", "在产") else f"{label}（{status}）")
    return [{"id": eid, "name": _text(name), "short": _text(short), "region": rid, "leader": bool(leader),
             "srdi": _text(srdi), "makes": makes.get(eid, [])}
            for eid, name, short, rid, leader, srdi in zip(firms["enterprise_id"], firms["name"], firms["short_name"],
                                                           firms["region_id"], firms["leader"], firms["srdi_level"])]


def _projects(tables: Mapping[str, pd.DataFrame], local: set[str]) -> list[dict[str, Any]]:
    """Projects landing in a local region, with investor and product names."""
    projects = tables["projects"]
    projects = projects[projects["region_id"].isin(local)]
    names = tables["products"].set_index("product_id")["name_zh"]
    investors = tables["enterprises"].drop_duplicates("enterprise_id").set_index("enterprise_id")["name"]
    out = []
    for row in projects.to_dict("records"):
        products = [p for p in _text(row["product_ids"]).split(LIST_SEPARATOR) if p]
        amount = row["amount"]
        out.append({"id": row["project_id"], "name": _text(row["name"]), "region": row["region_id"],
                    "investor": _text(investors.get(row["enterprise_id"], "")) if _text(row["enterprise_id"]) else "",
                    "products": [_text(names.get(p, p)) for p in products], "status": _text(row["status"]),
                    "amount": None if pd.isna(amount) else float(amount), "date": _text(row["date"]),
                    "source": _text(row["source"])})
    return out


def local_map_data(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, Any], home_name: str) -> dict[str, Any]:
    """Plain data of the local map: regions (with x/y km from home, or none), firms, projects, neighbours."""
    home = settings["home_region"]
    facts = region_facts(ChainGraph(dict(tables)), dict(settings))
    local = facts.local
    regions = tables["regions"].set_index("region_id")
    lat0, lon0 = regions.at[home, "lat"], regions.at[home, "lon"]
    placed = pd.notna(lat0) and pd.notna(lon0)

    def xy(rid: str) -> tuple[float | None, float | None]:
        lat, lon = regions.at[rid, "lat"], regions.at[rid, "lon"]
        if not placed or pd.isna(lat) or pd.isna(lon):
            return None, None
        return offset_km(float(lat0), float(lon0), float(lat), float(lon))

    def entry(rid: str) -> dict[str, Any]:
        x, y = xy(rid)
        kind = _text(regions.at[rid, "kind"])
        return {"id": rid, "name": _text(regions.at[rid, "name_zh"]), "kind": kind, "kind_zh": KIND_ZH.get(kind, kind),
                "parent": _text(regions.at[rid, "parent_id"]), "x": x, "y": y, "source": _text(regions.at[rid, "source"])}

    ordered = sorted(local, key=lambda r: (r != home, KIND_ORDER.get(_text(regions.at[r, "kind"]), 9), r))
    distances, near = facts.distances, facts.neighbours
    return {"home": {"id": home, "name": home_name}, "regions": [entry(r) for r in ordered],
            "firms": _firms(tables, local), "projects": _projects(tables, local),
            "neighbours": [{**entry(r), "km": round(distances[r])} for r in near],
            "radius_km": float(settings["neighbour_radius_km"])}


def render_local_map(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, Any], home_name: str,
                     index_href: str = "index.html") -> str:
    """The HTML of the local map page (one self-contained file)."""
    data = local_map_data(tables, settings, home_name)
    return render("local_map.html", home_name=home_name, index_href=index_href, data_json=script_json(data),
                  page_css=own("style.css") + own("maps.css"), page_js=own("maps_dom.js") + own("local_map.js"))
