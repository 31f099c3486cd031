"""The benchmarked stages, in pipeline order, each a function of a shared context dict.

A stage whose library function does not exist yet (the workbook and site writers are being
written on main) is skipped, so the suite runs on any revision. Stages that need a result of an
earlier stage read it from the context.
"""
from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

Context = dict[str, Any]


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Context], None]
    needs: tuple[str, str] | None = None  # (module, attribute) that must exist
    note: str = ""
    prepare: Callable[[Context], None] | None = None  # untimed set-up, run just before `run`


ROOT = Path(__file__).resolve().parents[1]


def has(module: str, attr: str) -> bool:
    """Whether `module.attr` can be imported from this checkout (not from another editable install)."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return False
    return hasattr(found, attr) and ROOT in Path(found.__file__ or "").resolve().parents


def _read(ctx: Context) -> None:
    from loaders.read import read_source

    ctx["raws"] = read_source(ctx["data"])


def _validate(ctx: Context) -> None:
    from loaders.validate import validate

    ctx["tables"], ctx["report"] = validate(ctx.pop("raws"))
    rejected = ctx["report"].totals["rejected"]
    if rejected:
        raise RuntimeError(f"{rejected} rows rejected: the generated data should load cleanly")


def _build(ctx: Context) -> None:
    from graph import ChainGraph
    from queries.settings import load_settings

    ctx["cg"] = ChainGraph(ctx["tables"])
    ctx["cg"].product_graph
    ctx["settings"] = load_settings()


def _gaps(ctx: Context) -> None:
    from queries.coverage import coverage
    from queries.gaps import find_gaps

    cg, s = ctx["cg"], ctx["settings"]
    ctx["cov"] = coverage(cg, s)
    ctx["gaps"] = find_gaps(cg, settings=s, cov=ctx["cov"])


def _targets(ctx: Context) -> None:
    from queries.targets import find_targets

    ctx["targets"] = find_targets(ctx["cg"], ctx["gaps"], ctx["settings"])


def _fresh_graph(ctx: Context) -> None:
    """A new graph over the same tables, so that `analyse` computes its producer table again (the
    old graph's is dropped with it, so the peak memory does not hold two)."""
    from graph import ChainGraph

    ctx["cg"] = ChainGraph(ctx["tables"])


def _analyse(ctx: Context) -> None:
    from queries.analysis import analyse

    ctx["analysis"] = analyse(ctx["cg"], ctx["settings"])


def _describe(ctx: Context) -> None:
    list(ctx["analysis"].targets)  # `queries.targets.Targets` describes each target when first read


def _analysis(ctx: Context) -> Any:
    """The analysis the timed stages computed, as the writers take it (completeness is cheap)."""
    from queries.analysis import Analysis, region_facts
    from queries.gaps import completeness

    cg, s = ctx["cg"], ctx["settings"]
    if "analysis" not in ctx:
        ctx["analysis"] = Analysis(graph=cg, settings=s, home_region=s["home_region"], home_name=s["home_region"],
                                   coverage=ctx["cov"], gaps=ctx["gaps"], completeness=completeness(cg, s, ctx["cov"]),
                                   targets=ctx["targets"], regions=region_facts(cg, s))
    return ctx["analysis"]


def _workbook(ctx: Context) -> None:
    from reports.target_list import write_target_list

    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp:
        write_target_list(_analysis(ctx), Path(tmp) / "targets.xlsx")


def _site(ctx: Context) -> None:
    from pages.site import write_site

    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp:
        write_site(_analysis(ctx), tmp)


def _baseline_gaps(ctx: Context) -> None:
    from bench.baseline import baseline_gaps

    ctx["base_gaps"], ctx["base_ctx"] = baseline_gaps(ctx["tables"], ctx["settings"])


def _baseline_targets(ctx: Context) -> None:
    from bench.baseline import baseline_targets

    ctx["base_targets"] = baseline_targets(ctx["tables"], ctx["base_gaps"], ctx.pop("base_ctx"), ctx["settings"])


def _graph(ctx: Context) -> None:
    ctx["cg"].graph


STAGES: tuple[Stage, ...] = (
    Stage("read", _read, note="CSV files to text frames"),
    Stage("validate", _validate, note="checks, types, references"),
    Stage("build", _build, note="ChainGraph + product_graph"),
    Stage("gaps", _gaps, ("queries.gaps", "find_gaps"), "coverage + find_gaps, all chains"),
    Stage("targets", _targets, ("queries.targets", "find_targets"), "find_targets, all gaps"),
    Stage("analyse", _analyse, ("queries.analysis", "analyse"), "analyse on a fresh graph: what the peer is timed against",
          _fresh_graph),
    Stage("describe", _describe, ("queries.targets", "Targets"),
          "every target of analyse described (reason sentences), as the outputs read them"),
    Stage("workbook", _workbook, ("reports.target_list", "write_target_list"), "target-list XLSX"),
    Stage("site", _site, ("pages.site", "write_site"), "offline site: index + chain pages"),
    Stage("baseline.gaps", _baseline_gaps, ("queries.gaps", "find_gaps"), "per-row Python loops"),
    Stage("baseline.targets", _baseline_targets, ("queries.targets", "find_targets"), "per-row Python loops"),
    Stage("graph", _graph, note="full nx graph, every node and edge"),
)


TARGET_KEY = ("chain_id", "product_id", "role", "rank", "enterprise_id", "score")


def run_stage(stage: Stage, ctx: Context) -> None:
    """A stage with its set-up, untimed (the child times `stage.run` alone)."""
    if stage.prepare:
        stage.prepare(ctx)
    stage.run(ctx)


def answers(ctx: Context) -> dict[str, dict[str, list]]:
    """The answers compared across implementations, as plain lists: gaps (chain, product, kind,
    reason codes) and ranked targets (TARGET_KEY), of the library (`analyse` when it ran, else
    the gaps and targets stages) and of the per-row baseline."""
    out = {}
    gaps, targets = (ctx["analysis"].gaps, ctx["analysis"].targets) if "analysis" in ctx else \
        (ctx.get("gaps"), ctx.get("targets"))
    if gaps is not None and targets is not None:
        out["library"] = {"gaps": [[g.chain_id, g.product_id, g.kind, [r["code"] for r in g.reasons]] for g in gaps],
                          "targets": [[getattr(t, k) for k in TARGET_KEY] for t in targets]}
    if "base_gaps" in ctx and "base_targets" in ctx:
        out["baseline"] = {"gaps": [[g["chain_id"], g["product_id"], g["kind"], g["codes"]] for g in ctx["base_gaps"]],
                           "targets": [[t[k] for k in TARGET_KEY] for t in ctx["base_targets"]]}
    return out


def agreement(ctx: Context) -> dict[str, bool]:
    """Whether the library and the baseline found the same gaps and the same ranked candidates."""
    found = answers(ctx)
    if "library" not in found or "baseline" not in found:
        return {}
    return {q: found["library"][q] == found["baseline"][q] for q in ("gaps", "targets")}
