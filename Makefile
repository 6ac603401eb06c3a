# Everything a fresh machine with Python 3.11+ and make needs: each target creates .venv if missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: tour test bench bench-api bench-cli bench-open bench-network bench-datasets clean

# The first run installs for about a minute: each step says what it does, and pip shows each
# package it fetches with a progress bar.
$(BIN)/glutegraph: pyproject.toml
	@echo "==> [1/3] creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] upgrading pip in $(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> [3/3] installing glutegraph (editable) with the dev extra; about a minute the first time:"
	@$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("    needs:", ", ".join(p["dependencies"])); \
	  print("    dev extra:", ", ".join(p["optional-dependencies"]["dev"]))'
	$(BIN)/python -m pip install --progress-bar on -e '.[dev]'
	touch $@
	@echo "==> ready: $(BIN)/glutegraph (run 'make tour', or $(BIN)/glutegraph --help)"

tour: $(BIN)/glutegraph          ## the main job: a short tour of the graph
	$(BIN)/glutegraph tour

test: $(BIN)/glutegraph          ## lint, type-check, the test suite and the notebooks
	$(BIN)/ruff check glutegraph tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbmake notebooks -p no:cacheprovider   # every notebook, top to bottom

bench: $(BIN)/glutegraph         ## every scale measure in one run, and the summary (about 15 min)
	$(BIN)/python benchmarks/bench_scale.py --out benchmarks/scale_results.md

bench-api: $(BIN)/glutegraph     ## the questions: embedded, raw pyoxigraph, rdflib, Oxigraph server, Virtuoso
	$(BIN)/python benchmarks/bench_api.py --out benchmarks/results.md

bench-cli: $(BIN)/glutegraph     ## the command line, whole processes, beside raw pyoxigraph scripts
	$(BIN)/python benchmarks/bench_cli.py --out benchmarks/cli_results.md

bench-open: $(BIN)/glutegraph  ## reopening a 1e6 store and connect() to it, beside another checkout
	$(BIN)/python benchmarks/bench_open.py --sizes 1e6 --out benchmarks/open_results.md

bench-network: $(BIN)/glutegraph  ## networkx conversion, explanations and figures, bundled and synthetic
	$(BIN)/python benchmarks/bench_network.py --sizes 1e4,1e5 --out benchmarks/network_results.md

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache .mypy_cache
