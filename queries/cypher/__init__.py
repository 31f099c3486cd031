"""The analysis on Neo4j: `Neo4jSource` supplies what the database must compute (per-product
producers and targeting candidates, aggregated in Cypher); `queries.analysis` does the rest, so
both backends give identical answers.

    with Neo4jStore.connect() as store:
        result = analyse(Neo4jSource(store))

Modules: `producers` (producer rows, per-product aggregation), `candidates` (the targeting pool
and pre-scored candidates), `source` (the Source itself).
"""
from queries.cypher.source import Neo4jSource

__all__ = ["Neo4jSource"]
