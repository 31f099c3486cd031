"""Process routes (工艺路线) of the products: which inputs each route needs, and which routes local
plants run. A product's FEEDS rows without a route form its default route (`<product>:default`);
a route of the routes table with no FEEDS rows is a route whose inputs are not listed.

>>> from loaders import load; from graph import ChainGraph
>>> r = Routes(ChainGraph(load()[0]))
>>> all(r.routes(p) for p in ["pvc", "bdo"])
True
"""
from __future__ import annotations

from functools import cached_property

from graph import ChainGraph
from queries.vocabulary import DEFAULT_ROUTE

DEFAULT_ROUTE_ZH = "默认路线"


class Routes:
    """The routes of a graph's products, read once from the small tables (routes, feeds)."""

    def __init__(self, cg: ChainGraph):
        self.cg = cg

    @cached_property
    def _inputs(self) -> dict[str, set[str]]:
        feeds = self.cg.tables["feeds"]
        out: dict[str, set[str]] = {}
        for a, b, r in zip(feeds["input_id"], feeds["output_id"], feeds["route_id"]):
            out.setdefault(r or DEFAULT_ROUTE.format(product=b), set()).add(a)
        return out

    @cached_property
    def _by_product(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        routes = self.cg.tables["routes"]
        for r, p in zip(routes["route_id"], routes["product_id"]):
            out.setdefault(p, []).append(r)
        feeds = self.cg.tables["feeds"]
        for b, r in zip(feeds["output_id"], feeds["route_id"]):
            rid = r or DEFAULT_ROUTE.format(product=b)
            if rid not in out.setdefault(b, []):
                out[b].append(rid)
        return {p: sorted(rs) for p, rs in out.items()}

    @cached_property
    def names(self) -> dict[str, str]:
        routes = self.cg.tables["routes"]
        return dict(zip(routes["route_id"], routes["name_zh"]))

    def name(self, route: str) -> str:
        return self.names.get(route, DEFAULT_ROUTE_ZH)

    def routes(self, product: str) -> list[str]:
        """The routes of a product, sorted ids (empty when it has no inputs and no route row)."""
        return self._by_product.get(product, [])

    def inputs(self, route: str) -> set[str]:
        """The inputs (FEEDS rows) of a route."""
        return self._inputs.get(route, set())

    def run(self, product: str, route: str) -> str:
        """The route a plant of `product` runs: its own when known and a route of the product,
        the only route when the product has one, else "" (unknown)."""
        own = self.routes(product)
        if route in own:
            return route
        return own[0] if len(own) == 1 else ""
