# Two commands: `make demo` sets up and runs the main job on the built-in data; `make test` sets up
# and runs the whole test suite (with a real Neo4j server and headless Chromium where available).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup demo test notebooks bench clean

$(BIN)/chainkg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test,notebooks]"
	touch $(BIN)/chainkg

setup: $(BIN)/chainkg

demo: setup
	$(BIN)/chainkg stats
	$(BIN)/chainkg completeness
	$(BIN)/chainkg targets --out $(OUT)/招商引资目标企业清单.xlsx
	$(BIN)/chainkg site --out $(OUT)/site

test: setup
	bash scripts/run_tests.sh

notebooks: setup
	$(BIN)/jupyter lab notebooks/

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(OUT) *.egg-info
