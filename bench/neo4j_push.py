"""Push throughput into Neo4j: the batched, parameterised push against a naive baseline.

    python -m bench.neo4j_push [--firms 20000] [--sample-firms 300] [--wipe]

Needs NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (e.g. ``eval "$(bash scripts/neo4j_server.sh start)"``).
The baseline is what simple scripts commonly do: one auto-commit ``CREATE`` per row, values
formatted into the query text (with the same key constraints in place, so its MATCHes use an
index). Both run on the same server in the same run; the baseline on a sample of the dataset
(all products and chains, the first `--sample-firms` firms and their rows), the batched push on
that same sample and on the whole dataset, fresh and again (idempotent re-push).

The benchmark deletes every node of the schema's labels before and after; it refuses to run on a
database that already holds some unless given --wipe.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from graph import ChainGraph, edge_rows
from graph.neo4j_store import Neo4jStore
from graph.neo4j_store.counts import database_counts
from graph.neo4j_store.cypher import endpoints, ident
from graph.neo4j_store.push import ensure_schema, plan, total_rows, write_batches
from graph.neo4j_store.rows import to_neo4j
from graph.schema import EDGE_KINDS, NODE_KINDS
from loaders import load
from loaders.tables import TABLES_BY_NAME


def dataset(firms: int, folder: Path) -> ChainGraph:
    """A synthetic dataset with about `firms` firms (`loaders.generate` when present)."""
    try:
        from loaders.generate import generate
    except ImportError:
        return ChainGraph(replicated_builtin(firms))
    generate(folder, firms=firms, seed=11)
    return ChainGraph(load(folder)[0])


def replicated_builtin(firms: int) -> dict[str, pd.DataFrame]:
    """The built-in tables with their firms copied under synthetic ids and names (合成副本k) until
    there are about `firms`; only for timing, never as data."""
    t = load()[0]
    base, produces = t["enterprises"], t["produces"]
    copies = max(1, firms // len(base))
    firm_copies, produce_copies = [], []
    for k in range(copies):
        firm_copies.append(base.assign(enterprise_id=base["enterprise_id"] + f"~{k}",
                                       name=base["name"] + f"（合成副本{k}）", short_name=""))
        produce_copies.append(produces.assign(enterprise_id=produces["enterprise_id"] + f"~{k}"))
    empty = t["projects"].iloc[0:0]
    return {**t, "enterprises": pd.concat(firm_copies, ignore_index=True),
            "produces": pd.concat(produce_copies, ignore_index=True), "projects": empty}


def sample(cg: ChainGraph, firms: int) -> ChainGraph:
    """All small tables, the first `firms` firms and the rows that name only them."""
    t = dict(cg.tables)
    keep = set(t["enterprises"]["enterprise_id"].iloc[:firms])
    t["enterprises"] = t["enterprises"].iloc[:firms].reset_index(drop=True)
    t["produces"] = t["produces"][t["produces"]["enterprise_id"].isin(keep)].reset_index(drop=True)
    t["projects"] = t["projects"][t["projects"]["enterprise_id"].isin(keep | {""})].reset_index(drop=True)
    return ChainGraph(t)


def literal(value: Any) -> str:
    """A value written into Cypher text, escaped the way a simple script would."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def props_text(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {literal(v)}" for k, v in values.items() if v is not None)


def naive_statements(cg: ChainGraph) -> list[str]:
    """One CREATE statement per node and per relationship, values in the text."""
    out = []
    for kind in NODE_KINDS:
        table, frame = TABLES_BY_NAME[kind.table], cg.tables[kind.table]
        columns = {c.id: to_neo4j(c, frame[c.id].tolist()) for c in table.columns}
        for i in range(len(frame)):
            out.append(f"CREATE (n:{kind.label} {{{props_text({c: v[i] for c, v in columns.items()})}}})")
    for edge in EDGE_KINDS:
        src, dst = endpoints(edge)
        rows, table = edge_rows(cg.tables, edge), TABLES_BY_NAME[edge.table]
        columns = {p: to_neo4j(table.column(p), rows[p].tolist()) for p in edge.properties}
        for i, (a, b) in enumerate(zip(rows["_from"], rows["_to"])):
            out.append(f"MATCH (a:{src.label} {{{src.key}: {literal(a)}}}) MATCH (b:{dst.label} {{{dst.key}: "
                       f"{literal(b)}}}) CREATE (a)-[:{edge.type} {{{props_text({p: v[i] for p, v in columns.items()})}}}]->(b)")
    return out


