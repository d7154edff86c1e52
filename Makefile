# Every target creates or updates .venv itself, so a fresh clone needs only Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench tui-smoke clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Open the workbench on the sample environments.
demo: $(STAMP)
	$(BIN)/workbench open sample_envs

## Run the whole test suite (needs ../shared/awm_samples beside the repo).
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

## Run the benchmarks and print their figures.
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build dist
