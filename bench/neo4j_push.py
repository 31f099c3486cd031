"""First loads into Neo4j, in one run on one machine: today's batched MERGE push, the CREATE path
into an empty database, and the offline importer, against a naive per-row baseline.

    python -m bench.neo4j_push [--firms 50000] [--rounds 1] [--sample-firms 100] [--wipe] [--no-import]
                               [--batch-size 10000] [--create-batch-size 5000] [--workers 3] [--before]

Needs NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (e.g. ``eval "$(bash scripts/neo4j_server.sh start)"``);
the offline import also needs what `scripts/neo4j_server.sh` needs (Java 17/21, the Neo4j jars).

- naive: what simple scripts commonly do, one auto-commit ``CREATE`` per row, values formatted into
  the query text (key constraints in place, so its MATCHes use an index); on a sample (all
  products and chains, the first `--sample-firms` firms and their rows).
- MERGE: the batched ``UNWIND ... MERGE`` push (`plan`, `--batch-size` rows, one at a time), into
  the emptied database.
- CREATE: what `push` does into an empty database (`create_plan` with `--create-batch-size`,
  `--workers` transactions at a time), into the emptied database.
  Both online pushes run on the same server, after one untimed warm-up push of the sample; with
  `--rounds` above 1 they alternate and the best of each counts (the machine is shared). Each is
  also shown stage by stage (a node label or relationship kind on the MERGE path; all nodes, then
  each relationship kind on the CREATE path) with the server's CPU seconds, and the Python work of
  building the rows is timed apart. `--before` adds the CREATE path as it was before batches
  were smaller and concurrent (10,000 rows, one at a time), in the same rounds.
- import: `write_import_files`, then ``neo4j-admin database import full`` (wall time, JVM start
  included) into a fresh folder by ``scripts/neo4j_server.sh import`` on another port, which then
  starts a server on it; the key constraints made afterwards (`ensure_schema`) are timed apart.
  The importer's own stages come from its log. Its fixed cost is measured by importing the sample
  (``scripts/neo4j_server.sh import-only``, no server); the rate per row beyond it is
  (full rows - sample rows) / (full seconds - sample seconds).

The benchmark deletes every node of the schema's labels before and after; it refuses to run on a
database that already holds some unless given --wipe.
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import pandas as pd

from graph import ChainGraph, edge_rows
from graph.neo4j_store import Neo4jStore, neo4j_settings
from graph.neo4j_store.counts import database_counts
from graph.neo4j_store.cypher import endpoints, ident
from graph.neo4j_store.import_files import write_import_files
from graph.neo4j_config import CREATE_BATCH_SIZE, PUSH_BATCH_SIZE, PUSH_WORKERS
from graph.neo4j_store.push import Batch, create_plan, ensure_schema, plan, total_rows, write_batches
from graph.neo4j_store.rows import to_neo4j
from graph.schema import EDGE_KINDS, NODE_KINDS
from loaders import load
from loaders.tables import TABLES_BY_NAME


ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j_server.sh"


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


@dataclass
class Took:
    """Wall seconds, and CPU seconds of this process plus the server (None if the server's are unknown);
    `server` the server's share, `stages` {stage: (rows, Took)} where measured."""
    seconds: float
    cpu: float | None
    server: float | None = None
    stages: dict[str, tuple[int, Took]] = field(default_factory=dict)


def server_cpu_reader() -> Callable[[], float] | None:
    """A reader of the CPU seconds used so far by the NEO4J_URI server, when it runs on this machine
    started by scripts/neo4j_server.sh (its state file names the pid); otherwise None."""
    port = re.search(r":(\d+)$", os.environ.get("NEO4J_URI", ""))
    state = Path(os.environ.get("TMPDIR", "/tmp")) / f"chainkg-neo4j-{port[1] if port else 0}.state"
    pid = re.search(r"^S_PID=(\d+)$", state.read_text(), re.M) if state.exists() else None
    if not pid or not Path(f"/proc/{pid[1]}/stat").exists():
        return None
    stat, tick = Path(f"/proc/{pid[1]}/stat"), os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return read


SERVER_CPU = server_cpu_reader()


class clock:
    """``with clock() as took: ...`` then `took.result`: wall and CPU (this process + the server)."""

    def __enter__(self) -> clock:
        self.wall, self.own = time.perf_counter(), time.process_time()
        self.server = SERVER_CPU() if SERVER_CPU else 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        server = SERVER_CPU() - self.server if SERVER_CPU else None
        self.result = Took(time.perf_counter() - self.wall,
                           None if server is None else server + time.process_time() - self.own, server)


def run_naive(store: Neo4jStore, statements: list[str]) -> Took:
    with clock() as took, store.driver.session(database=store.database) as session:
        for statement in statements:
            session.run(statement).consume()
    return took.result


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


def timed(store: Neo4jStore, batches: Iterator[Batch], workers: int = 1) -> Took:
    """Time spent writing the batches into the emptied database (constraints exist already; the
    counts check after is not timed, as the baseline has none), stage by stage (`Batch.stage`, or
    the label or kind where a plan has no stages)."""
    clear(store)
    stages: dict[str, tuple[int, Took]] = {}
    with clock() as took:
        for stage, group in groupby(batches, key=lambda b: b.stage or b.what):
            with clock() as one:
                rows = write_batches(store, group, progress=False, workers=workers)
            stages[stage] = (rows, one.result)
    took.result.stages = stages
    return took.result


def building(batches: Iterator[Batch]) -> Took:
    """CPU time of building every batch's rows in Python (what the timed pushes do lazily)."""
    start = time.process_time()
    for _ in batches:
        pass
    return Took(time.process_time() - start, None)


def complete(cg: ChainGraph, store: Neo4jStore) -> bool:
    return all(c["database"] == c["data"] and not c["duplicates"] for c in database_counts(cg, store).values())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def script_times(stderr: str) -> Took:
    """The importer's wall and CPU seconds as `scripts/neo4j_server.sh` logs them."""
    times = re.search(r"imported in ([0-9.]+) s \(cpu ([0-9.]+) s\)", stderr)
    return Took(float(times[1]), float(times[2]))


def duration(text: str) -> float:
    """Seconds in the importer's spelling of a duration.

    >>> duration("1m 9s 381ms")
    69.381
    """
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)(ms|h|m|s)\b", text))


