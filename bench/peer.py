"""The SQL peer: coverage, gaps and candidate ranking as a data analyst would write them in DuckDB.

What the benchmark compares chainkg with: plain SQL over the same CSV files, giving exactly the
gaps (chain, product, kind, reason codes) and the ranked candidates (chain, product, role, rank,
firm, score) that `queries.analysis.analyse` gives. The rules are those of `bench.baseline` and
`queries/` (coverage statuses, weak links, route-aware local demand, captive intermediates,
unverified facts, the candidate pool and roles, score parts and tie-breaks), restated in SQL.
DuckDB is a benchmark dependency only (`pip install -e ".[bench]"`); the library never imports it.

Three timed steps, each on one connection (DuckDB's default thread count):

- `load`: every CSV of the folder read with all cells as text, then typed as `loaders.tables`
  says (numbers cast, yes/no mapped, text trimmed, a missing column or file empty): the tables.
- `violations`: the main rules of `loaders.validate` counted in SQL (empty required cells,
  duplicate keys and names, unknown references): with `load`, the fair "load with validation".
- `answer`: the gaps and the ranked targets.

Rounding: pandas rounds a score with numpy (half to even on x * 100); DuckDB's `round` rounds
half away from zero, so the SQL uses `round_even(x * 100, 0) / 100`, which is numpy's formula.
The peer reads clean data (canonical values, ids rather than names in reference columns, no
comment rows): the benchmark's generated datasets and the built-in tables are such data.

`python -m bench.peer FOLDER [ANSWERS.json]` runs the three steps in a fresh process, prints one
JSON line per step (seconds, peak MB) and writes the answers for `python -m bench` to compare.

>>> from loaders import BUILTIN; from queries.settings import load_settings
>>> con = connect(); _ = load(con, BUILTIN)
>>> gaps, targets = answer(con, load_settings())
>>> sorted({kind for _, _, kind, _ in gaps})
['extend', 'missing', 'weak']
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from loaders.tables import BOOL, LIST, NUMBER, TABLES, Table
from queries.vocabulary import (AUXILIARY_INPUT, LIST_SEPARATOR, MATERIAL, NATIONAL_SRDI, OPERATING, PROJECT_DONE,
                                PROJECT_UNDER_WAY, PROVINCIAL_SRDI, UNDER_WAY, VERIFIED)

Gaps = list[tuple[str, str, str, list[str]]]  # (chain_id, product_id, kind, reason codes)
Targets = list[tuple[str, str, str, int, str, float]]  # (chain_id, product_id, role, rank, enterprise_id, score)


def connect() -> Any:
    """An in-memory DuckDB connection with the default number of threads."""
    import duckdb

    return duckdb.connect()


def threads(con: Any) -> int:
    return int(con.execute("SELECT current_setting('threads')").fetchone()[0])


def _lit(text: str) -> str:
    """A SQL string literal (the specs' own constants; data always travels as parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _typed(table: Table, present: set[str]) -> str:
    """The SELECT list typing one raw CSV as its spec says; a column the file lacks is empty."""
    out = []
    for col in table.columns:
        cell = f"trim({_ident(col.id)})" if col.id in present else "NULL::VARCHAR"
        if col.kind == NUMBER:
            expr = f"TRY_CAST({cell} AS DOUBLE)"
        elif col.kind == BOOL:
            yes = ", ".join(_lit(k.lower()) for k, v in col.choices.items() if v)
            expr = f"coalesce(lower({cell}) IN ({yes}), false)"
        else:
            expr = f"coalesce({cell}, {_lit(col.default)})"
        out.append(f"{expr} AS {_ident(col.id)}")
    return ", ".join(out)


ORDERED = ("chains", "feeds")  # tables whose file order the answers use, kept in column `ord`


def load(con: Any, folder: str | Path) -> dict[str, int]:
    """Read `folder`'s CSV files into typed tables (one per spec of `loaders.tables`); row counts.

    The chains and feeds keep their file order in `ord`: the chain order of the answers, and the
    kind of an input-output edge is its last FEEDS row's (as in `ChainGraph.product_graph`).
    """
    folder = Path(folder)
    counts = {}
    for table in TABLES:
        path = folder / f"{table.name}.csv"
        order = "row_number() OVER () AS ord, " if table.name in ORDERED else ""
        if path.exists():
            source = "read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\"')"
            present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}", [str(path)]).fetchall()}
            con.execute(f"CREATE OR REPLACE TABLE {table.name} AS SELECT {order}{_typed(table, present)} "
                        f"FROM {source}", [str(path)])
        else:
            con.execute(f"CREATE OR REPLACE TABLE {table.name} AS SELECT {order}{_typed(table, set())} WHERE false")
        counts[table.name] = con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
    return counts


