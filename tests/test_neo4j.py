"""Neo4j sync against a real server: round trip, idempotent and interrupted pushes, hostile text,
prune, connection settings and the CLI. See tests/neo4j_fixtures.py for how the server is found."""
from __future__ import annotations

import itertools
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from cli.main import main
from graph import ChainGraph
from graph.neo4j_store import Neo4jConfigError, Neo4jStore, neo4j_settings, pull, push
from graph.neo4j_store.counts import database_counts
from graph.neo4j_store.push import ensure_schema, plan, write_batches
from graph.schema import ENTERPRISE
from loaders import load
from loaders.tables import BOOL, NUMBER, TABLES
from neo4j_fixtures import larger_graph, neo4j_store, store  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "甲\"公司'}) DETACH DELETE n //\\ `x` $rows {{}}\n第二行\t; MATCH (m) DELETE m"


def same_value(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b)


def assert_same_graph(a: nx.DiGraph, b: nx.DiGraph) -> None:
    assert set(a.nodes) == set(b.nodes)
    assert set(a.edges) == set(b.edges)
    for n in a.nodes:
        assert a.nodes[n].keys() == b.nodes[n].keys(), n
        assert all(same_value(a.nodes[n][k], b.nodes[n][k]) for k in a.nodes[n]), (n, a.nodes[n], b.nodes[n])
    for e in a.edges:
        assert a.edges[e].keys() == b.edges[e].keys(), e
        assert all(same_value(a.edges[e][k], b.edges[e][k]) for k in a.edges[e]), (e, a.edges[e], b.edges[e])


def assert_same_tables(a: ChainGraph, b: ChainGraph) -> None:
    for t in TABLES:
        pd.testing.assert_frame_equal(a.tables[t.name], b.tables[t.name], check_dtype=False)
        for c in t.columns:
            if c.kind == NUMBER:
                assert b.tables[t.name][c.id].dtype == float, (t.name, c.id)
            elif c.kind == BOOL:
                assert b.tables[t.name][c.id].dtype == bool, (t.name, c.id)


def assert_complete(result_counts: dict) -> None:
    """Every kind holds exactly the data's count, with no duplicate key or (source, target) pair."""
    for kind, c in result_counts.items():
        assert c["database"] == c["data"] and c["duplicates"] == 0, (kind, c)


def builtin() -> ChainGraph:
    return ChainGraph(load()[0])


def test_round_trip_keeps_every_node_edge_and_property(store: Neo4jStore) -> None:
    cg = builtin()
    assert_complete(push(cg, store, progress=False)["counts"])
    back = pull(store)
    assert_same_tables(cg, back)
    assert_same_graph(cg.graph, back.graph)
    firm = back.graph.nodes["Enterprise:L001"]
    assert firm["leader"] is True and isinstance(back.graph.nodes["Product:bdo"]["aliases"], str)


def test_pushing_twice_leaves_the_same_counts(store: Neo4jStore) -> None:
    cg = builtin()
    first = push(cg, store, progress=False)
    second = push(cg, store, progress=False)
    assert first["counts"] == second["counts"] and second["pruned"] == {}
    assert_complete(second["counts"])