def importer_steps(log: str) -> dict[str, float]:
    """The importer's stages and their seconds, from its log.

    >>> importer_steps("Node import COMPLETED in 2s 719ms\\nRelationship linking COMPLETED in 1s 105ms")
    {'Node import': 2.719, 'Relationship linking': 1.105}
    """
    return {name: duration(text) for name, text in re.findall(r"^(\w[\w ]*?) COMPLETED in (.*)$", log, re.M)}


def importer_time(log: str) -> float:
    """Seconds in the importer's closing line.

    >>> importer_time("IMPORT DONE in 1m 9s 381ms. \\nImported:")
    69.381
    """
    done = re.search(r"IMPORT DONE in ([^.]*)\.", log)
    return duration(done[1]) if done else float("nan")


def import_only(args: list[str]) -> tuple[Took, float]:
    """The importer alone (`scripts/neo4j_server.sh import-only`, no server): its wall and CPU
    seconds (JVM included) and its own time."""
    run = subprocess.run(["bash", str(SCRIPT), "import-only", *args], capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        raise RuntimeError("scripts/neo4j_server.sh import-only failed:\n" + run.stderr[-3000:])
    return script_times(run.stderr), importer_time(run.stdout)


@dataclass
class ImportServer:
    """A server `scripts/neo4j_server.sh import` started on a database the offline importer wrote."""
    settings: dict[str, str]  # uri, user, password for `neo4j_settings`
    env: dict[str, str]  # the script's environment (its port and state file), to stop it
    took: Took  # the importer's wall and CPU time, JVM start included
    importer_seconds: float  # the time the importer itself reports ("IMPORT DONE in ...")
    steps: dict[str, float]  # its stages ("Node import", ...): seconds

    @classmethod
    def start(cls, args: list[str], state_dir: Path) -> ImportServer:
        """Run the importer with `args` and start a server on its database, on a free port with its
        own state file in `state_dir` (a running test server is left alone)."""
        port = free_port()
        env = {**os.environ, "NEO4J_BOLT_PORT": str(port), "NEO4J_STATE_FILE": str(state_dir / "import-server.state"),
               "NEO4J_PASSWORD": "import-test-pw", "NEO4J_HEAP": "1g", "NEO4J_PAGECACHE": "128m"}
        env.pop("NEO4J_HTTP_PORT", None)
        run = subprocess.run(["bash", str(SCRIPT), "import", *args], env=env, capture_output=True, text=True,
                             timeout=900)
        if run.returncode != 0:
            raise RuntimeError("scripts/neo4j_server.sh import failed:\n" + run.stderr[-3000:])
        state = Path(env["NEO4J_STATE_FILE"]).read_text()
        folder = Path(re.search(r"^S_DIR=(.*)$", state, re.M)[1])
        log = (folder / "admin.log").read_text(errors="replace")
        return cls({"uri": f"bolt://127.0.0.1:{port}", "user": "neo4j", "password": "import-test-pw"}, env,
                   script_times(run.stderr), importer_time(log), importer_steps(log))

    def connect(self) -> Neo4jStore:
        return Neo4jStore.connect(neo4j_settings(**self.settings))

    def stop(self) -> None:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=self.env, capture_output=True, timeout=120)


