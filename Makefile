# Samkalk — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export SAMKALK_HOME := $(CURDIR)

.PHONY: demo test check lint typecheck test-db bench docs messages clean

$(BIN)/samkalk: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; run: make PYTHON=python3 …"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

venv: $(BIN)/samkalk

## demo: install, migrate the embedded SQLite database, load the demo federation, serve it.
demo: venv
	$(BIN)/samkalk migrate
	$(BIN)/samkalk demo
	@echo "Open http://127.0.0.1:$(PORT)/ and log in with one of the users above."
	$(BIN)/samkalk serve --port $(PORT)

## test: the whole test suite (browser tests included when Debian's chromium is installed).
test: venv
	$(BIN)/pytest -q -p no:cacheprovider -n 2

## test-db: only the tests that touch the database (CI runs these again on PostgreSQL).
test-db: venv
	$(BIN)/pytest -q -p no:cacheprovider -n 2 -m "not browser"

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: venv
	$(BIN)/mypy

## check: ruff, mypy (strict on the core) and the tests.
check: lint typecheck test

## docs: regenerate docs/import-format.md from the workbook specification.
docs: venv
	$(BIN)/samkalk workbook-format > docs/import-format.md

## messages: re-collect and compile the Swedish translations (needs GNU gettext).
messages: venv
	cd src/samkalk && ../../$(BIN)/django-admin makemessages -l sv --no-obsolete --settings=samkalk.config.settings
	cd src/samkalk && ../../$(BIN)/django-admin compilemessages --settings=samkalk.config.settings

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
