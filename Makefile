# `make demo` and `make test` set everything up themselves on a fresh machine (a .venv with the package and
# its dev extras); the other targets reuse that environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint unit bench figures clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

figures: $(STAMP)
	$(BIN)/python docs/figures/make_contact_sheet.py --out out/figures

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --out benchmarks/results.json

clean:
	rm -rf $(VENV) out build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
