# The two commands of the README: `make run` and `make test`. Everything they need is
# installed by the targets below, so both work on a fresh machine with only Python.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench bench-dashboards lint format messages check clean-var

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## Serve the app with demo data on embedded defaults (SQLite, filesystem broker).
run: $(VENV)/.installed
	scripts/ensure_system.sh run
	HOST=$(HOST) PORT=$(PORT) scripts/run.sh

## The whole suite against real PostgreSQL and Redis, with headless Chromium.
test: $(VENV)/.installed
	scripts/ensure_system.sh test
	scripts/ensure_services.sh
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m ruff check .
	$(PY) -m pytest --create-db $(PYTEST_ARGS)  # a fresh test database: nothing left from earlier runs

## Benchmarks: a bare Django view as baseline and each page, server side.
bench: $(VENV)/.installed
	scripts/ensure_services.sh
	$(PY) -m benchmarks.run

## The dashboards on national data (34 provinces, 500,000 submissions, 20,000 assignments), in a
## database of its own (built once, about two minutes).
BENCH_NATIONAL_DB ?= postgres://postgres@127.0.0.1:5432/dialogue_bench_national
bench-dashboards: $(VENV)/.installed
	scripts/ensure_services.sh
	DATABASE_URL=$(BENCH_NATIONAL_DB) BENCH_ONLY=dashboards $(PY) -m benchmarks.run

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## Regenerate and compile the Vietnamese catalog after changing interface strings.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var
	$(PY) scripts/fill_catalog.py locale/vi/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages -l vi --ignore=.venv
