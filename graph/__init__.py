"""The chain graph: schema (node and edge kinds) and the networkx views over the validated tables."""
from graph.chaingraph import ChainGraph, DuplicateIdError, edge_rows

__all__ = ["ChainGraph", "DuplicateIdError", "edge_rows"]