def offline(cg: ChainGraph, small: ChainGraph, folder: Path) -> dict[str, Any]:
    """Writing the files, the importer (and its own time and stages), the constraints made
    afterwards, the importer on the sample (its fixed cost); checks the imported database holds
    exactly the data."""
    sample_files = write_import_files(small, folder / "sample-files")
    fixed, fixed_own = import_only(sample_files.arguments())
    with clock() as files:
        written = write_import_files(cg, folder / "files")
    server = ImportServer.start(written.arguments(), folder)
    try:
        with server.connect() as imported:
            with clock() as constraints:
                ensure_schema(imported)
            assert complete(cg, imported), database_counts(cg, imported)
    finally:
        server.stop()
    return {"files": files.result, "import": server.took, "importer": Took(server.importer_seconds, None),
            "steps": server.steps, "constraints": Took(constraints.result.seconds, None),
            "fixed": fixed, "fixed_own": fixed_own, "sample_rows": sample_files.rows}


def online(cg: ChainGraph, store: Neo4jStore, args: argparse.Namespace) -> tuple[Took, Took, Took | None]:
    """Best of (MERGE push, CREATE push, CREATE as before if asked) over `rounds` alternating runs
    into the emptied database."""
    merge, create, before = [], [], []
    for _ in range(args.rounds):
        merge.append(timed(store, plan(cg, args.batch_size)))
        assert complete(cg, store)
        create.append(timed(store, create_plan(cg, args.create_batch_size), args.workers))
        assert complete(cg, store)
        if args.before:
            before.append(timed(store, create_plan(cg, PUSH_BATCH_SIZE)))
            assert complete(cg, store)
    best = (lambda runs: min(runs, key=lambda t: t.seconds) if runs else None)
    return best(merge), best(create), best(before)


def add(a: Took, b: Took) -> Took:
    return Took(a.seconds + b.seconds, None if a.cpu is None or b.cpu is None else a.cpu + b.cpu)


NAIVE, MERGE, CREATE, IMPORT = ("naive: CREATE per row, values in text", "MERGE push (batched UNWIND/MERGE)",
                                "CREATE push (empty database)", "import-files + neo4j-admin import")
BEFORE = "CREATE as before (10,000 rows, one at a time)"


def ratio(rate: dict[str, tuple[float, float | None]], a: str, b: str) -> str:
    """'wall x.x, cpu y.y': how many times faster `a` is than `b`, per wall and per CPU second."""
    wall = f"wall {rate[a][0] / rate[b][0]:.2f}x"
    return wall + (f", cpu {rate[a][1] / rate[b][1]:.2f}x" if rate[a][1] and rate[b][1] else "")


def by_stage(took: Took) -> dict[str, tuple[int, Took]]:
    """Stages with every node label merged into one "nodes" stage (as on the CREATE path)."""
    out: dict[str, tuple[int, Took]] = {}
    labels = {k.label for k in NODE_KINDS}
    for name, (rows, t) in took.stages.items():
        key = "nodes" if name in labels else name
        if key in out:
            n, u = out[key]
            t = Took(u.seconds + t.seconds, None, None if u.server is None or t.server is None else u.server + t.server)
            rows += n
        out[key] = (rows, t)
    return out


def stage_report(merge: Took, create: Took) -> None:
    """Where the time of each online push goes, stage by stage, with the server's CPU share."""
    m, c = by_stage(merge), by_stage(create)
    print(f"{'stage':24} {'rows':>9} {'MERGE s':>8} {'server':>7} {'CREATE s':>9} {'server':>7} {'MERGE/CREATE':>12}")
    for name in dict.fromkeys([*m, *c]):
        rows, a = m.get(name, (0, Took(0.0, None)))
        b = c.get(name, (0, Took(0.0, None)))[1]
        server = (lambda t: f"{t.server:>7.2f}" if t.server is not None else f"{'':>7}")
        times = f"{a.seconds / b.seconds:>11.2f}x" if b.seconds > 0.05 else ""
        print(f"{name:24} {rows:>9} {a.seconds:>8.2f} {server(a)} {b.seconds:>9.2f} {server(b)} {times}")


def import_report(t: dict[str, Any], rows: int) -> None:
    """The importer's stages, its start-up share, and its fixed cost against its rate per row."""
    steps = ", ".join(f"{k} {v:.2f}" for k, v in t["steps"].items())
    own, wall = t["importer"].seconds, t["import"].seconds
    print(f"importer stages (s): {steps}; JVM start, checks and estimates: {wall - own:.2f} s of {wall:.2f} s")
    fixed, extra = t["fixed"].seconds, rows - t["sample_rows"]
    marginal = extra / (wall - fixed) if wall > fixed else float("nan")
    print(f"importer fixed cost (the sample, {t['sample_rows']} rows, JVM included): {fixed:.2f} s wall "
          f"(its own {t['fixed_own']:.2f} s); beyond it {marginal:.0f} rows/s")


