"""A flat local plane around a point: east/north offsets in km, for maps of a city and its neighbours.

An equirectangular approximation, good to a fraction of a percent within a few hundred km.

>>> [round(v, 1) for v in offset_km(39.0, 106.0, 39.0, 107.0)]
[86.4, 0.0]
>>> [round(v, 1) for v in offset_km(39.0, 106.0, 40.0, 106.0)]
[0.0, 111.2]
"""
from __future__ import annotations

import math

from queries.analysis import haversine_km

KM_PER_DEGREE = haversine_km(0, 0, 0, 1)  # along the equator or a meridian


def offset_km(lat0: float, lon0: float, lat: float, lon: float) -> tuple[float, float]:
    """(east, north) in km of (lat, lon) from (lat0, lon0)."""
    east = (lon - lon0) * KM_PER_DEGREE * math.cos(math.radians((lat + lat0) / 2))
    return east, (lat - lat0) * KM_PER_DEGREE