def test_interrupted_push_then_full_push_has_no_duplicates(store: Neo4jStore, tmp_path: Path) -> None:
    cg = larger_graph(tmp_path / "big")
    ensure_schema(store)
    batches = list(plan(cg, batch_size=500))
    write_batches(store, batches[: len(batches) // 2], progress=False)  # as if killed half-way
    partial = database_counts(cg, store)
    assert sum(c["database"] for c in partial.values()) < sum(c["data"] for c in partial.values())
    assert_complete(push(cg, store, batch_size=700, progress=False)["counts"])


def test_push_killed_mid_run_then_run_again_completes(store: Neo4jStore, tmp_path: Path) -> None:
    cg = larger_graph(tmp_path / "big")
    data = tmp_path / "data"
    from loaders.export import write_tables as export

    export(cg.tables, data)
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "neo4j", "push", "--data", str(data),
                             "--batch-size", "200", "--no-progress"], cwd=ROOT, env=os.environ.copy(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if store.read(f"MATCH (n:{ENTERPRISE}) RETURN count(n) AS n")[0]["n"] > 0:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "push finished before it could be killed"
    assert_complete(push(cg, store, progress=False)["counts"])
    assert_same_tables(cg, pull(store))


def test_hostile_text_round_trips_and_deletes_nothing(store: Neo4jStore, tiny_dir: Path) -> None:
    tables, _ = load(tiny_dir)
    firms = tables["enterprises"].copy()
    firms.loc[firms["enterprise_id"] == "E3", ["name", "short_name", "note"]] = [HOSTILE, "`) RETURN 1 //", "\\'\\\""]
    products = tables["products"].copy()
    products.loc[products["product_id"] == "pbat", "aliases"] = "a'}) DETACH DELETE n //|b\\|c\"\n"
    cg = ChainGraph({**tables, "enterprises": firms, "products": products})
    result = push(cg, store, progress=False)
    assert_complete(result["counts"])
    assert result["counts"]["Enterprise"]["database"] == 5 and result["counts"]["Product"]["database"] == 7
    back = pull(store)
    assert back.tables["enterprises"].set_index("enterprise_id").at["E3", "name"] == HOSTILE
    assert_same_tables(cg, back)


def test_prune_deletes_only_what_the_data_dropped(store: Neo4jStore, tiny_dir: Path) -> None:
    tables, _ = load(tiny_dir)
    push(ChainGraph(tables), store, progress=False)
    store.write("CREATE (:Other {name: 'not ours'})")
    produces = tables["produces"]
    smaller = {**tables, "enterprises": tables["enterprises"][tables["enterprises"]["enterprise_id"] != "E5"],
               "produces": produces[(produces["enterprise_id"] != "E5")
                                    & ~((produces["enterprise_id"] == "E3") & (produces["product_id"] == "bdo"))]}
    smaller = {k: v.reset_index(drop=True) for k, v in smaller.items()}
    result = push(ChainGraph(smaller), store, progress=False)
    assert result["pruned"] == {"Enterprise-PRODUCES": 2, "Enterprise": 1}
    assert_complete(result["counts"])
    assert_same_tables(ChainGraph(smaller), pull(store))
    assert store.read("MATCH (n:Other) RETURN n.name AS name") == [{"name": "not ours"}]
    store.write("MATCH (n:Other) DELETE n")


def test_routing_scheme_and_password_never_shown(neo4j_store: Neo4jStore, capsys) -> None:
    s = neo4j_settings()
    if s.uri.startswith("bolt://"):  # neo4j:// asks the server for a routing table, as on a cluster
        with Neo4jStore.connect(neo4j_settings(uri="neo4j://" + s.uri.removeprefix("bolt://"))) as routed:
            assert routed.read("RETURN 1 AS x") == [{"x": 1}]
    wrong = "wrong-" + "pw-9f3k"
    assert wrong not in repr(neo4j_settings(password=wrong)) and s.password not in repr(s)
    with pytest.raises(Neo4jConfigError) as err:
        Neo4jStore.connect(neo4j_settings(password=wrong))
    assert wrong not in str(err.value) and "用户名或密码" in str(err.value)
    with pytest.raises(SystemExit) as code:
        main(["neo4j", "pull", "--neo4j-uri", "bolt://127.0.0.1:1", "--neo4j-password", wrong])
    assert code.value.code == 3
    out = capsys.readouterr()
    assert wrong not in out.out + out.err and "无法连接" in out.err


def test_cli_push_pull_and_backend_flag(store: Neo4jStore, tiny_dir: Path, tmp_path: Path, capsys) -> None:
    main(["neo4j", "push", "--data", str(tiny_dir), "--no-progress"])
    out = capsys.readouterr()
    assert "Enterprise\t5\t5\t0" in out.out and os.environ["NEO4J_PASSWORD"] not in out.out + out.err
    for command in (["gaps"], ["completeness"], ["targets"], ["whatif", "--add", "E3:pbat:10"]):
        main([*command, "--json", "--data", str(tiny_dir)])
        expected = json.loads(capsys.readouterr().out)
        main([*command, "--json", "--backend", "neo4j"])
        assert json.loads(capsys.readouterr().out) == expected, command
    main(["neo4j", "pull", "--out", str(tmp_path / "pulled")])
    reloaded, report = load(tmp_path / "pulled")
    assert report.totals["rejected"] == 0
    assert_same_tables(ChainGraph(load(tiny_dir)[0]), ChainGraph(reloaded))


def test_batches_cover_every_row_once(tiny_graph: ChainGraph) -> None:
    """No server needed: the push plan writes each node and relationship row exactly once."""
    rows = [b for b in plan(tiny_graph, batch_size=3)]
    by_kind = {k: sum(len(b.rows) for b in g) for k, g in itertools.groupby(rows, key=lambda b: b.what)}
    assert by_kind == {"Region": 4, "Chain": 2, "Product": 7, "Route": 1, "Enterprise": 5, "Project": 1,
                       "Region-PART_OF": 1, "Route-ROUTE_OF": 1,
                       "Chain-HAS_PRODUCT": 9, "Product-FEEDS": 6, "Enterprise-LOCATED_IN": 3,
                       "Enterprise-PRODUCES": 8, "Enterprise-INVESTS": 1, "Project-LOCATED_IN": 1,
                       "Project-FOR_PRODUCT": 1}
    assert max(len(b.rows) for b in rows) == 3


def test_subquery_syntax_follows_the_server_version() -> None:
    """No server needed: CALL (f) {...} from Neo4j 5.23 on, CALL { WITH f ... } before."""
    old, new = Neo4jStore(driver=None), Neo4jStore(driver=None)  # type: ignore[arg-type]
    old.__dict__["version"], new.__dict__["version"] = (5, 20), (2025, 1)
    assert old.call("RETURN 1 AS x", "f") == "CALL { WITH f RETURN 1 AS x }"
    assert old.call("RETURN 1 AS x") == "CALL { RETURN 1 AS x }"
    assert new.call("RETURN 1 AS x", "f") == "CALL (f) { RETURN 1 AS x }"