def report(results: list[tuple[str, str, int, Took]], version: tuple[int, int], cg: ChainGraph,
           small: ChainGraph) -> None:
    load1, load5, _ = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load1:.2f} / {load5:.2f} (1 / 5 min); "
          f"the server shares them with this client"
          + ("" if SERVER_CPU else "; server CPU unknown (not started by scripts/neo4j_server.sh here)"))
    print(f"server {version[0]}.{version[1]}, firms: full {len(cg.tables['enterprises'])}, "
          f"sample {len(small.tables['enterprises'])}; cpu = this process + the server (+ the importer)")
    print(f"{'method':48} {'data':7} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'cpu s':>7} {'rows/cpu-s':>10}")
    rate: dict[str, tuple[float, float | None]] = {}
    for name, data, rows, took in results:
        cpu = f"{took.cpu:>7.2f} {rows / took.cpu:>10.0f}" if took.cpu else f"{'':>7} {'':>10}"
        print(f"{name:48} {data:7} {rows:>9} {took.seconds:>8.2f} {rows / took.seconds:>9.0f} {cpu}")
        rate[name] = (rows / took.seconds, rows / took.cpu if took.cpu else None)
    if NAIVE in rate:
        print(f"MERGE push / naive: {ratio(rate, MERGE, NAIVE)}")
    print(f"CREATE push / MERGE push: {ratio(rate, CREATE, MERGE)} (target >= 3x)")
    if BEFORE in rate:
        print(f"CREATE as before / MERGE push: {ratio(rate, BEFORE, MERGE)}")
    if IMPORT in rate:
        print(f"import-files + neo4j-admin import / MERGE push: {ratio(rate, IMPORT, MERGE)} (target >= 20x)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, default=50_000)
    ap.add_argument("--sample-firms", type=int, default=100)
    ap.add_argument("--batch-size", type=int, default=PUSH_BATCH_SIZE, help="rows per MERGE transaction")
    ap.add_argument("--create-batch-size", type=int, default=CREATE_BATCH_SIZE, help="rows per CREATE transaction")
    ap.add_argument("--workers", type=int, default=PUSH_WORKERS, help="CREATE transactions at a time")
    ap.add_argument("--rounds", type=int, default=1, help="alternating MERGE / CREATE runs; the best of each counts")
    ap.add_argument("--no-naive", action="store_true", help="skip the per-row baseline (slow)")
    ap.add_argument("--before", action="store_true", help="also time the CREATE path as it was (10,000 rows, serial)")
    ap.add_argument("--no-import", action="store_true", help="skip the offline importer")
    ap.add_argument("--wipe", action="store_true", help="allow deleting existing nodes of the schema's labels")
    args = ap.parse_args(argv)
    imported = None
    with Neo4jStore.connect() as store, tempfile.TemporaryDirectory() as tmp:
        if ours(store) and not args.wipe:
            sys.exit("the database already holds chain-graph nodes; run on an empty test database or pass --wipe")
        cg = dataset(args.firms, Path(tmp) / "data")
        small = sample(cg, args.sample_firms)
        clear(store)
        ensure_schema(store)
        results = []
        if not args.no_naive:
            statements = naive_statements(small)
            results.append((NAIVE, "sample", len(statements), run_naive(store, statements)))
        timed(store, plan(small, args.batch_size))  # warm-ups, untimed
        timed(store, create_plan(small, args.create_batch_size), args.workers)
        merge, create, before = online(cg, store, args)
        rows = total_rows(cg)
        results += [(MERGE, "full", rows, merge), (CREATE, "full", rows, create)]
        results += [(BEFORE, "full", rows, before)] if before else []
        results += [("  building MERGE rows (Python, apart)", "full", rows, building(plan(cg, args.batch_size))),
                    ("  building CREATE rows (Python, apart)", "full", rows,
                     building(create_plan(cg, args.create_batch_size)))]
        clear(store)
        version = store.version
        if not args.no_import:
            imported = offline(cg, small, Path(tmp))
            results += [("  write import files", "full", rows, imported["files"]),
                        ("  neo4j-admin database import (JVM included)", "full", rows, imported["import"]),
                        ("    of which the importer's own time", "full", rows, imported["importer"]),
                        (IMPORT, "full", rows, add(imported["files"], imported["import"])),
                        ("  then constraints (neo4j constraints)", "full", rows, imported["constraints"])]
    report(results, version, cg, small)
    stage_report(merge, create)
    if imported:
        import_report(imported, rows)


if __name__ == "__main__":
    main()
