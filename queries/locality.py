"""Where firms are relative to a home region: local, in the neighbouring area, or elsewhere."""
from __future__ import annotations

import math

import networkx as nx
import pandas as pd

from graph import ChainGraph

LOCAL, NEIGHBOUR, ELSEWHERE = "local", "neighbour", "elsewhere"
EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    >>> round(haversine_km(0, 0, 0, 1))
    111
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def region_tree(cg: ChainGraph) -> nx.DiGraph:
    """Regions with edges parent -> child."""
    regions = cg.tables["regions"]
    tree = nx.DiGraph()
    tree.add_nodes_from(regions["region_id"])
    tree.add_edges_from((p, c) for c, p in zip(regions["region_id"], regions["parent_id"]) if p)
    return tree


def local_regions(cg: ChainGraph, home: str) -> set[str]:
    """The home region and every region inside it (districts, parks)."""
    tree = region_tree(cg)
    if home not in tree:
        raise KeyError(f"未知区域“{home}” / unknown region '{home}'")
    return {home} | nx.descendants(tree, home)


def region_distances(cg: ChainGraph, home: str) -> dict[str, float]:
    """Distance in km from the home region to each region with coordinates (own or nearest ancestor's)."""
    regions = cg.tables["regions"].set_index("region_id")
    tree = region_tree(cg)

    def coords(rid: str) -> tuple[float, float] | None:
        while rid:
            lat, lon = regions.at[rid, "lat"], regions.at[rid, "lon"]
            if pd.notna(lat) and pd.notna(lon):
                return float(lat), float(lon)
            parents = list(tree.predecessors(rid))
            rid = parents[0] if parents else ""
        return None

    origin = coords(home)
    if origin is None:
        return {}
    out = {}
    for rid in regions.index:
        c = coords(rid)
        if c is not None:
            out[rid] = haversine_km(*origin, *c)
    return out


def neighbour_regions(cg: ChainGraph, home: str, radius_km: float) -> set[str]:
    """Regions within radius_km of the home region that are not inside it."""
    return {r for r, d in region_distances(cg, home).items() if d <= radius_km} - local_regions(cg, home)


def enterprise_locality(cg: ChainGraph, home: str, radius_km: float) -> pd.Series:
    """For each enterprise id: 'local' (in the home region or a region inside it), 'neighbour'
    (in a region within radius_km of the home region) or 'elsewhere' (no region, or farther)."""
    firms = cg.tables["enterprises"]
    local = local_regions(cg, home)
    near = neighbour_regions(cg, home, radius_km)
    region = firms["region_id"]
    where = pd.Series(ELSEWHERE, index=firms.index)
    where[region.isin(near)] = NEIGHBOUR
    where[region.isin(local)] = LOCAL
    return pd.Series(where.values, index=firms["enterprise_id"].values, name="locality")
