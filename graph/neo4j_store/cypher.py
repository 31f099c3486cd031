"""Cypher text for sync, built only from `graph.schema` names (never from data).

Every name is checked to be a plain identifier and back-quoted; every value is a parameter. Nodes
are keyed by their table's key column (`Product.product_id`, ...); `seq` is the row's position in
its table, so a pull gives the tables back in the planner's order.
"""
from __future__ import annotations

import re

from graph.schema import ENTERPRISE, NODE_KIND, EdgeKind, NodeKind

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SEQ = "seq"


def ident(name: str) -> str:
    """A label, type or property name, checked and back-quoted.

    >>> ident("Product")
    '`Product`'
    >>> ident("x`) DETACH DELETE n //")
    Traceback (most recent call last):
    ValueError: not a plain identifier: 'x`) DETACH DELETE n //'
    """
    if not IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return f"`{name}`"


def constraint(kind: NodeKind) -> str:
    """The uniqueness constraint on a node kind's key (it also gives the index MERGE and MATCH use)."""
    name = ident(f"chainkg_{kind.label.lower()}_key")
    return (f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{ident(kind.label)}) "
            f"REQUIRE n.{ident(kind.key)} IS UNIQUE")


def _projection(names: tuple[str, ...]) -> str:
    """A map projection of `row` on these keys: ``row {.`a`, .`b`}``."""
    return "row {" + ", ".join(f".{ident(p)}" for p in names) + "}"


# Property indexes for the Cypher queries: firms in the targeting pool (龙头, 专精特新, nearby).
INDEXES: tuple[tuple[str, str], ...] = ((ENTERPRISE, "leader"), (ENTERPRISE, "srdi_level"), (ENTERPRISE, "region_id"))


def index(label: str, prop: str) -> str:
    name = ident(f"chainkg_{label.lower()}_{prop}")
    return f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{ident(label)}) ON (n.{ident(prop)})"


def merge_nodes(kind: NodeKind) -> str:
    """Upsert a batch of nodes: `$rows` are maps of the node's columns (key included) and seq.

    ``SET n += row {...}`` names every column: an empty cell (None) removes the property, and
    properties outside the schema that someone added in the database are left alone. Not writing
    the key keeps the plan free of an Eager step.
    """
    return (f"UNWIND $rows AS row MERGE (n:{ident(kind.label)} {{{ident(kind.key)}: row.{ident(kind.key)}}}) "
            f"SET n += {_projection((*kind.properties, SEQ))}")


def endpoints(kind: EdgeKind) -> tuple[NodeKind, NodeKind]:
    return NODE_KIND[kind.source[0]], NODE_KIND[kind.target[0]]


def _merge_pattern(kind: EdgeKind) -> str:
    """The relationship's own key inside a pattern: ``{`route_id`: coalesce(row.`route_id`, '')}``
    (an empty key is stored as '', since MERGE cannot match on a missing property)."""
    if not kind.merge_key:
        return ""
    return " {" + ", ".join(f"{ident(p)}: coalesce(row.{ident(p)}, '')" for p in kind.merge_key) + "}"


def merge_edges(kind: EdgeKind) -> str:
    """Upsert a batch of relationships: `$rows` are maps with `_from`, `_to` (keys), properties and seq.

    MERGE on the pattern keeps one relationship per (source, type, target) and, for a kind with a
    `merge_key` (FEEDS: one per route), per value of those properties, like the tables.
    """
    src, dst = endpoints(kind)
    rest = tuple(p for p in kind.properties if p not in kind.merge_key)
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{ident(src.label)} {{{ident(src.key)}: row._from}}) "
            f"MATCH (b:{ident(dst.label)} {{{ident(dst.key)}: row._to}}) "
            f"MERGE (a)-[r:{ident(kind.type)}{_merge_pattern(kind)}]->(b) SET r += {_projection((*rest, SEQ))}")


def node_fields(kind: NodeKind) -> tuple[str, ...]:
    """The fields of a node row on the CREATE path, in list order: key, properties, seq."""
    return (kind.key, *kind.properties, SEQ)


def edge_fields(kind: EdgeKind) -> tuple[str, ...]:
    """The fields of a relationship row on the CREATE path, in list order: `_from`, `_to` (the end
    nodes' keys), properties, seq."""
    return ("_from", "_to", *kind.properties, SEQ)


def _positional(fields: tuple[str, ...], start: int = 0) -> str:
    """A property map of list positions: ``{`a`: row[0], `b`: row[1]}`` (a null element sets nothing)."""
    return "{" + ", ".join(f"{ident(f)}: row[{i}]" for i, f in enumerate(fields) if i >= start) + "}"


