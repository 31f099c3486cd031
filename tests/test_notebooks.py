"""The planner notebooks are stored clean and use the library, not the command line.

nbmake (enabled in pyproject's addopts) executes every notebook in notebooks/ top to bottom; these
checks cover what executing cannot: what is committed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def code(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "code")


def test_the_four_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == ["01_load_and_explore.ipynb", "02_gaps_and_targets.ipynb",
                                           "03_chain_map.ipynb", "04_neo4j.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    for cell in cells(path):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"][:1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_uses_the_library_not_the_cli_nor_absolute_paths(path: Path) -> None:
    src = code(path)
    assert not re.search(r"^\s*[!%]", src, re.M), "no shell escapes or magics"
    assert "subprocess" not in src and "os.system" not in src and "chainkg " not in src
    assert not re.search(r"""["'](/[\w.-]+/|~/|[A-Za-z]:[\\/])""", src), "no absolute paths"
    assert "sys.path" not in src, "the installed package is imported as is"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_narrated_in_chinese(path: Path) -> None:
    text = "".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "markdown")
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 200
