"""Counts that describe a loaded graph: chains, products, tagged firms, edges and the load reconciliation."""
from __future__ import annotations

from typing import Any

from graph import ChainGraph
from loaders.validate import LoadReport
from queries.locality import LOCAL, NEIGHBOUR, enterprise_locality
from queries.names import REGION, resolve


def stats(cg: ChainGraph, report: LoadReport | None = None, home: str = "wuhai",
          radius_km: float = 150) -> dict[str, Any]:
    """Summary counts of the graph (and, given the load report, rows read/loaded/rejected).

    `leaders` and `srdi` count the target library: firms tagged 龙头 or with an SRDI level that
    are not local to `home` (a region id, name or short name); local and neighbouring firms are
    counted apart.
    """
    t = cg.tables
    firms = t["enterprises"]
    if len(t["regions"]):  # a home region the data lacks is an error (UnknownName), not zero local firms
        home = resolve(cg, REGION, home, option="--region")
    where = enterprise_locality(cg, home, radius_km).values if home in set(t["regions"]["region_id"]) else None
    outside = (where != LOCAL) if where is not None else True
    chain_products = t["chain_products"]
    focus_ids = chain_products.loc[chain_products["focus"], "product_id"].unique()
    names = t["products"].set_index("product_id")["name_zh"]
    out: dict[str, Any] = {
        "chains": len(t["chains"]),
        "products": len(t["products"]),
        "focus_products": [names[p] for p in focus_ids],
        "enterprises": len(firms),
        "leaders": int((firms["leader"] & outside).sum()),
        "srdi": int(((firms["srdi_level"] != "") & ~firms["leader"] & outside).sum()),
        "local_enterprises": int((where == LOCAL).sum()) if where is not None else 0,
        "neighbour_enterprises": int((where == NEIGHBOUR).sum()) if where is not None else 0,
        "regions": len(t["regions"]),
        "projects": len(t["projects"]),
        "edges": cg.edge_counts(),
    }
    if report is not None:
        out["rows"] = report.totals
        out["tables"] = {c.table: {"file": c.file, "read": c.read, "loaded": c.loaded, "rejected": c.rejected}
                         for c in report.counts.values()}
    return out