def create_nodes(kind: NodeKind) -> str:
    """Create a batch of nodes in an empty database: `$rows` are lists in `node_fields(kind)` order.

    Lists rather than maps halve what travels over Bolt; CREATE skips MERGE's look-up (the key
    constraint still refuses a duplicate)."""
    return f"UNWIND $rows AS row CREATE (n:{ident(kind.label)} {_positional(node_fields(kind))})"


def create_edges(kind: EdgeKind) -> str:
    """Create a batch of relationships between existing nodes: `$rows` are lists in
    `edge_fields(kind)` order, `merge_key` properties already '' where empty (as MERGE stores them).

    A row whose end node is missing creates nothing, as with MERGE."""
    src, dst = endpoints(kind)
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{ident(src.label)} {{{ident(src.key)}: row[0]}}) "
            f"MATCH (b:{ident(dst.label)} {{{ident(dst.key)}: row[1]}}) "
            f"CREATE (a)-[:{ident(kind.type)} {_positional(edge_fields(kind), start=2)}]->(b)")


def read_nodes(kind: NodeKind, by_key: bool = False) -> str:
    """All nodes of a kind (or those whose key is in `$keys`) as property maps, in table order."""
    label = ident(kind.label)
    match = (f"UNWIND $keys AS k MATCH (n:{label} {{{ident(kind.key)}: k}})" if by_key else f"MATCH (n:{label})")
    return f"{match} RETURN n {{.*}} AS n ORDER BY n.{ident(SEQ)}"


def read_edges(kind: EdgeKind) -> str:
    """All relationships of a kind: source key, target key and property map, in table order."""
    src, dst = endpoints(kind)
    return (f"MATCH (a:{ident(src.label)})-[r:{ident(kind.type)}]->(b:{ident(dst.label)}) "
            f"RETURN a.{ident(src.key)} AS _from, b.{ident(dst.key)} AS _to, r {{.*}} AS r ORDER BY r.{ident(SEQ)}")


def node_keys(kind: NodeKind) -> str:
    return f"MATCH (n:{ident(kind.label)}) RETURN n.{ident(kind.key)} AS k"


def _key_values(kind: EdgeKind) -> str:
    return "".join(f", coalesce(r.{ident(p)}, '') AS {ident(p)}" for p in kind.merge_key)


def edge_keys(kind: EdgeKind) -> str:
    """Every relationship's key: a, b (the end nodes' keys) and the kind's `merge_key` properties."""
    src, dst = endpoints(kind)
    return (f"MATCH (a:{ident(src.label)})-[r:{ident(kind.type)}]->(b:{ident(dst.label)}) "
            f"RETURN a.{ident(src.key)} AS a, b.{ident(dst.key)} AS b{_key_values(kind)}")


def delete_nodes(kind: NodeKind) -> str:
    return f"UNWIND $keys AS k MATCH (n:{ident(kind.label)} {{{ident(kind.key)}: k}}) DETACH DELETE n"


def delete_edges(kind: EdgeKind) -> str:
    """Delete the relationships whose keys (rows a, b and the `merge_key` properties) are given."""
    src, dst = endpoints(kind)
    same = "".join(f" AND coalesce(r.{ident(p)}, '') = row.{ident(p)}" for p in kind.merge_key)
    return (f"UNWIND $rows AS row MATCH (a:{ident(src.label)} {{{ident(src.key)}: row.a}})"
            f"-[r:{ident(kind.type)}]->(b:{ident(dst.label)} {{{ident(dst.key)}: row.b}}) "
            f"WHERE true{same} DELETE r")


def count_nodes(kind: NodeKind) -> str:
    return f"MATCH (n:{ident(kind.label)}) RETURN count(n) AS n, count(DISTINCT n.{ident(kind.key)}) AS keys"


def count_edges(kind: EdgeKind) -> str:
    """Relationships of a kind, and distinct keys among them ((source, target) and the `merge_key`
    properties; duplicates show as a gap)."""
    src, dst = endpoints(kind)
    key = "".join(f", coalesce(r.{ident(p)}, '')" for p in kind.merge_key)
    return (f"MATCH (a:{ident(src.label)})-[r:{ident(kind.type)}]->(b:{ident(dst.label)}) "
            f"RETURN count(r) AS n, count(DISTINCT [elementId(a), elementId(b){key}]) AS pairs")
