"""Fixtures for the tests that need a real Neo4j server, and a larger graph to compare backends on.

The server comes from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (and NEO4J_DATABASE);
`scripts/run_tests.sh` starts a throw-away one when Java 17 and Maven are installed. Without one
the tests skip with a message saying so, except under CI=true, where they fail.

The tests wipe the database they are given, so they only accept one that is empty, or that carries
their marker node from an earlier run: they never touch a database holding anything else.
"""
from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import TINY, write_tables
from graph import ChainGraph
from graph.neo4j_store import Neo4jConfigError, Neo4jStore
from loaders import load

MARKER = "ChainkgTestMarker"  # test-only label; production code takes labels from graph/schema.py only
HOW = ("设置 NEO4J_URI、NEO4J_USER、NEO4J_PASSWORD（可选 NEO4J_DATABASE）指向一个空的测试库，"
       "或运行 bash scripts/run_tests.sh（装有 Java 17 和 Maven 时会自动启动临时服务器）。"
       " / Set NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (optionally NEO4J_DATABASE) to an empty test database,"
       " or run bash scripts/run_tests.sh, which starts a throw-away server when Java 17 and Maven are installed.")


def unavailable(reason: str) -> None:
    message = f"Neo4j 测试未运行 / Neo4j tests not run: {reason}. {HOW}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def wipe(store: Neo4jStore) -> None:
    """Delete everything but the marker, relationships first, in small transactions."""
    while store.write("MATCH ()-[r]->() WITH r LIMIT 20000 DELETE r").get("relationships_deleted"):
        pass
    while store.write(f"MATCH (n) WHERE NOT n:{MARKER} WITH n LIMIT 20000 DETACH DELETE n").get("nodes_deleted"):
        pass


@pytest.fixture(scope="session")
def neo4j_store() -> Iterator[Neo4jStore]:
    if not os.environ.get("NEO4J_URI"):
        unavailable("NEO4J_URI 未设置 / NEO4J_URI is not set")
    try:
        store = Neo4jStore.connect()
    except Neo4jConfigError as e:
        unavailable(str(e))
    marked = store.read(f"MATCH (m:{MARKER}) RETURN count(m) AS n")[0]["n"]
    others = store.read(f"MATCH (n) WHERE NOT n:{MARKER} RETURN count(n) AS n")[0]["n"]
    if others and not marked:
        store.close()
        unavailable(f"数据库不是空的（{others} 个节点），测试会清空它 / the database is not empty ({others} nodes) "
                    "and the tests would wipe it")
    if not marked:
        store.write(f"CREATE (:{MARKER})")
    yield store
    wipe(store)
    store.close()


@pytest.fixture
def store(neo4j_store: Neo4jStore) -> Neo4jStore:
    """The test database, emptied."""
    wipe(neo4j_store)
    return neo4j_store


def scaled_tiny(folder: Path, copies: int, seed: int = 7) -> Path:
    """The tiny tables repeated `copies` times with varied regions, tags, capacities and statuses,
    plus FEEDS and PRODUCES across copies: a synthetic graph of any size (synthetic names)."""
    rng = random.Random(seed)
    regions = ["wuhai_hainan", "alxa_wusitai", "", "beijing", "wuhai"]
    t: dict[str, list[dict[str, str]]] = {"regions": TINY["regions"], "chains": TINY["chains"]}
    t.update({k: [] for k in ("products", "chain_products", "feeds", "enterprises", "produces", "projects")})
    for k in range(copies):
        s = f"_{k}"
        t["products"] += [{**p, "product_id": p["product_id"] + s, "name_zh": f"{p['name_zh']}{k}",
                           "aliases": ""} for p in TINY["products"]]
        t["chain_products"] += [{**c, "product_id": c["product_id"] + s} for c in TINY["chain_products"]]
        t["feeds"] += [{**f, "input_id": f["input_id"] + s, "output_id": f["output_id"] + s} for f in TINY["feeds"]]
        if k:
            t["feeds"].append({"input_id": f"pvc_{k - 1}", "output_id": f"pbat{s}", "kind": rng.choice(["原料", "辅料"])})
        for i, e in enumerate(TINY["enterprises"]):
            t["enterprises"].append({**e, "enterprise_id": e["enterprise_id"] + s, "name": f"{e['name']}{k}",
                                     "region_id": regions[(i + k) % 5] if k else e.get("region_id", ""),
                                     "srdi_level": rng.choice(["", "", "省级专精特新", "国家级专精特新小巨人"])
                                     if e.get("leader") != "是" else "",
                                     "listed_code": e.get("listed_code", "") if rng.random() < 0.7 else ""})
        for p in TINY["produces"]:
            t["produces"].append({**p, "enterprise_id": p["enterprise_id"] + s, "product_id": p["product_id"] + s,
                                  "capacity": rng.choice(["", "5", "10.5", "30", "0.1", "0.2"]),
                                  "status": rng.choice(["在产", "在产", "在产", "在建", "规划"])})
        for e in rng.sample(range(5), 2):
            t["produces"].append({"enterprise_id": f"E{e + 1}{s}", "product_id": f"{rng.choice(['bdo', 'pvc', 'thf'])}"
                                  f"_{rng.randrange(copies)}", "capacity": rng.choice(["", "7"]), "status": "在产"})
        t["projects"].append({**TINY["projects"][0], "project_id": f"P{k}", "enterprise_id": f"E{rng.randint(1, 5)}{s}",
                              "product_ids": f"thf{s}|pbat{s}", "status": rng.choice(["签约", "在建", "投产"]),
                              "region_id": rng.choice(["wuhai_hainan", "beijing"])})
    seen: set[tuple[str, str]] = set()
    t["produces"] = [p for p in t["produces"] if (p["enterprise_id"], p["product_id"]) not in seen
                     and not seen.add((p["enterprise_id"], p["product_id"]))]
    return write_tables(folder, t)


def larger_graph(folder: Path) -> ChainGraph:
    """A few thousand firms: `loaders.generate` when this branch has it, else the scaled tiny tables."""
    try:
        from loaders.generate import generate
    except ImportError:
        data = scaled_tiny(folder, copies=400)
    else:
        generate(folder, firms=6000, seed=3)
        data = folder
    tables, report = load(data)
    assert report.totals["rejected"] == 0, report.rejections[:5]
    return ChainGraph(tables)
