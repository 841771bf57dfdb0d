# The two commands: `make run` (quick start with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev lint format typecheck migrations-check smoke check-deploy benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: create .venv, install, migrate, apply the roles, load demo data and serve on :8000
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py sync_roles
	DEBUG=1 $(BIN)/python manage.py demo
	@echo "Serving the back office at http://$(HOST):$(PORT)/"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, migrations check and the whole test suite (SQLite, or DATABASE_URL's PostgreSQL)
test: install-dev lint migrations-check
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
