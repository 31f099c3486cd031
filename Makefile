# Two commands: `make demo` sets up and runs the main job on the built-in data; `make test` sets up
# and runs the whole test suite (with a real Neo4j server and headless Chromium where available).
# Each is a thin call of a Python script, so that the same works without make (and on Windows):
# `python scripts/demo.py`, `python scripts/setup_env.py --extras test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup demo test notebooks bench bundle clean

# Everything a developer uses: the suite's tools and JupyterLab.
setup:
	$(PYTHON) scripts/setup_env.py --venv $(VENV) --extras test,notebooks

# Installs the core dependencies only (no test or notebook tools).
demo:
	$(PYTHON) scripts/demo.py --venv $(VENV) --out $(OUT)

test:
	$(PYTHON) scripts/setup_env.py --venv $(VENV) --extras test
	bash scripts/run_tests.sh

notebooks:
	$(PYTHON) scripts/setup_env.py --venv $(VENV) --extras notebooks
	$(BIN)/jupyter lab notebooks/

# The benchmark, with its DuckDB SQL peer (the `bench` extra).
bench:
	$(PYTHON) scripts/setup_env.py --venv $(VENV) --extras bench
	$(BIN)/python -m bench

# The offline install bundle (wheels for Windows and Linux x86-64/aarch64, launchers, 安装说明.txt).
bundle:
	$(PYTHON) scripts/build_bundle.py --zip

clean:
	rm -rf $(VENV) $(OUT) *.egg-info build dist
