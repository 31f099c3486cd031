"""Formatting of the benchmark figures: per-size stage tables, growth between sizes, targets."""
from __future__ import annotations

import math
from typing import Any

from bench.stages import STAGES

NOTES = {s.name: s.note for s in STAGES} | {"imports": "Python modules (not in any total)"} | {
    "peer.load": "DuckDB: CSV files into typed tables (own process)",
    "peer.checks": "DuckDB: empty required, duplicate keys and names, unknown references counted",
    "peer.query": "DuckDB: coverage, gaps and ranked targets in SQL"}
PEER_STAGES = ("peer.load", "peer.checks", "peer.query")
# (label, chainkg figure, peer figure, limit): figures are stage names, or e2e.<run> (wall seconds)
PEER_TARGETS = (
    ("gaps + targets", ("analyse",), ("peer.query",), 0.8),
    ("end to end, cold", ("e2e.chainkg",), ("e2e.peer",), 1.5),
    ("end to end, warm", ("e2e.warm",), ("e2e.peer",), 0.5),
)
PEER_TARGET_LABELS = {"gaps + targets": "vs peer: query", "end to end, cold": "vs peer: cold",
                      "end to end, warm": "vs peer: warm"}
PEER_FIGURES = (  # (label, chainkg figure, peer figure, what), printed per size
    ("load", ("read", "validate"), ("peer.load",), "loaders.load (read + validate) vs DuckDB reading the CSVs"),
    ("load + checks", ("read", "validate"), ("peer.load", "peer.checks"),
     "peer also counts the main rule violations: the fair load-with-validation figure"),
    ("gaps + targets", ("analyse",), ("peer.query",), "analyse on a fresh graph vs the SQL on the loaded tables"),
    ("  (stages)", ("gaps", "targets"), ("peer.query",), "find_gaps + find_targets alone, same peer figure"),
    ("end to end, cold", ("e2e.chainkg",), ("e2e.peer",), "fresh process each, CSV to answer (imports included)"),
    ("end to end, warm", ("e2e.warm",), ("e2e.peer",), "chainkg's second command, load cache hit, vs the peer's CSV to answer"),
)
E2E_NOTES = {"chainkg": "chainkg cold: loaders.load + analyse", "fill": "chainkg through LoadCache, first (fills it)",
             "warm": "chainkg through LoadCache, second (served from it)",
             "peer": "DuckDB peer: CSV to answer (faster of two runs)"}
TARGETS = (  # (label, stages summed, limit, unit) measured at the largest size, 1m
    ("load + build", ("read", "validate", "build"), 30.0, "s"),
    ("gaps + targets", ("gaps", "targets"), 3.0, "s"),
)
MEMORY_TARGET_MB = 6 * 1024
COMBINED = {"load": ("read", "validate"), "load+build": ("read", "validate", "build"),
            "gaps+targets": ("gaps", "targets"), "baseline": ("baseline.gaps", "baseline.targets")}


def header(label: str, firms: int, counts: dict[str, int], generated: float | None) -> str:
    made = f"generated in {generated:.1f} s" if generated is not None else "cached"
    return (f"\n== {label}: {firms:,} firms, {counts['produces']:,} firm-product rows, "
            f"{sum(counts.values()):,} rows in all ({made})\n"
            f"{'stage':<18}{'seconds':>10}{'rows/s':>14}{'peak MB':>10}  what")


def stage_line(name: str, rec: dict[str, Any], rows: int) -> str:
    if rec.get("skipped"):
        why = rec["skipped"] if isinstance(rec["skipped"], str) else "not on this revision"
        return f"{name:<18}{'—':>10}{'':>14}{'':>10}  skipped: {why}"
    if "error" in rec:
        return f"{name:<18}{'failed':>10}{'':>14}{'':>10}  {rec['error']}"
    sec = rec["seconds"]
    return f"{name:<18}{sec:>10.2f}{rows / sec if sec else math.inf:>14,.0f}{rec['peak_mb']:>10,.0f}  {NOTES.get(name, '')}"


def total(stages: dict[str, dict[str, Any]], names: tuple[str, ...]) -> float | None:
    recs = [stages.get(n, {}) for n in names]
    return sum(r["seconds"] for r in recs) if all("seconds" in r for r in recs) else None


def summary_lines(stages: dict[str, dict[str, Any]], rows: int, agree: dict[str, bool]) -> list[str]:
    lines = []
    for name, parts in COMBINED.items():
        sec = total(stages, parts)
        if sec is not None:
            lines.append(f"{name:<18}{sec:>10.2f}{rows / sec:>14,.0f}{'':>10}  {' + '.join(parts)}")
    for q in ("gaps", "targets"):
        fast, slow = total(stages, (q,)), total(stages, (f"baseline.{q}",))
        if fast and slow:
            same = {True: "same answers", False: "ANSWERS DIFFER"}.get(agree.get(q), "not compared")
            lines.append(f"speed-up {q:<9} library {fast:.2f} s vs per-row baseline {slow:.2f} s = "
                         f"{slow / fast:.2f}x ({same})")
    return lines


def e2e_line(name: str, rec: dict[str, Any]) -> str:
    label = f"e2e.{name}"
    if "error" in rec:
        return f"{label:<18}{'failed':>10}{'':>14}{'':>10}  {rec['error']}"
    hit = {True: ", cache hit", False: ", cache miss"}.get(rec.get("hit"), "")
    return f"{label:<18}{rec['wall']:>10.2f}{'':>14}{'':>10}  {E2E_NOTES.get(name, '')}{hit} (wall clock)"


