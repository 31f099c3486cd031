"""What the Cypher queries need from Python: the small tables, the region classes and constants.

Products, chains, chain links, FEEDS and regions are small (thousands of rows at most, whatever
the number of firms), so they are read whole into a "small graph": a ChainGraph with those tables,
only the firms a result names, and no PRODUCES or project rows. The shared code in `queries/`
(gap logic, completeness, ranking, texts) runs on it unchanged. Firm-level work stays in Cypher.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from graph import ChainGraph
from graph.neo4j_store import Neo4jStore, read_table
from loaders.tables import TABLES
from loaders.validate import empty_frame
from queries.coverage import OPERATING, PROJECT_DONE, PROJECT_UNDER_WAY, UNDER_WAY
from queries.locality import ELSEWHERE, LOCAL, NEIGHBOUR, local_regions, neighbour_regions

SMALL_TABLES = ("regions", "chains", "products", "chain_products", "feeds")


def small_graph(store: Neo4jStore, firm_ids: Iterable[str] = ()) -> ChainGraph:
    """The small tables from the database, plus the enterprises rows of `firm_ids`."""
    tables = {t.name: read_table(store, t.name) if t.name in SMALL_TABLES else empty_frame(t) for t in TABLES}
    cg = ChainGraph(tables)
    return with_firms(cg, store, firm_ids)


def with_firms(cg: ChainGraph, store: Neo4jStore, firm_ids: Iterable[str]) -> ChainGraph:
    """`cg` with the enterprises rows of `firm_ids` it lacks read from the database (table order kept
    for the rows read; rows `cg` already has, such as hypothetical plants, stay)."""
    have = cg.tables["enterprises"]
    wanted = sorted(set(firm_ids) - set(have["enterprise_id"]))
    if not wanted:
        return cg
    found = read_table(store, "enterprises", keys=wanted)
    frames = [f for f in (found, have) if len(f)]
    return ChainGraph({**cg.tables, "enterprises": pd.concat(frames, ignore_index=True)})


def query_params(cg: ChainGraph, settings: dict[str, Any]) -> dict[str, Any]:
    """Parameters every Cypher query here takes: region classes and the status constants."""
    home, radius = settings["home_region"], settings["neighbour_radius_km"]
    return {
        "home": home, "local": sorted(local_regions(cg, home)), "near": sorted(neighbour_regions(cg, home, radius)),
        "LOCAL": LOCAL, "NEIGHBOUR": NEIGHBOUR, "ELSEWHERE": ELSEWHERE,
        "operating": OPERATING, "under_way": list(UNDER_WAY),
        "project_done": PROJECT_DONE, "project_under_way": list(PROJECT_UNDER_WAY),
        "override": [], "extra": [],
    }
