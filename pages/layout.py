"""Where a chain's products sit on its map: FEEDS links between them and their columns.

A chain lists some products; FEEDS may pass through products the chain does not list. Such a path
is drawn as one indirect link, so the map never shows two linked products as unrelated.

Columns (levels) run upstream -> downstream: each product sits one column right of its furthest
input; a product with no input in the chain sits just left of its nearest output; a product
linked to nothing sits by its segment (上游 left, 中游 middle, 下游 right).
"""
from __future__ import annotations

import networkx as nx

SEGMENT_RANK = {"上游": 0, "中游": 1, "下游": 2}
Link = tuple[str, str, tuple[str, ...]]  # (input, output, products passed through outside the chain)


def chain_links(product_graph: nx.DiGraph, products: list[str]) -> list[Link]:
    """FEEDS links between the given products, direct or through products outside them.

    >>> g = nx.DiGraph([("a", "x"), ("x", "b"), ("b", "c")])
    >>> chain_links(g, ["a", "b", "c"])
    [('a', 'b', ('x',)), ('b', 'c', ())]
    >>> chain_links(g, ["a", "c"])
    [('a', 'c', ('x', 'b'))]
    """
    inside = set(products)
    links: list[Link] = []
    for start in products:
        if start not in product_graph:
            continue
        seen = {start}
        frontier: list[tuple[str, tuple[str, ...]]] = [(start, ())]
        while frontier:
            following = []
            for node, via in frontier:
                for succ in sorted(product_graph.successors(node)):
                    if succ in seen:
                        continue
                    seen.add(succ)
                    if succ in inside:
                        links.append((start, succ, via))
                    else:
                        following.append((succ, via + (succ,)))
            frontier = following
    return links


def levels(segments: dict[str, str], links: list[Link]) -> dict[str, int]:
    """Column of each product (0 = furthest upstream), from the links and, for loners, the segment.

    >>> levels({"a": "上游", "b": "中游", "c": "下游", "z": "下游"}, [("a", "b", ()), ("b", "c", ())])
    {'a': 0, 'b': 1, 'c': 2, 'z': 2}
    """
    g = nx.DiGraph()
    g.add_nodes_from(segments)
    g.add_edges_from((a, b) for a, b, _ in links)
    level: dict[str, int] = {}
    for node in nx.topological_sort(g):
        level[node] = max((level[p] + 1 for p in g.predecessors(node)), default=0)
    for node in g:  # sources move right, next to their nearest output
        if g.in_degree(node) == 0 and g.out_degree(node) > 0:
            level[node] = min(level[s] for s in g.successors(node)) - 1
    top = max((level[n] for n in g if g.degree(n)), default=0)
    for node in g:
        if g.degree(node) == 0:
            level[node] = round(SEGMENT_RANK.get(segments[node], 1) * top / 2)
    return {n: level[n] for n in segments}
