"""First loads into an empty Neo4j: the CREATE path of `push`, and the files for Neo4j's offline
importer (`neo4j-admin database import full`) run for real into a second, short-lived server.

The file tests need no server. The push tests use the shared test server (tests/neo4j_fixtures.py).
The importer test starts its own server with `scripts/neo4j_server.sh import` (through
`bench.neo4j_push.ImportServer`, which the benchmark uses too) on a free port and a state file of its own, so the shared server is never touched; it needs Java 17/21 and the Neo4j
jars (cached, or Maven to fetch them): outside CI it skips with a message when they are missing,
under CI=true it fails.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from bench.neo4j_push import ImportServer
from cli.main import main
from graph import ChainGraph
from graph.neo4j_store import Neo4jStore, pull, push
from graph.neo4j_store.counts import database_counts, database_is_empty
from graph.neo4j_store.import_files import import_paths, write_import_files
from graph.neo4j_store.push import Batch, create_plan, ensure_schema, write_batches
from graph.neo4j_store.rows import created_edges
from graph.schema import EDGE_KINDS, PRODUCES
from loaders import load
from loaders.generate import generate
from neo4j_fixtures import larger_graph, neo4j_store, store, unavailable  # noqa: F401  (fixtures)
from test_neo4j import HOSTILE, assert_complete, assert_same_graph, assert_same_tables

PRODUCES_KIND = next(e for e in EDGE_KINDS if e.type == PRODUCES)


def hostile_tiny(tiny_dir: Path) -> ChainGraph:
    """The tiny tables with a firm name holding a quote, a comma and a line break, and an alias list
    holding a quote and a comma."""
    tables, _ = load(tiny_dir)
    firms, products = tables["enterprises"].copy(), tables["products"].copy()
    firms.loc[firms["enterprise_id"] == "E3", "name"] = '丙"公司,第一行\n第二行'
    products.loc[products["product_id"] == "pbat", "aliases"] = 'a"b|c,d'
    return ChainGraph({**tables, "enterprises": firms, "products": products})


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def test_import_files_headers_quoting_and_cells(tiny_dir: Path, tmp_path: Path) -> None:
    """Hand-worked rows of the tiny tables: typed headers with id spaces, every value quoted with
    inner quotes doubled, empty cells unquoted, FEEDS.route_id '' where empty (as MERGE stores it),
    relationships sorted by start node."""
    files = write_import_files(hostile_tiny(tiny_dir), tmp_path / "files")
    firms = lines(tmp_path / "files" / "nodes_Enterprise.csv")
    assert firms[0] == ("enterprise_id:ID(Enterprise),name,short_name,province,city,region_id,leader:boolean,"
                        "srdi_level,listed_code,source,verified,verified_on,note,credit_code,seq:long,:LABEL")
    assert firms[1] == '"E1","甲化工有限公司",,,,"wuhai_hainan",false,,,"test","待核实",,,,0,Enterprise'
    assert firms[3:5] == ['"E3","丙""公司,第一行', '第二行",,"北京市",,,true,,"600000.SH","test","待核实",,,,2,Enterprise']
    products = lines(tmp_path / "files" / "nodes_Product.csv")
    assert products[0] == "product_id:ID(Product),name_zh,name_en,aliases:string[],unit,kind,note,seq:long,:LABEL"
    assert products[5] == '"pbat","PBAT",,"a""b|c,d","万吨/年","物料",,4,Product'
    feeds = lines(tmp_path / "files" / "relationships_Product-FEEDS.csv")
    assert feeds[:3] == [":START_ID(Product),:END_ID(Product),kind,route_id,note,seq:long,:TYPE",
                         '"acetylene","bdo","原料","",,1,FEEDS', '"acetylene","pvc","原料","pvc:carbide",,4,FEEDS']
    produces = lines(tmp_path / "files" / "relationships_Enterprise-PRODUCES.csv")
    assert produces[0] == (":START_ID(Enterprise),:END_ID(Product),capacity:double,unit,status,route_id,source,"
                           "verified,verified_on,seq:long,:TYPE")
    assert produces[1:3] == ['"E1","carbide",40.0,,"在产",,,"已核实","2024-05-20",0,PRODUCES',
                             '"E1","acetylene",,,"在产",,,"已核实","2024-05-20",1,PRODUCES']
    assert lines(tmp_path / "files" / "relationships_Region-PART_OF.csv")[1:] == ['"wuhai_hainan","wuhai",0,PART_OF', ""]
    assert files.rows == 4 + 2 + 7 + 1 + 5 + 1 + 1 + 9 + 1 + 6 + 3 + 8 + 1 + 1 + 1
    assert files.multiline and "--multiline-fields=true" in files.arguments()
    assert files.arguments()[-2:] == ["--overwrite-destination", "neo4j"]


def test_no_line_break_no_multiline_flag(tiny_graph: ChainGraph, tmp_path: Path) -> None:
    files = write_import_files(tiny_graph, tmp_path / "files")
    assert not files.multiline and not any(a.startswith("--multiline") for a in files.arguments())


def test_created_edges_keep_the_last_duplicate_and_skip_missing_ends(tiny_graph: ChainGraph) -> None:
    """As MERGE then SET leaves it: one relationship per key, the last row's values; a row naming a
    firm that is not in the tables creates nothing (MATCH finds no node)."""
    t = dict(tiny_graph.tables)
    extra = pd.DataFrame([{**t["produces"].iloc[2].to_dict(), "capacity": 7.0},  # E2 bdo again, capacity 7
                          {**t["produces"].iloc[2].to_dict(), "enterprise_id": "E9"}])  # no firm E9
    t["produces"] = pd.concat([t["produces"], extra], ignore_index=True)
    rows = created_edges(t, PRODUCES_KIND)
    assert list(zip(rows["_from"], rows["_to"])) == [("E1", "carbide"), ("E1", "acetylene"), ("E2", "bdo"),
                                                     ("E3", "bdo"), ("E3", "pvc"), ("E4", "thf"),
                                                     ("E4", "pvc_catalyst"), ("E5", "pvc")]
    e2 = rows[rows["_from"] == "E2"].iloc[0]
    assert e2["capacity"] == 7.0 and e2["seq"] == 8


def test_create_plan_writes_each_row_once(tiny_graph: ChainGraph) -> None:
    by_kind: dict[str, int] = {}
    starts: dict[str, set] = {}
    for b in create_plan(tiny_graph, batch_size=3):
        by_kind[b.what] = by_kind.get(b.what, 0) + len(b.rows)
        assert all(isinstance(r, tuple) for r in b.rows)
        if b.stage != "nodes":  # no start node in two batches of a kind
            here = {r[0] for r in b.rows}
            assert not here & starts.setdefault(b.what, set())
            starts[b.what] |= here
    assert by_kind == {"Region": 4, "Chain": 2, "Product": 7, "Route": 1, "Enterprise": 5, "Project": 1,
                       "Region-PART_OF": 1, "Chain-HAS_PRODUCT": 9, "Route-ROUTE_OF": 1, "Product-FEEDS": 6,
                       "Enterprise-LOCATED_IN": 3,
                       "Enterprise-PRODUCES": 8, "Enterprise-INVESTS": 1, "Project-LOCATED_IN": 1,
                       "Project-FOR_PRODUCT": 1}


def test_create_batches_keep_a_start_node_whole_and_sort_by_end_node(tiny_graph: ChainGraph) -> None:
    """The tiny PRODUCES rows sorted by firm: E1 E1 | E2 | E3 E3 | E4 E4 | E5 (runs starting at rows
    0, 2, 3, 5, 7). In batches of 3, rows 0-2 take the runs starting there (E1, E2), rows 3-5 take E3
    and E4 (4 rows), rows 6-8 take E5; each batch sorted by product."""
    batches = [b for b in create_plan(tiny_graph, batch_size=3) if b.what == "Enterprise-PRODUCES"]
    assert [[r[:2] for r in b.rows] for b in batches] == [
        [("E1", "acetylene"), ("E2", "bdo"), ("E1", "carbide")],
        [("E3", "bdo"), ("E3", "pvc"), ("E4", "pvc_catalyst"), ("E4", "thf")],
        [("E5", "pvc")]]
    assert all(b.concurrent and b.stage == "Enterprise-PRODUCES" for b in batches)
    feeds = [b for b in create_plan(tiny_graph, batch_size=3) if b.what == "Product-FEEDS"]
    assert feeds and not any(b.concurrent for b in feeds)  # both ends Product: one batch at a time


class RecordingStore:
    """Stands in for a Neo4jStore: records when each write ran. A write of a query named in `meet`
    waits (up to 2 s) until that many writes run at once, so that overlap does not depend on how
    the machine schedules threads."""

    def __init__(self, fail_on: str = "", meet: dict[str, int] | None = None) -> None:
        self.events: list[tuple[str, float, float]] = []
        self.cond = threading.Condition()
        self.running = 0
        self.fail_on, self.meet = fail_on, meet or {}

    def write(self, query: str, rows: list) -> dict:
        start = time.perf_counter()
        with self.cond:
            self.running += 1
            self.cond.notify_all()
            self.cond.wait_for(lambda: self.running >= self.meet.get(query, 1), timeout=2)
        time.sleep(0.01)
        with self.cond:
            self.running -= 1
            self.events.append((query, start, time.perf_counter()))
        if query == self.fail_on:
            raise RuntimeError("refused")
        return {}


def overlapping(events: list) -> int:
    """The most writes running at one moment."""
    marks = sorted([(s, 1) for _, s, _ in events] + [(e, -1) for _, _, e in events])
    running = most = 0
    for _, d in marks:
        running += d
        most = max(most, running)
    return most


def test_concurrent_batches_run_workers_at_a_time_and_stages_in_order() -> None:
    """Concurrent batches of a stage overlap, at most `workers` at once; a stage starts after the
    one before has finished; batches not marked concurrent never overlap."""
    batches = ([Batch("n", "A", [1], "a", True) for _ in range(9)] + [Batch("e", "B", [1, 2], "b", False) for _ in range(3)]
               + [Batch("e", "C", [1], "c", True) for _ in range(6)])
    store = RecordingStore(meet={"A": 3, "C": 3})
    assert write_batches(store, batches, progress=False, workers=3) == 9 + 6 + 6
    by = {q: [e for e in store.events if e[0] == q] for q in "ABC"}
    assert [len(by[q]) for q in "ABC"] == [9, 3, 6]
    assert overlapping(by["A"]) == 3 and overlapping(by["C"]) == 3 and overlapping(by["B"]) == 1
    assert max(e for *_, e in by["A"]) <= min(s for _, s, _ in by["B"])
    assert max(e for *_, e in by["B"]) <= min(s for _, s, _ in by["C"])
    assert overlapping(store.events) == 3


def test_a_failing_concurrent_batch_stops_the_push() -> None:
    store = RecordingStore(fail_on="X")
    batches = [Batch("n", "A", [1], "a", True) for _ in range(3)] + [Batch("n", "X", [1], "a", True)] + [
        Batch("n", "A", [1], "a", True) for _ in range(20)]
    with pytest.raises(RuntimeError, match="refused"):
        write_batches(store, batches, progress=False, workers=2)
    assert len(store.events) < 3 + 20  # the batches not yet started were cancelled


def test_cli_import_files_prints_both_spellings(tiny_dir: Path, tmp_path: Path, capsys) -> None:
    main(["neo4j", "import-files", str(tmp_path / "out"), "--data", str(tiny_dir)])
    out = capsys.readouterr().out
    folder = (tmp_path / "out").resolve()
    assert f"--nodes={folder / 'nodes_Enterprise.csv'}" in out
    assert f'--relationships="{folder / "relationships_Enterprise-PRODUCES.csv"}"' in out  # the Windows line
    assert "bin\\neo4j-admin.bat database import full" in out and "chainkg neo4j constraints" in out
    assert (folder / "import-command.txt").read_text(encoding="utf-8") == out
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in import_paths(folder))
    with pytest.raises(SystemExit) as code:
        main(["neo4j", "import-files", str(tmp_path / "a,b"), "--data", str(tiny_dir)])
    assert code.value.code == 2 and "import-folder-comma" in capsys.readouterr().err


def test_cli_push_refuses_zero_workers(capsys) -> None:
    with pytest.raises(SystemExit) as code:
        main(["neo4j", "push", "--workers", "0"])
    assert code.value.code == 2 and "--workers" in capsys.readouterr().err


# ------------------------------------------------------------------------------- online push --

def test_push_into_an_empty_database_creates_then_merges(store: Neo4jStore, tiny_dir: Path) -> None:
    cg = hostile_tiny(tiny_dir)
    assert database_is_empty(store)
    first = push(cg, store, progress=False)
    assert first["method"] == "create" and first["rows"] == 51
    assert_complete(first["counts"])
    assert_same_tables(cg, pull(store))
    second = push(cg, store, progress=False)
    assert second["method"] == "merge" and second["counts"] == first["counts"] and second["pruned"] == {}


def test_interrupted_create_push_is_completed_by_the_merge_path(store: Neo4jStore, tmp_path: Path) -> None:
    """A CREATE push stopped half-way leaves a non-empty database: the next push takes the MERGE path
    and completes it, with no duplicate node or relationship."""
    cg = larger_graph(tmp_path / "big")
    ensure_schema(store)
    batches = list(create_plan(cg, batch_size=500))
    write_batches(store, batches[: len(batches) * 2 // 3], progress=False)  # nodes and some relationships
    assert not database_is_empty(store)
    result = push(cg, store, batch_size=700, progress=False)
    assert result["method"] == "merge"
    assert_complete(result["counts"])
    assert_same_tables(cg, pull(store))


def test_concurrent_create_push_gives_the_whole_graph(store: Neo4jStore, tmp_path: Path) -> None:
    """Many small batches, four at a time: every node and relationship once, the same tables back."""
    cg = larger_graph(tmp_path / "big")
    result = push(cg, store, batch_size=300, progress=False, workers=4)
    assert result["method"] == "create"
    assert_complete(result["counts"])
    assert_same_tables(cg, pull(store))


def test_create_path_refuses_a_duplicate_key(store: Neo4jStore, tiny_graph: ChainGraph) -> None:
    """The key constraints exist before the first CREATE: a second CREATE of the same node fails
    instead of duplicating it (so two pushes racing into an empty database cannot duplicate nodes)."""
    from neo4j.exceptions import ConstraintError

    ensure_schema(store)
    region = next(b for b in create_plan(tiny_graph) if b.what == "Region")
    store.write(region.query, rows=region.rows)
    with pytest.raises(ConstraintError):
        store.write(region.query, rows=region.rows[:1])
    assert store.read("MATCH (n:Region) RETURN count(n) AS n")[0]["n"] == 4


# ---------------------------------------------------------------------------- offline import --

def importer_missing() -> str:
    """Why the importer cannot run here ('' if it can)."""
    if not shutil.which("bash"):
        return "bash 未找到 / bash not found"
    if not (shutil.which("java") or os.environ.get("NEO4J_JAVA")):
        return "未找到 Java 17/21 / no Java 17 or 21"
    cache = Path(os.environ.get("CHAINKG_CACHE", Path.home() / ".cache" / "chainkg"))
    if not list(cache.glob("neo4j-*/lib/.complete")) and not shutil.which(os.environ.get("MVN", "mvn")):
        return "Neo4j 的 jar 未缓存且没有 Maven / Neo4j jars not cached and no Maven to fetch them"
    return ""


def schema_of(store: Neo4jStore) -> tuple[list[tuple], list[tuple]]:
    """Our constraints and indexes: (name, type, labels, properties), sorted."""
    constraints = store.read("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN *")
    indexes = store.read("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state "
                         "WHERE name STARTS WITH 'chainkg_' RETURN *")
    as_rows = (lambda rows: sorted((r["name"], r["type"], tuple(r["labelsOrTypes"] or ()),
                                    tuple(r["properties"] or ())) for r in rows))
    assert all(r["state"] == "ONLINE" for r in indexes)
    return as_rows(constraints), as_rows(indexes)


def test_offline_import_gives_the_graph_the_online_push_gives(store: Neo4jStore, tmp_path: Path, capsys) -> None:
    why = importer_missing()
    if why:
        unavailable(f"离线导入测试需要 Java 和 Neo4j 的 jar / the offline import test needs Java and the Neo4j jars: {why}")
    generate(tmp_path / "data", firms=1000, seed=5)
    cg = ChainGraph(load(tmp_path / "data")[0])
    firms, products = cg.tables["enterprises"].copy(), cg.tables["products"].copy()
    firms.loc[firms.index[3], ["name", "note"]] = [HOSTILE, '末尾空格 \\"\r\n']
    products.loc[products.index[2], "aliases"] = 'a"b|c,d|  前后空格  '
    cg = ChainGraph({**cg.tables, "enterprises": firms, "products": products})
    online = push(cg, store, progress=False)
    assert online["method"] == "create"
    files = write_import_files(cg, tmp_path / "files")
    assert files.multiline
    server = ImportServer.start(files.arguments(), tmp_path)  # its own port and state file
    settings = server.settings
    try:
        with server.connect() as imported:
            assert schema_of(imported)[0] == []  # the importer makes no constraint: `neo4j constraints` does
            main(["neo4j", "constraints", "--neo4j-uri", settings["uri"], "--neo4j-password", settings["password"]])
            assert "Enterprise\t\t" in capsys.readouterr().out
            assert database_counts(cg, imported) == database_counts(cg, store) == online["counts"]
            assert schema_of(imported) == schema_of(store)
            back = pull(imported)
            assert_same_tables(cg, back)
            assert_same_tables(pull(store), back)
            assert_same_graph(cg.graph, back.graph)
            assert back.tables["enterprises"].loc[3, "name"] == HOSTILE
    finally:
        server.stop()
