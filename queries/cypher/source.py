"""Neo4j as a source of the analysis: the firm-scale aggregations in Cypher, the rest shared.

The small tables (regions, chains, products, chain_products, feeds, projects: thousands of rows at
most, whatever the number of firms) are read whole into `small`; enterprises rows are read only
for the firms a result names. Hypothetical plants (what-if) are passed to the Cypher queries as
parameters (`$extra`, replacing the PRODUCES rows of `$override`): nothing is written.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from graph import ChainGraph
from graph.neo4j_store.cypher import ident
from graph.neo4j_store.pull import read_table
from graph.neo4j_store.rows import frame_from_maps
from graph.neo4j_store.store import Neo4jStore
from graph.schema import ENTERPRISE, NODE_KIND
from loaders.tables import TABLES
from loaders.validate import empty_frame
from queries.cypher.candidates import fetch_candidates
from queries.cypher.producers import product_producers
from queries.locality import local_regions, neighbour_regions
from queries.names import FOLD_PAIRS, LOOK_ALIKE_ROWS, match_key
from queries.source import Candidates
from queries.vocabulary import (ELSEWHERE, LOCAL, NEIGHBOUR, OPERATING, PROJECT_DONE, PROJECT_UNDER_WAY,
                                UNDER_WAY, VERIFIED)

SMALL_TABLES = ("regions", "chains", "products", "routes", "chain_products", "feeds", "projects")
FIRST_EXTRA_SEQ = 1 << 52  # hypothetical plants sort after every PRODUCES row, as on the tables


def small_graph(store: Neo4jStore) -> ChainGraph:
    """The small tables from the database; no enterprises and no PRODUCES rows."""
    return ChainGraph({t.name: read_table(store, t.name) if t.name in SMALL_TABLES else empty_frame(t)
                       for t in TABLES})


def firm_lookup_query(contains: bool = False) -> str:
    """Firms a spelling may name: by id, or whose id, name or short name has its match key ($k,
    `queries.names.match_key`; the stored side lower-cased with the `FOLD_PAIRS` replacements), or
    with `contains`, holds it (at most $limit rows, for suggestions)."""
    key = ident(NODE_KIND[ENTERPRISE].key)
    folded = "reduce(x = toLower(s), p IN $fold | replace(x, p[0], p[1]))"
    test = f"{folded} CONTAINS $k" if contains else f"{folded} = $k"
    return (f"MATCH (f:{ident(ENTERPRISE)}) WHERE f.{key} = $v OR "
            f"any(s IN [f.{key}, f.name, f.short_name] WHERE s IS NOT NULL AND {test}) "
            f"RETURN f {{.*}} AS n ORDER BY n.seq" + (" LIMIT $limit" if contains else ""))


class Neo4jSource:
    """The analysis's data from a Neo4j database filled by `chainkg neo4j push`."""

    def __init__(self, store: Neo4jStore, small: ChainGraph | None = None, extra: tuple[dict[str, Any], ...] = (),
                 plant_firms: pd.DataFrame | None = None):
        self.store = store
        self.small = small if small is not None else small_graph(store)
        self.extra = extra  # hypothetical PRODUCES rows (what-if) as query parameters
        self.plant_firms = plant_firms if plant_firms is not None else self.small.tables["enterprises"]

    def params(self, settings: dict[str, Any]) -> dict[str, Any]:
        """Parameters every query here takes: region classes, the vocabulary's statuses, the plants."""
        home, radius = settings["home_region"], settings["neighbour_radius_km"]
        extra = list(self.extra)
        return {
            "home": home, "local": sorted(local_regions(self.small, home)),
            "near": sorted(neighbour_regions(self.small, home, radius)),
            "LOCAL": LOCAL, "NEIGHBOUR": NEIGHBOUR, "ELSEWHERE": ELSEWHERE,
            "operating": OPERATING, "under_way": list(UNDER_WAY), "verified": VERIFIED,
            "project_done": PROJECT_DONE, "project_under_way": list(PROJECT_UNDER_WAY),
            "extra": extra, "override": [[x["enterprise_id"], x["product_id"]] for x in extra],
        }

    def product_producers(self, settings: dict[str, Any]) -> pd.DataFrame:
        return product_producers(self.store, self.small, self.params(settings))

    def candidates(self, related: pd.DataFrame, settings: dict[str, Any]) -> Candidates:
        producers = self.product_producers(settings)
        local_made = frozenset(producers.index[producers["local_producers"].map(len) > 0])
        return fetch_candidates(self.store, self.small, related, self.params(settings), settings, local_made)

    def firm_names(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = set(ids)
        known = self.plant_firms[self.plant_firms["enterprise_id"].isin(wanted)]
        names = dict(zip(known["enterprise_id"], known["name"]))
        rest = sorted(wanted - set(names))
        if rest:
            found = read_table(self.store, "enterprises", keys=rest)
            names.update(zip(found["enterprise_id"], found["name"]))
        return names

    def firms_named(self, text: str) -> pd.DataFrame:
        params = {"v": text.strip(), "k": match_key(text), "fold": [list(p) for p in FOLD_PAIRS]}
        maps = [r["n"] for r in self.store.read(firm_lookup_query(), **params)]
        if not maps and params["k"]:
            maps = [r["n"] for r in self.store.read(firm_lookup_query(contains=True), limit=LOOK_ALIKE_ROWS, **params)]
        return frame_from_maps("enterprises", maps)

    def with_plants(self, firms: pd.DataFrame, produces: pd.DataFrame) -> Neo4jSource:
        routes = produces["route_id"].fillna("") if "route_id" in produces else [""] * len(produces)
        extra = [{"enterprise_id": e, "product_id": p, "capacity": None if c is None or c != c else float(c),
                  "route_id": r, "seq": FIRST_EXTRA_SEQ + len(self.extra) + i}
                 for i, (e, p, c, r) in enumerate(zip(produces["enterprise_id"], produces["product_id"],
                                                      produces["capacity"], routes))]
        known = pd.concat([f for f in (self.plant_firms, firms) if len(f)] or [firms], ignore_index=True)
        return Neo4jSource(self.store, self.small, self.extra + tuple(extra), known)
