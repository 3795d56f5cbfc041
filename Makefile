# `make demo` and `make test` set everything up themselves on a fresh machine (a .venv with the package and
# its dev extras); the other targets reuse that environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.docs-installed

.PHONY: demo test lint unit bench docs figures clean translations

# Every package at the version constraints.txt pins, so a fresh machine installs what CI tested.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py --out out

test: lint unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

# Extract the message ids from the source (Babel), merge them into every catalog under
# src/revalidatie/i18n/locale/ and fail while any catalog misses a message or keeps a stale one.
translations: $(STAMP)
	$(BIN)/python -m revalidatie.i18n._maintain --update

# FIGURES_ARGS=--handout-size draws every figure at the size of the exercise card's figure slot.
figures: $(STAMP)
	$(BIN)/python docs/figures/make_contact_sheet.py --out out/figures $(FIGURES_ARGS)

# BENCH_ARGS="--clients 1000" runs the batch benchmark at full size instead of extrapolating from 200 clients;
# BENCH_ARGS="--only feeds" only the feed servers, "--only checkin" a red check-in until the revised calendar.
# wrk, nginx and PostgreSQL come from benchmarks/tools.sh.
bench: $(STAMP)
	bash benchmarks/tools.sh
	$(BIN)/python benchmarks/run.py --out benchmarks/results.json $(BENCH_ARGS)

$(DOCS_STAMP): pyproject.toml constraints.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,docs]'
	touch $(DOCS_STAMP)

# The site goes to site/; --strict turns every warning (broken link, page missing from the nav) into a failure.
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) out site build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
