"""What-if from Neo4j: the same result as `queries.whatif.what_if`, nothing written to the database.

The hypothetical plants are made by `queries.whatif.with_plants` on the small graph (which holds
the firms they name); the "after" coverage is the Cypher aggregation with those plants passed as
parameters (`$extra`) and the PRODUCES rows they replace left out (`$override`).
"""
from __future__ import annotations

from typing import Any

from graph import ChainGraph
from graph.neo4j_store import Neo4jStore, read_table
from graph.neo4j_store.cypher import ident
from graph.neo4j_store.rows import frame_from_maps
from graph.schema import ENTERPRISE, NODE_KIND
from queries import gaps as nx_gaps
from queries import whatif as nx_whatif
from queries.coverage import link_coverage
from queries.cypher.context import query_params, small_graph, with_firms
from queries.cypher.gaps import named_firms
from queries.cypher.producers import product_coverage
from queries.settings import load_settings
from queries.whatif import Addition

FIRST_EXTRA_SEQ = 1 << 52  # after every PRODUCES row, as with_plants appends its rows


def firm_lookup_query() -> str:
    """Firms an addition may name: by id, or whose name or short name contains it (any case);
    `queries.whatif` then picks exactly as it does on the tables."""
    key = ident(NODE_KIND[ENTERPRISE].key)
    return (f"MATCH (f:{ident(ENTERPRISE)}) WHERE f.{key} = $v OR toLower(f.name) CONTAINS toLower($v) "
            f"OR toLower(f.short_name) CONTAINS toLower($v) RETURN f {{.*}} AS n ORDER BY n.seq")


def with_named_firms(small: ChainGraph, store: Neo4jStore, additions: list[Addition]) -> ChainGraph:
    """`small` with every firm the additions could name (table order kept)."""
    maps = [r["n"] for a in additions for r in store.read(firm_lookup_query(), v=a.firm.strip())]
    found = frame_from_maps("enterprises", sorted({m["enterprise_id"]: m for m in maps}.values(),
                                                   key=lambda m: m.get("seq", 0)))
    return ChainGraph({**small.tables, "enterprises": found})


def project_additions(store: Neo4jStore, project_id: str) -> list[Addition]:
    """`queries.whatif.project_additions` for a project in the database."""
    projects = read_table(store, "projects", keys=[project_id])
    return nx_whatif.project_additions(ChainGraph({"projects": projects}), project_id)


def what_if(store: Neo4jStore, additions: list[Addition], settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """`queries.whatif.what_if` on the database."""
    s = settings or load_settings()
    small = small_graph(store)
    after = nx_whatif.with_plants(with_named_firms(small, store, additions), additions, s)
    plants = after.tables["produces"]
    params = query_params(small, s)
    extra = [{"enterprise_id": e, "product_id": p, "capacity": None if c is None or c != c else float(c),
              "seq": FIRST_EXTRA_SEQ + i}
             for i, (e, p, c) in enumerate(zip(plants["enterprise_id"], plants["product_id"], plants["capacity"]))]
    override = [[x["enterprise_id"], x["product_id"]] for x in extra]
    cov_before = link_coverage(small, product_coverage(store, small, params), s)
    cov_after = link_coverage(small, product_coverage(store, small, {**params, "extra": extra, "override": override}), s)
    before = with_firms(small, store, named_firms(cov_before))
    after = with_firms(after, store, named_firms(cov_after))
    return nx_whatif.compare(nx_gaps.find_gaps(before, settings=s, cov=cov_before),
                             nx_gaps.find_gaps(after, settings=s, cov=cov_after),
                             nx_gaps.completeness(small, s, cov_before), nx_gaps.completeness(small, s, cov_after))