def run_naive(store: Neo4jStore, statements: list[str]) -> float:
    start = time.perf_counter()
    with store.driver.session(database=store.database) as session:
        for statement in statements:
            session.run(statement).consume()
    return time.perf_counter() - start


def clear(store: Neo4jStore) -> None:
    """Delete every node of the schema's labels (relationships first), in small transactions."""
    for kind in NODE_KINDS:
        label = ident(kind.label)
        while store.write(f"MATCH (:{label})-[r]-() WITH DISTINCT r LIMIT 20000 DELETE r").get("relationships_deleted"):
            pass
        while store.write(f"MATCH (n:{label}) WITH n LIMIT 20000 DELETE n").get("nodes_deleted"):
            pass


def ours(store: Neo4jStore) -> int:
    return sum(store.read(f"MATCH (n:{ident(k.label)}) RETURN count(n) AS n")[0]["n"] for k in NODE_KINDS)


def timed_push(cg: ChainGraph, store: Neo4jStore, batch_size: int) -> float:
    """Seconds spent writing the rows (constraints exist already; the counts check after is not timed,
    as the baseline has none)."""
    start = time.perf_counter()
    write_batches(store, plan(cg, batch_size), progress=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, default=20_000)
    ap.add_argument("--sample-firms", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=10_000)
    ap.add_argument("--wipe", action="store_true", help="allow deleting existing nodes of the schema's labels")
    args = ap.parse_args(argv)
    with Neo4jStore.connect() as store, tempfile.TemporaryDirectory() as tmp:
        if ours(store) and not args.wipe:
            sys.exit("the database already holds chain-graph nodes; run on an empty test database or pass --wipe")
        cg = dataset(args.firms, Path(tmp) / "data")
        small = sample(cg, args.sample_firms)
        clear(store)
        ensure_schema(store)
        results = []
        statements = naive_statements(small)
        results.append(("naive: CREATE per row, values in text", "sample", len(statements), run_naive(store, statements)))
        clear(store)
        results.append(("batched UNWIND/MERGE, fresh", "sample", total_rows(small), timed_push(small, store, args.batch_size)))
        clear(store)
        results.append(("batched UNWIND/MERGE, fresh", "full", total_rows(cg), timed_push(cg, store, args.batch_size)))
        results.append(("batched UNWIND/MERGE, again", "full", total_rows(cg), timed_push(cg, store, args.batch_size)))
        assert all(c["database"] == c["data"] and not c["duplicates"] for c in database_counts(cg, store).values())
        clear(store)
        version = store.version
    load1, load5, _ = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load1:.2f} / {load5:.2f} (1 / 5 min); "
          f"the server shares them with this client")
    print(f"server {version[0]}.{version[1]}, firms: full {len(cg.tables['enterprises'])}, "
          f"sample {len(small.tables['enterprises'])}")
    print(f"{'method':42} {'data':7} {'rows':>9} {'seconds':>8} {'rows/s':>9}")
    for name, data, rows, seconds in results:
        print(f"{name:42} {data:7} {rows:>9} {seconds:>8.2f} {rows / seconds:>9.0f}")
    naive = results[0][2] / results[0][3]
    print(f"ratio on the same sample rows (batched fresh / naive): {results[1][2] / results[1][3] / naive:.1f}x")
    print(f"ratio at full size (batched fresh / naive): {results[2][2] / results[2][3] / naive:.1f}x; "
          f"re-push: {results[3][2] / results[3][3] / naive:.1f}x")


if __name__ == "__main__":
    main()
