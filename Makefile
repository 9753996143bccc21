# `make run` and `make test` set up their own environment in .venv/ on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

# Modules are compiled ahead by compileall on all cores (16 s), not one by one by pip (30 s). Ahead, because
# where the environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE) every process would compile again
# what it imports: each `python -m bot` the tests start took 1.5–2 s longer.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "KI-Lotse needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib || echo "some installed modules could not be compiled ahead"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

# The suite runs on up to four worker processes (each with a PostgreSQL schema and SQLite files of its own).
# KI-Lotse's own modules are compiled first, for the reason above: 0.3 s less for each process a test starts.
test: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 bot handlers jobs config
	$(BIN)/python -m pytest -n auto --maxprocesses=4

bench: $(STAMP)
	$(BIN)/python -m tests.bench.bench_home
	$(BIN)/python -m tests.bench.bench_matching
	$(BIN)/python -m tests.bench.bench_kpis
	$(BIN)/python -m tests.bench.bench_answer
	$(BIN)/python -m tests.bench.bench_ack

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
