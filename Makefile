# salesflow — every task one command away. `make test` and `make demo` work on a fresh machine.
PY       ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed-stamp
HOME_DIR ?= salesflow-data
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 180
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: help install system-deps test test-fast check demo bench clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with dev tools

system-deps:  ## install Debian packages the tests use (Dovecot IMAP server)
	@bash scripts/system-deps.sh

test: install system-deps  ## run the whole test suite (unit, integration on SQLite + PostgreSQL, e2e)
	@mkdir -p .prefect-test
	PREFECT_HOME=$(CURDIR)/.prefect-test $(BIN)/pytest

test-fast: install  ## unit tests only
	$(BIN)/pytest tests/unit -q

check: install  ## ruff, ruff format --check, mypy --strict, import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy flows ingest pipeline exports bench/*.py
	$(BIN)/lint-imports

demo: install  ## run the pipeline on the bundled sample data (SQLite in ./salesflow-data)
	@mkdir -p $(HOME_DIR)/.prefect
	$(BIN)/salesflow --home $(HOME_DIR) init
	PREFECT_HOME=$(CURDIR)/$(HOME_DIR)/.prefect $(BIN)/salesflow --home $(HOME_DIR) demo
	@echo "Open the documents in $(HOME_DIR)/exports/ (quotes/, invoices/, reports/)."
	@echo "Or browse them: $(BIN)/salesflow --home $(HOME_DIR) user add admin && $(BIN)/salesflow --home $(HOME_DIR) web   # then open http://127.0.0.1:8400/"

clean:  ## remove the virtualenv and demo data
	rm -rf $(VENV) $(HOME_DIR) .prefect-test .pytest_cache .mypy_cache .ruff_cache

.PHONY: serve
serve: install  ## local Prefect server on 127.0.0.1:4200 + deployments + worker (Ctrl-C stops all)
	$(BIN)/salesflow --home $(HOME_DIR) init
	PREFECT_LOGGING_LEVEL=INFO $(BIN)/salesflow --home $(HOME_DIR) serve
