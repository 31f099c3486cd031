"""The import graph: what may import what.

A small AST walker rather than grimp: grimp also counts imports inside functions, but it records
``from graph.neo4j_store import cypher`` as an import of ``graph.neo4j_store.cypher`` only, so a
submodule importing its siblings through its own package (and so depending on the package's
__init__, which imports it) is no cycle to it. On this project the walker finds every edge grimp
finds, plus those. The driver-free Neo4j module is checked in a fresh interpreter, since this
test session has long imported the driver itself.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_neo4j_config_does_not_import_the_driver() -> None:
    code = ("import sys, graph.neo4j_config as c; "
            "print(c.PUSH_BATCH_SIZE, c.Neo4jConfigError.__name__, sorted(m for m in sys.modules if m.split('.')[0] == 'neo4j'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["10000", "Neo4jConfigError", "[]"]


def test_the_package_reexports_the_driver_free_names() -> None:
    import graph.neo4j_config as config
    import graph.neo4j_store as store

    assert store.Neo4jConfigError is config.Neo4jConfigError
    assert store.PUSH_BATCH_SIZE == config.PUSH_BATCH_SIZE
    assert store.neo4j_settings is config.neo4j_settings


# --- the project's import graph ------------------------------------------------------------------

PACKAGES = ("graph", "loaders", "queries", "reports", "pages", "cli", "bench", "workbench")


def project_modules() -> dict[str, Path]:
    """Module name -> file, for every module of the project's packages ('graph' is graph/__init__.py)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The modules one import statement runs or reads, by absolute name.

    ``import a.b`` names a.b; ``from a import b`` reads the namespace of a (so a submodule that
    imports a sibling that way depends on its package's __init__) and, when b is a module, names
    a.b too. Parent packages that Python initialises on the way are not counted: every submodule
    would otherwise "import" its own package.
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    source = ".".join(p for p in (base if node.level else "", node.module or "") if p)
    return [source, *(f"{source}.{alias.name}" for alias in node.names)]


def import_graph() -> nx.DiGraph:
    """importer -> imported among the project's modules, counting every import statement wherever
    it is (module level, inside functions, under `if TYPE_CHECKING:`)."""
    modules = project_modules()
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                targets = imported(node, name, path.name == "__init__.py")
                g.add_edges_from((name, t) for t in targets if t in modules and t != name)
    return g


def cycles(g: nx.DiGraph) -> list[list[str]]:
    """One cycle through each group of modules that import each other, shortest first."""
    found = []
    for group in nx.strongly_connected_components(g):
        if len(group) > 1:
            found.append([a for a, _ in nx.find_cycle(g.subgraph(group))])
    return sorted(found, key=lambda c: (len(c), c))


def test_the_walker_sees_imports_in_functions_and_through_a_package() -> None:
    source = "import os\nfrom graph import schema\ndef f():\n    from loaders.validate import validate\n"
    tree = ast.parse(source)
    names = [t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
             for t in imported(node, "queries.x", False)]
    assert names == ["os", "graph", "graph.schema", "loaders.validate", "loaders.validate.validate"]
    relative = ast.parse("from . import sibling\nfrom ..graph import schema\n").body
    assert imported(relative[0], "queries.cypher.gaps", False) == ["queries.cypher", "queries.cypher.sibling"]
    assert imported(relative[1], "queries.cypher", True) == ["queries.graph", "queries.graph.schema"]
    assert cycles(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])) == [["a", "b", "c"]]


def shown(found: list[list[str]]) -> str:
    return "import cycles:\n" + "\n".join(" -> ".join([*c, c[0]]) for c in found)


def test_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert not found, shown(found)


# The pipeline and its types and words; the sources a consumer picks to pass to it; settings.
QUERIES_FOR_CONSUMERS = {"queries.analysis", "queries.results", "queries.vocabulary", "queries.settings", "queries.errors",
                         "queries.source", "queries.cypher"}


def test_cli_pages_reports_and_workbench_use_only_the_pipeline_from_queries() -> None:
    g = import_graph()
    wrong = sorted((a, b) for a, b in g.edges
                   if a.split(".")[0] in ("cli", "pages", "reports", "workbench") and b.split(".")[0] == "queries"
                   and b not in QUERIES_FOR_CONSUMERS)
    assert not wrong, "\n".join(f"{a} imports {b}" for a, b in wrong)