def _normalised(column: str) -> str:
    """`loaders.columns.normalise_names` in SQL: no whitespace, lower case, half-width brackets."""
    return (f"lower(regexp_replace(replace(replace({_ident(column)}, '（', '('), '）', ')'), '\\s+', '', 'g'))")


def violations(con: Any) -> dict[str, int]:
    """The main rules of `loaders.validate`, counted over the loaded tables: empty required
    cells, repeated keys and (normalised) names, references to ids the target table lacks."""
    keys = {t.name: t.key[0] for t in TABLES}
    parts = []
    for t in TABLES:
        for c in t.required:
            parts.append((f"{t.name}.{c} empty", f"SELECT count(*) FROM {t.name} WHERE {_ident(c)} = ''"))
        key = ", ".join(_ident(k) for k in t.key)
        parts.append((f"{t.name} duplicate key",
                      f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {t.name} GROUP BY {key})"))
        for c in t.unique_names:
            parts.append((f"{t.name}.{c} duplicate", f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n "
                          f"FROM {t.name} WHERE {_ident(c)} <> '' GROUP BY {_normalised(c)})"))
        for col in (c for c in t.columns if c.ref):
            target, tid = col.ref, _ident(keys[col.ref])
            if col.kind == LIST:
                values = (f"(SELECT unnest(string_split({_ident(col.id)}, {_lit(LIST_SEPARATOR)})) AS v "
                          f"FROM {t.name})")
            else:
                values = f"(SELECT {_ident(col.id)} AS v FROM {t.name})"
            parts.append((f"{t.name}.{col.id} unknown", f"SELECT count(*) FROM {values} x WHERE v <> '' "
                          f"AND NOT EXISTS (SELECT 1 FROM {target} y WHERE y.{tid} = x.v)"))
    return {name: int(con.execute(sql).fetchone()[0]) for name, sql in parts}


def _q(values: tuple[str, ...]) -> str:
    return ", ".join(_lit(v) for v in values)


def _num(settings: dict[str, Any], key: str) -> str:
    return repr(float(settings.get(key, 0)))


def _statements(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The queries in order, each with its parameters; settings numbers are formatted as floats."""
    home, radius = s["home_region"], float(s["neighbour_radius_km"])
    weak = s["weak"]
    single = "true" if weak.get("single_producer", True) else "false"
    under_way, project_under_way = _q(UNDER_WAY), _q(PROJECT_UNDER_WAY)
    op, sep = _lit(OPERATING), _lit(LIST_SEPARATOR)
    local_op = f"status = {op} AND locality = 'local'"
    focus_priority = _num(s.get("gap_priority", {}), "focus_product")
    lw, sw = s["leader_score"], s["support_score"]
    penalty = repr(-float(s["targets"].get("competitor_penalty", 0)))
    limits = int(s["targets"]["leaders_per_gap"]), int(s["targets"]["supporters_per_gap"])
    return [
        ("CREATE OR REPLACE MACRO r2(x) AS round_even(x * 100::DOUBLE, 0) / 100::DOUBLE", []),
        # the home region and every region inside it
        ("""CREATE OR REPLACE TEMP TABLE local_regions AS
            WITH RECURSIVE inside(region_id) AS (
                SELECT region_id FROM regions WHERE region_id = ?
                UNION SELECT r.region_id FROM regions r JOIN inside i ON r.parent_id = i.region_id)
            SELECT region_id FROM inside""", [home]),
        # each region's coordinates (its own, or its nearest ancestor's), distance from home
        (f"""CREATE OR REPLACE TEMP TABLE region_where AS
            WITH RECURSIVE up(region_id, above, depth) AS (
                SELECT region_id, region_id, 0 FROM regions
                UNION ALL SELECT u.region_id, r.parent_id, u.depth + 1 FROM up u JOIN regions r ON r.region_id = u.above
                WHERE r.parent_id <> '' AND u.depth < 64),
            located AS (
                SELECT u.region_id, arg_min(r.lat, u.depth) AS lat, arg_min(r.lon, u.depth) AS lon
                FROM up u JOIN regions r ON r.region_id = u.above
                WHERE r.lat IS NOT NULL AND r.lon IS NOT NULL GROUP BY u.region_id),
            home AS (SELECT lat, lon FROM located WHERE region_id = ?)
            SELECT g.region_id, CASE
                WHEN g.region_id IN (SELECT region_id FROM local_regions) THEN 'local'
                WHEN 2 * 6371.0 * asin(sqrt(pow(sin((radians(l.lat) - radians(h.lat)) / 2), 2)
                     + cos(radians(h.lat)) * cos(radians(l.lat)) * pow(sin(radians(l.lon - h.lon) / 2), 2)))
                     <= {radius!r} THEN 'neighbour'
                ELSE 'elsewhere' END AS locality
            FROM regions g LEFT JOIN located l USING (region_id) LEFT JOIN home h ON true""", [home]),
        # PRODUCES rows, plus local operating projects (投产) PRODUCES lacks, with the firm's tags
        (f"""CREATE OR REPLACE TEMP TABLE prod AS
            WITH done AS (
                SELECT DISTINCT enterprise_id, product_id FROM (
                    SELECT enterprise_id, unnest(string_split(product_ids, {sep})) AS product_id FROM projects
                    WHERE status = {_lit(PROJECT_DONE)} AND enterprise_id <> ''
                      AND region_id IN (SELECT region_id FROM local_regions))
                WHERE product_id <> ''),
            rows AS (
                SELECT enterprise_id, product_id, capacity, status, route_id, verified FROM produces
                UNION ALL SELECT enterprise_id, product_id, NULL, {op}, '', '' FROM done d WHERE NOT EXISTS (
                    SELECT 1 FROM produces x WHERE x.enterprise_id = d.enterprise_id AND x.product_id = d.product_id))
            SELECT r.*, e.name, e.leader, e.srdi_level, e.listed_code, coalesce(w.locality, 'elsewhere') AS locality
            FROM rows r JOIN enterprises e USING (enterprise_id) LEFT JOIN region_where w ON w.region_id = e.region_id""",
         []),
        (f"""CREATE OR REPLACE TEMP TABLE producers AS
            SELECT product_id,
                count(*) FILTER (WHERE {local_op}) AS n_local,
                count(capacity) FILTER (WHERE {local_op}) AS n_known,
                sum(capacity) FILTER (WHERE {local_op}) AS capacity,
                count(*) FILTER (WHERE {local_op} AND verified <> {_lit(VERIFIED)}) AS n_unverified,
                count(*) FILTER (WHERE locality = 'local' AND status IN ({under_way})) AS n_building,
                count(*) FILTER (WHERE status = {op} AND locality = 'neighbour') AS n_neighbour,
                count(*) FILTER (WHERE status = {op} AND locality = 'elsewhere') AS n_elsewhere,
                max(capacity) AS top
            FROM prod GROUP BY product_id""", []),
        (f"""CREATE OR REPLACE TEMP TABLE project_links AS
            SELECT DISTINCT product_id, project_id FROM (
                SELECT project_id, unnest(string_split(product_ids, {sep})) AS product_id FROM projects
                WHERE status IN ({project_under_way}) AND region_id IN (SELECT region_id FROM local_regions))""", []),
        # local plants in operation making a product on the route of another (captive, by-product)
        (f"""CREATE OR REPLACE TEMP TABLE captive AS
            SELECT DISTINCT o.product_id, p.enterprise_id FROM prod p JOIN (
                SELECT route_id, unnest(string_split(captive || {sep} || byproducts, {sep})) AS product_id FROM routes
            ) o USING (route_id)
            WHERE p.status = {op} AND p.locality = 'local' AND p.route_id <> '' AND o.product_id <> ''""", []),
        ("CREATE OR REPLACE TEMP TABLE thresholds (unit VARCHAR, threshold DOUBLE)", []),
        *[("INSERT INTO thresholds VALUES (?, ?)", [unit, float(v)]) for unit, v in weak.get("min_capacity", {}).items()],
        # each product's coverage status (local, weak, captive, project, neighbour, missing)
        (f"""CREATE OR REPLACE TEMP TABLE status AS
            WITH c AS (
                SELECT pr.product_id, coalesce(a.n_local, 0) AS n_local, coalesce(a.n_unverified, 0) AS n_unverified,
                    coalesce(a.n_neighbour, 0) AS n_neighbour, coalesce(a.n_elsewhere, 0) AS n_elsewhere, a.top,
                    {single} AND a.n_local = 1 AS single,
                    coalesce(t.threshold IS NOT NULL AND a.n_local > 0 AND a.n_known = a.n_local
                             AND a.capacity < t.threshold, false) AS low,
                    EXISTS (SELECT 1 FROM captive x WHERE x.product_id = pr.product_id) AS captive,
                    coalesce(a.n_building, 0) > 0
                        OR EXISTS (SELECT 1 FROM project_links x WHERE x.product_id = pr.product_id) AS under_way,
                    pr.product_id IN (SELECT product_id FROM chain_products) AS in_chain
                FROM products pr LEFT JOIN producers a USING (product_id) LEFT JOIN thresholds t ON t.unit = pr.unit)
            SELECT *, CASE WHEN n_local > 0 THEN CASE WHEN single OR low THEN 'weak' ELSE 'local' END
                           WHEN captive THEN 'captive' WHEN under_way THEN 'project'
                           WHEN n_neighbour > 0 THEN 'neighbour' ELSE 'missing' END AS status
            FROM c""", []),
        # links made locally (弱链 and 自用/副产 included) or under way: what a local plant may need
        ("""CREATE OR REPLACE TEMP TABLE needed AS
            SELECT product_id, status FROM status WHERE in_chain AND status IN ('local', 'weak', 'captive', 'project')""",
         []),
        # process routes: a product's routes (FEEDS rows without one form <product>:default), inputs
        ("""CREATE OR REPLACE TEMP TABLE route_list AS
            SELECT DISTINCT product_id, route_id FROM (
                SELECT product_id, route_id FROM routes
                UNION ALL SELECT output_id, CASE WHEN route_id = '' THEN output_id || ':default' ELSE route_id END
                FROM feeds)""", []),
        ("""CREATE OR REPLACE TEMP TABLE route_count AS
            SELECT product_id, count(*) AS n, min(route_id) AS only_route FROM route_list GROUP BY product_id""", []),
        ("""CREATE OR REPLACE TEMP TABLE route_inputs AS
            SELECT DISTINCT CASE WHEN route_id = '' THEN output_id || ':default' ELSE route_id END AS route_id, input_id
            FROM feeds""", []),
        ("CREATE OR REPLACE TEMP TABLE edges AS SELECT input_id, output_id, arg_max(kind, ord) AS kind FROM feeds "
         "GROUP BY input_id, output_id", []),
        # the local plants of every product made or under way, with the route of it each runs
        (f"""CREATE OR REPLACE TEMP TABLE plants AS
            WITH raw AS (
                SELECT product_id, enterprise_id AS plant, route_id FROM prod WHERE {local_op}
                UNION ALL SELECT product_id, enterprise_id, '' FROM captive
                UNION ALL SELECT product_id, enterprise_id, '' FROM prod
                    WHERE locality = 'local' AND status IN ({under_way})
                UNION ALL SELECT product_id, project_id, '' FROM project_links)
            SELECT r.product_id, r.plant, CASE WHEN l.route_id IS NOT NULL THEN r.route_id
                                               WHEN c.n = 1 THEN c.only_route ELSE '' END AS run
            FROM raw r JOIN needed m ON m.product_id = r.product_id
            LEFT JOIN route_list l ON l.product_id = r.product_id AND l.route_id = r.route_id
            LEFT JOIN route_count c ON c.product_id = r.product_id""", []),
        ("""CREATE OR REPLACE TEMP TABLE gap_products AS
            SELECT * FROM status WHERE in_chain AND status IN ('weak', 'captive', 'neighbour', 'missing')""", []),
        # local inputs (原料) of a link not made locally: the chain can be extended on them
        (f"""CREATE OR REPLACE TEMP TABLE feedstock AS
            SELECT g.product_id, count(*) AS n, bool_or(s.n_unverified > 0) AS unverified
            FROM gap_products g JOIN edges e ON e.output_id = g.product_id AND e.kind = {_lit(MATERIAL)}
            JOIN needed m ON m.product_id = e.input_id AND m.status <> 'project'
            JOIN status s ON s.product_id = e.input_id
            WHERE g.status IN ('neighbour', 'missing') GROUP BY g.product_id""", []),
        # local outputs needing the link on a route their plants run, or whose plants' route is unknown;
        # for a captive link the integrated plants making it are left out
        ("""CREATE OR REPLACE TEMP TABLE demand AS
            WITH outs AS (
                SELECT g.product_id AS p, e.output_id AS q, g.status FROM gap_products g
                JOIN edges e ON e.input_id = g.product_id JOIN needed m ON m.product_id = e.output_id
                WHERE g.status <> 'weak'),
            uses AS (
                SELECT o.p, o.q, l.route_id FROM outs o JOIN route_list l ON l.product_id = o.q
                JOIN route_inputs i ON i.route_id = l.route_id AND i.input_id = o.p),
            per_output AS (
                SELECT o.p, o.q, bool_or(u.route_id IS NOT NULL) AS needs, bool_or(pl.run = '') AS unknown
                FROM outs o JOIN plants pl ON pl.product_id = o.q
                LEFT JOIN captive x ON o.status = 'captive' AND x.product_id = o.p AND x.enterprise_id = pl.plant
                LEFT JOIN uses u ON u.p = o.p AND u.q = o.q AND u.route_id = pl.run
                WHERE x.enterprise_id IS NULL AND EXISTS (SELECT 1 FROM uses v WHERE v.p = o.p AND v.q = o.q)
                GROUP BY o.p, o.q)
            SELECT d.p AS product_id, bool_or(d.needs) AS needed,
                count(*) FILTER (WHERE NOT d.needs AND d.unknown) AS n_unknown,
                bool_or(d.needs AND s.n_unverified > 0) AS unverified
            FROM per_output d JOIN status s ON s.product_id = d.q GROUP BY d.p""", []),
        (f"""CREATE OR REPLACE TEMP TABLE gaps AS
            WITH g AS (
                SELECT cp.chain_id, cp.product_id, cp.segment, cp.focus, c.ord AS chain_ord, s.status, s.single, s.low,
                    s.n_unverified, s.n_neighbour, s.n_elsewhere, coalesce(f.n, 0) AS n_feed,
                    coalesce(f.unverified, false) AS feed_unverified, coalesce(d.needed, false) AS needed,
                    coalesce(d.n_unknown, 0) AS n_unknown, coalesce(d.unverified, false) AS demand_unverified
                FROM chain_products cp JOIN chains c USING (chain_id) JOIN gap_products s USING (product_id)
                LEFT JOIN feedstock f USING (product_id) LEFT JOIN demand d USING (product_id)
                WHERE s.status <> 'captive' OR coalesce(d.needed, false)),
            k AS (
                SELECT *, CASE WHEN status = 'weak' THEN 'weak' WHEN status = 'captive' THEN 'extend'
                               WHEN n_feed > 0 AND NOT needed THEN 'extend' ELSE 'missing' END AS kind,
                    nullif(rtrim(repeat('route_unknown,', n_unknown::INT), ','), '') AS unknown
                FROM g)
            SELECT chain_id, product_id, kind, least(n_feed, 3) AS n_feed, CASE WHEN status = 'weak' THEN concat_ws(',',
                    CASE WHEN single THEN 'single_producer' END, CASE WHEN low THEN 'low_capacity' END,
                    CASE WHEN single AND n_unverified > 0 THEN 'unverified' END, CASE WHEN focus THEN 'focus' END)
                WHEN status = 'captive' THEN concat_ws(',', 'captive_only', 'local_demand', unknown,
                    CASE WHEN demand_unverified THEN 'unverified' END, CASE WHEN focus THEN 'focus' END)
                ELSE concat_ws(',', 'no_local_producer', CASE WHEN n_feed > 0 THEN 'local_feedstock' END,
                    CASE WHEN needed THEN 'local_demand' END, unknown,
                    CASE WHEN n_neighbour > 0 THEN 'neighbour_supply' WHEN n_elsewhere = 0 THEN 'no_producer_known' END,
                    CASE WHEN feed_unverified OR demand_unverified THEN 'unverified' END,
                    CASE WHEN focus THEN 'focus' END) END AS codes,
                row_number() OVER (ORDER BY chain_ord, CASE kind WHEN 'missing' THEN 0 WHEN 'weak' THEN 1 ELSE 2 END,
                    -(focus::INT * {focus_priority}), CASE segment WHEN '上游' THEN 0 WHEN '中游' THEN 1
                    WHEN '下游' THEN 2 ELSE 3 END, product_id) AS gap_ord
            FROM k""", []),
        # targeting: products related to each gap product, firms of the pool making them
        (f"""CREATE OR REPLACE TEMP TABLE related AS
            WITH p AS (SELECT DISTINCT product_id, n_feed FROM gaps)
            SELECT DISTINCT gap, product_id, rel, n_feed FROM (
                SELECT product_id AS gap, product_id, 'self' AS rel, n_feed FROM p
                UNION ALL SELECT f.input_id, f.output_id, 'downstream', p.n_feed FROM feeds f
                    JOIN p ON f.input_id = p.product_id
                UNION ALL SELECT f.output_id, f.input_id,
                    CASE WHEN f.kind = {_lit(AUXILIARY_INPUT)} THEN 'auxiliary' ELSE 'input' END, p.n_feed
                    FROM feeds f JOIN p ON f.output_id = p.product_id)""", []),
        ("""CREATE OR REPLACE TEMP TABLE cand AS
            SELECT r.gap, r.rel, r.n_feed, p.enterprise_id, p.name, p.leader, p.srdi_level, p.listed_code, p.locality,
                p.capacity, r.rel = 'downstream' AND coalesce(s.n_local, 0) > 0 AS rival
            FROM related r JOIN prod p ON p.product_id = r.product_id LEFT JOIN producers s ON s.product_id = r.product_id
            WHERE p.locality <> 'local' AND (p.leader OR p.srdi_level <> '' OR p.locality = 'neighbour')""", []),
        (f"""CREATE OR REPLACE TEMP TABLE leaders AS
            SELECT c.gap, c.enterprise_id, any_value(c.name) AS name, r2(
                bool_or(c.rel = 'self')::INT * {_num(lw, 'makes_gap_product')}
                + bool_or(c.rel = 'downstream')::INT * {_num(lw, 'makes_downstream')}
                + (any_value(c.listed_code) <> '')::INT * {_num(lw, 'listed')}
                + r2(coalesce(CASE WHEN any_value(s.top) > 0 THEN max(c.capacity) FILTER (WHERE c.rel = 'self')
                                                                   / any_value(s.top) END, 0)
                     * {_num(lw, 'capacity_top')})
                + bool_or(c.rival)::INT * {penalty}
                + any_value(c.n_feed) * {_num(lw, 'local_feedstock')}) AS score
            FROM cand c JOIN status s ON s.product_id = c.gap
            WHERE c.leader AND c.rel IN ('self', 'downstream') GROUP BY c.gap, c.enterprise_id""", []),
        (f"""CREATE OR REPLACE TEMP TABLE supporters AS
            SELECT c.gap, c.enterprise_id, any_value(c.name) AS name, r2(
                bool_or(c.rel = 'self')::INT * {_num(sw, 'makes_gap_product')}
                + bool_or(c.rel = 'downstream')::INT * {_num(sw, 'makes_downstream')}
                + bool_or(c.rel = 'input')::INT * {_num(sw, 'makes_input')}
                + bool_or(c.rel = 'auxiliary')::INT * {_num(sw, 'makes_auxiliary')}
                + (any_value(c.srdi_level) = {_lit(NATIONAL_SRDI)})::INT * {_num(sw, 'national_srdi')}
                + (any_value(c.srdi_level) = {_lit(PROVINCIAL_SRDI)})::INT * {_num(sw, 'provincial_srdi')}
                + (any_value(c.locality) = 'neighbour')::INT * {_num(sw, 'neighbour')}
                + bool_or(c.rival)::INT * {penalty}) AS score
            FROM cand c
            WHERE ((NOT c.leader AND c.srdi_level <> '') OR c.locality = 'neighbour')
              AND NOT EXISTS (SELECT 1 FROM leaders l WHERE l.gap = c.gap AND l.enterprise_id = c.enterprise_id)
            GROUP BY c.gap, c.enterprise_id""", []),
        (f"""CREATE OR REPLACE TEMP TABLE ranked AS
            SELECT *, row_number() OVER (PARTITION BY gap, role ORDER BY score DESC, name, enterprise_id) AS rank
            FROM (SELECT *, 'leader' AS role FROM leaders UNION ALL SELECT *, 'supporting' FROM supporters)
            QUALIFY rank <= CASE role WHEN 'leader' THEN {limits[0]} ELSE {limits[1]} END""", []),
    ]


def answer(con: Any, settings: dict[str, Any]) -> tuple[Gaps, Targets]:
    """Gaps in `find_gaps` order, and ranked targets in `find_targets` order, from the loaded tables."""
    for sql, params in _statements(settings):
        con.execute(sql, params)
    gaps = [(c, p, k, codes.split(",")) for c, p, k, codes in
            con.execute("SELECT chain_id, product_id, kind, codes FROM gaps ORDER BY gap_ord").fetchall()]
    targets = con.execute("""
        SELECT g.chain_id, g.product_id, r.role, r.rank, r.enterprise_id, r.score
        FROM gaps g JOIN ranked r ON r.gap = g.product_id ORDER BY g.gap_ord, r.role <> 'leader', r.rank""").fetchall()
    return gaps, [(c, p, role, int(rank), e, float(score)) for c, p, role, rank, e, score in targets]


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    """Time load, violations and answer on one folder; one JSON line each; answers to argv[1]."""
    import duckdb

    from queries.settings import load_settings

    folder = Path(argv[0])
    emit = lambda rec: print(json.dumps(rec, ensure_ascii=False), flush=True)  # noqa: E731
    con = connect()
    emit({"peer": "duckdb", "version": duckdb.__version__, "threads": threads(con)})
    start = time.perf_counter()
    counts = load(con, folder)
    emit({"stage": "peer.load", "seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "rows": counts})
    start = time.perf_counter()
    found = violations(con)
    emit({"stage": "peer.checks", "seconds": time.perf_counter() - start, "peak_mb": peak_mb(),
          "violations": {k: v for k, v in found.items() if v}})
    settings = load_settings()
    start = time.perf_counter()
    gaps, targets = answer(con, settings)
    emit({"stage": "peer.query", "seconds": time.perf_counter() - start, "peak_mb": peak_mb()})
    if len(argv) > 1:
        Path(argv[1]).write_text(json.dumps({"gaps": gaps, "targets": targets}, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TQDM_DISABLE", "1")
    sys.exit(main(sys.argv[1:]))
