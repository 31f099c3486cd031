"""Node and edge kinds of the chain graph, and which table columns they come from.

This module is the only place that names a label or a relationship type: the networkx builder, the
Neo4j sync and the pages all read it, so data can never choose a label or a type.

    (:Chain)-[:HAS_PRODUCT {segment, focus}]->(:Product)
    (:Product)-[:FEEDS {kind, route_id, note}]->(:Product)    input -> output, one per route
    (:Route {captive, byproducts, ...})-[:ROUTE_OF]->(:Product)
    (:Enterprise)-[:PRODUCES {capacity, unit, status, route_id, source, verified, verified_on}]->(:Product)
    (:Enterprise)-[:LOCATED_IN]->(:Region)-[:PART_OF]->(:Region)
    (:Enterprise)-[:INVESTS]->(:Project)-[:FOR_PRODUCT]->(:Product)
    (:Project)-[:LOCATED_IN]->(:Region)
"""
from __future__ import annotations

from dataclasses import dataclass

from loaders.tables import TABLES_BY_NAME


@dataclass(frozen=True)
class NodeKind:
    label: str
    table: str
    key: str

    @property
    def properties(self) -> list[str]:
        return [c.id for c in TABLES_BY_NAME[self.table].columns if c.id != self.key]


@dataclass(frozen=True)
class EdgeKind:
    type: str
    table: str
    source: tuple[str, str]  # (node label, column holding its key)
    target: tuple[str, str]
    properties: tuple[str, ...] = ()
    many_targets: bool = False  # target column holds a |-separated list
    merge_key: tuple[str, ...] = ()  # properties that tell two relationships of one pair apart (FEEDS: route)

    @property
    def name(self) -> str:
        """Unique name of this spec (LOCATED_IN comes from two tables)."""
        return f"{self.source[0]}-{self.type}"


CHAIN, PRODUCT, ENTERPRISE, REGION, PROJECT, ROUTE = "Chain", "Product", "Enterprise", "Region", "Project", "Route"

NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind(REGION, "regions", "region_id"),
    NodeKind(CHAIN, "chains", "chain_id"),
    NodeKind(PRODUCT, "products", "product_id"),
    NodeKind(ROUTE, "routes", "route_id"),
    NodeKind(ENTERPRISE, "enterprises", "enterprise_id"),
    NodeKind(PROJECT, "projects", "project_id"),
)
NODE_KIND: dict[str, NodeKind] = {k.label: k for k in NODE_KINDS}

HAS_PRODUCT, FEEDS, PRODUCES, LOCATED_IN, PART_OF, INVESTS, FOR_PRODUCT, ROUTE_OF = (
    "HAS_PRODUCT", "FEEDS", "PRODUCES", "LOCATED_IN", "PART_OF", "INVESTS", "FOR_PRODUCT", "ROUTE_OF")

EDGE_KINDS: tuple[EdgeKind, ...] = (
    EdgeKind(PART_OF, "regions", (REGION, "region_id"), (REGION, "parent_id")),
    EdgeKind(HAS_PRODUCT, "chain_products", (CHAIN, "chain_id"), (PRODUCT, "product_id"), ("segment", "focus")),
    EdgeKind(ROUTE_OF, "routes", (ROUTE, "route_id"), (PRODUCT, "product_id")),
    EdgeKind(FEEDS, "feeds", (PRODUCT, "input_id"), (PRODUCT, "output_id"), ("kind", "route_id", "note"),
             merge_key=("route_id",)),
    EdgeKind(LOCATED_IN, "enterprises", (ENTERPRISE, "enterprise_id"), (REGION, "region_id")),
    EdgeKind(PRODUCES, "produces", (ENTERPRISE, "enterprise_id"), (PRODUCT, "product_id"),
             ("capacity", "unit", "status", "route_id", "source", "verified", "verified_on")),
    EdgeKind(INVESTS, "projects", (ENTERPRISE, "enterprise_id"), (PROJECT, "project_id")),
    EdgeKind(LOCATED_IN, "projects", (PROJECT, "project_id"), (REGION, "region_id")),
    EdgeKind(FOR_PRODUCT, "projects", (PROJECT, "project_id"), (PRODUCT, "product_ids"), many_targets=True),
)
EDGE_TYPES: tuple[str, ...] = tuple(dict.fromkeys(e.type for e in EDGE_KINDS))


def node_id(label: str, key: str) -> str:
    """The networkx node id of a node: 'Product:bdo'."""
    return f"{label}:{key}"