def figure(stages: dict[str, dict[str, Any]], e2e: dict[str, dict[str, Any]], names: tuple[str, ...]) -> float | None:
    """Seconds of stages summed, or an end-to-end run's wall seconds (`e2e.<run>`)."""
    if names[0].startswith("e2e."):
        return e2e.get(names[0][4:], {}).get("wall")
    return total(stages, names)


def peer_lines(stages: dict[str, dict[str, Any]], peer: dict[str, Any], e2e: dict[str, dict[str, Any]],
               agree: dict[str, bool]) -> list[str]:
    """chainkg against the DuckDB peer at one size: seconds, ratio chainkg / peer, the issue's limit."""
    if not peer:
        return []
    limits = {label: limit for label, _, _, limit in PEER_TARGETS}
    lines = [f"\n-- chainkg / DuckDB peer (duckdb {peer.get('version', '?')}, {peer.get('threads', '?')} threads, "
             "its default): ratio = chainkg seconds / peer seconds",
             f"{'':<18}{'chainkg':>10}{'peer':>10}{'ratio':>9}{'target':>10}  what"]
    for label, ours, theirs, what in PEER_FIGURES:
        a, b = figure(stages, e2e, ours), figure(stages, e2e, theirs)
        if a is None or b is None:
            continue
        limit = f"<= {limits[label]:g}x" if label in limits else ""
        lines.append(f"{label:<18}{a:>10.2f}{b:>10.2f}{a / b:>8.2f}x{limit:>10}  {what}")
    found = stages.get("peer.checks", {}).get("violations")
    if found is not None:
        lines.append("peer's rule checks: " + (", ".join(f"{k} {v}" for k, v in found.items()) or "no violations"))
    same = {True: "same", False: "DIFFER"}
    parts = [f"{q.split('.', 1)[1]} {same[ok]}" for q, ok in agree.items() if q.startswith("peer.")]
    base = [f"{q.split('.', 1)[1]} {same[ok]}" for q, ok in agree.items() if q.startswith("peer~baseline.")]
    lines.append(f"peer's answers vs the library: {', '.join(parts) or 'not compared'}; "
                 f"vs the per-row baseline: {', '.join(base) or 'not compared'}")
    digests = {e["digest"] for e in e2e.values() if "digest" in e}
    if e2e:
        lines.append(f"end-to-end runs: {'the same answer in every run' if len(digests) == 1 else 'ANSWERS DIFFER'}")
    return lines


def growth_lines(results: dict[str, dict[str, Any]]) -> list[str]:
    """Time ratio between consecutive sizes per stage, and the exponent k in time ~ n**k."""
    labels = list(results)
    if len(labels) < 2:
        return []
    pairs = list(zip(labels, labels[1:]))
    lines = ["\n== growth: time ratio between sizes (exponent k in time ~ firms^k; k = 1 is linear)",
             f"{'stage':<18}" + "".join(f"{a + ' -> ' + b:>22}" for a, b in pairs)]
    names = [s.name for s in STAGES] + list(PEER_STAGES) + list(COMBINED)
    for name in names:
        cells = []
        for a, b in pairs:
            parts = COMBINED.get(name, (name,))
            ta, tb = total(results[a]["stages"], parts), total(results[b]["stages"], parts)
            if ta and tb:
                n = results[b]["firms"] / results[a]["firms"]
                cells.append(f"{tb / ta:>12.1f}x (k={math.log(tb / ta) / math.log(n):.2f})")
            else:
                cells.append(f"{'—':>22}")
        if any(c.strip() != "—" for c in cells):
            lines.append(f"{name:<18}" + "".join(cells))
    return lines


def target_lines(results: dict[str, dict[str, Any]]) -> list[str]:
    """The issue's targets, checked at 1m when it was run."""
    if "1m" not in results:
        return ["\n(targets are set at 1m firms: run with --sizes 1m to check them)"]
    stages = results["1m"]["stages"]
    lines = ["\n== targets at 1m firms"]
    for label, parts, limit, unit in TARGETS:
        sec = total(stages, parts)
        if sec is None:
            lines.append(f"{label:<16} not measured")
            continue
        verdict = "met" if sec <= limit else f"MISSED by {sec - limit:.1f} {unit} ({sec / limit:.1f}x)"
        lines.append(f"{label:<16}{sec:>8.1f} {unit}  target <= {limit:g} {unit}: {verdict}")
    e2e = results["1m"].get("e2e", {})
    for label, ours, theirs, limit in PEER_TARGETS:
        a, b = figure(stages, e2e, ours), figure(stages, e2e, theirs)
        if a is None or b is None:
            lines.append(f"{PEER_TARGET_LABELS[label]:<16} not measured (the peer needs duckdb: pip install -e \".[bench]\")")
            continue
        ratio = a / b
        verdict = "met" if ratio <= limit else f"MISSED by {ratio - limit:.2f}x ({a - limit * b:.1f} s too slow)"
        lines.append(f"{PEER_TARGET_LABELS[label]:<16}{ratio:>8.2f}x  {label}: chainkg {a:.2f} s / peer {b:.2f} s, "
                     f"target <= {limit:g}x: {verdict}")
    pipeline = [r["peak_mb"] for n, r in stages.items() if "peak_mb" in r and n != "graph"
                and not n.startswith("peer.")]
    if pipeline:
        peak = max(pipeline)
        verdict = "met" if peak <= MEMORY_TARGET_MB else f"MISSED by {(peak - MEMORY_TARGET_MB) / 1024:.1f} GB"
        lines.append(f"{'peak memory':<16}{peak / 1024:>8.1f} GB target <= 6 GB (every stage but the full graph): {verdict}")
    if "peak_mb" in stages.get("graph", {}):
        lines.append(f"{'':<16}{stages['graph']['peak_mb'] / 1024:>8.1f} GB with the full nx graph built as well")
    return lines
