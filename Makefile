# Posterior — `make run` serves the API on the embedded default; `make test` runs the whole suite
# against real PostgreSQL, Redis and Celery workers.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
export TEST_DATABASE_URL TEST_REDIS_URL
# Two xdist workers (one per core), each with its own throwaway database.
PYTEST_ARGS ?= -n 2

TOOLS := .tools
CHECKOV := $(TOOLS)/checkov/bin/checkov
export CHECKOV_BIN := $(abspath $(CHECKOV))

.PHONY: run test lint format openapi sdk bench install services tools clean aggregates-rebuild aggregates-check

$(VENV)/.base: requirements/base.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PIP) install --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@

# The mobile SDK (clients/mobile): its npm ci also serves tests/client, which loads the SDK and
# its WatermelonDB from there. pytest builds it (tsc) before running its Node suites.
clients/mobile/node_modules/.installed: clients/mobile/package-lock.json
	cd clients/mobile && npm ci --no-audit --no-fund --loglevel=error
	touch $@

tests/browser/node_modules/.installed: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# checkov pins packaging<24 (base.txt has a newer one), so it gets a venv of its own.
$(CHECKOV): deploy/tools/checkov-requirements.txt
	$(PYTHON) -m venv $(TOOLS)/checkov
	$(TOOLS)/checkov/bin/python -m pip --disable-pip-version-check -q install --require-hashes \
		-r deploy/tools/checkov-requirements.txt
	touch $@

# promtool (and the Prometheus server) and the headless Chromium of tests/browser come from Debian's
# packages; one apt-get for whatever is missing.
tools: $(CHECKOV)
	@missing=""; \
	command -v promtool >/dev/null || missing="$$missing prometheus"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	[ -z "$$missing" ] || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }

install: $(VENV)/.dev tools

run: $(VENV)/.base
	PY=$(PY) scripts/run.sh

services:
	@scripts/ensure-services.sh

# The Node test projects: npm ci from their lock files.
NODE_PROJECTS := $(patsubst %/package-lock.json,%/node_modules/.installed,\
	$(wildcard clients/mobile/package-lock.json tests/browser/package-lock.json))

test: lint tools $(NODE_PROJECTS) services
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff, then the layers of docs/design/ARCHITECTURE.md (import-linter), the imports of what the
# image runs against pyproject.toml's dependencies (deptry) and the types (mypy: strict on
# services/training and services/core); all configured in pyproject.toml.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/deptry services alembic
	$(VENV)/bin/mypy services

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

openapi: $(VENV)/.base
	$(PY) -m services.api.openapi > openapi/openapi.json

# Regenerates the mobile SDK from the server (schema, migrations, models, record types; REST types
# from openapi/openapi.json) and type-checks it; tests/api/sync/test_sdk_drift.py checks it is current.
sdk: $(VENV)/.base clients/mobile/node_modules/.installed
	$(PY) -m services.api.sync.sdk
	cd clients/mobile && npm run --silent build

# The weekly aggregates of every user (ARCHITECTURE.md, "Read models"), against DATABASE_URL:
# built again from the sets, or compared with a build from scratch (exits 1 listing differences).
aggregates-rebuild: $(VENV)/.base
	$(PY) -m services.core.aggregates rebuild

aggregates-check: $(VENV)/.base
	$(PY) -m services.core.aggregates rebuild --check

# Benchmarks against a throwaway database (bench/README.md); BENCH_ARGS="--quick", "--profile"…
bench: $(VENV)/.dev services
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) var clients/mobile/node_modules clients/mobile/dist tests/browser/node_modules
