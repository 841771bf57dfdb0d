# The two commands: `make run` (quick start with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
LOCK_ARGS ?=
# The lock files pin every dependency with its hashes, for Python 3.11 on Linux x86_64; `make lock`
# rewrites them from pyproject.toml (keeping the current pins; LOCK_ARGS=--upgrade moves them).
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: run test install install-dev lock audit lint bandit format typecheck migrations-check smoke check-deploy benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the locked versions, each checked against its hash; then the project itself, without
# dependencies or build isolation (its build backend, setuptools, comes from the lock too).
$(VENV)/.installed: requirements/main.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/main.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## lock: resolve pyproject.toml's dependencies again into requirements/*.lock (needs the index)
lock: install-dev
	$(UV_COMPILE) pyproject.toml requirements/build.in -o requirements/main.lock
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra dev \
		--constraint requirements/main.lock -o requirements/dev.lock

## audit: known vulnerabilities in the locked dependencies (needs an advisory database; not in CI)
audit: install-dev
	$(BIN)/pip-audit --strict --disable-pip --require-hashes -r requirements/dev.lock

## run: create .venv, install, migrate (cache table and roles too), load demo data, serve on :8000
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py demo
	@echo "Serving the back office at http://$(HOST):$(PORT)/"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint (ruff, bandit), migrations check and the whole test suite (SQLite, or DATABASE_URL's PostgreSQL)
test: install-dev lint migrations-check
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev bandit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bandit: install-dev
	$(BIN)/bandit -c pyproject.toml -r . --quiet

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

## smoke: a browser signs in and checks accessibility (needs Debian's chromium)
smoke: install-dev
	$(BIN)/pytest -m browser -p no:randomly $(PYTEST_ARGS)

## check-deploy: Django's deployment checks under production-like settings
check-deploy: install
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')} \
	FIELD_ENCRYPTION_KEY=$${FIELD_ENCRYPTION_KEY:-$$(head -c 32 /dev/urandom | base64)} \
	AUDIT_SIGNING_KEY=$${AUDIT_SIGNING_KEY:-$$(head -c 32 /dev/urandom | base64)} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-backoffice.example.eu} \
	NOTIFICATIONS_BASE_URL=$${NOTIFICATIONS_BASE_URL:-https://backoffice.example.eu} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
