# Newsroom — two commands:
#   make run    set everything up and serve the demo site on http://127.0.0.1:8000
#   make test   set everything up, lint, and run the tests (SQLite)

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Python 3.12+ (Django 6.1 needs it; .python-version asks for 3.13). Looked for in
# this order: $(PYTHON) if given, pyenv's choice for this folder, python3.13,
# python3.12, python3.
PYTHON_CANDIDATES := $(PYTHON) $(shell command -v pyenv >/dev/null 2>&1 && pyenv which python 2>/dev/null) \
	$(shell ls $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.13*/bin/python3 2>/dev/null | tail -n 1) \
	python3.13 python3.12 python3
FIND_PYTHON = for p in $(PYTHON_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$p; exit 0; fi; done; exit 1

.PHONY: help run test lint format check-python clean

help:
	@echo "make run    set up and serve the demo site on http://$(HOST):$(PORT)"
	@echo "make test   set up, lint and run the tests"

check-python:
	@$(FIND_PYTHON) >/dev/null || { \
	  echo "Newsroom needs Python 3.12 or newer (3.13 recommended; see .python-version)." >&2; \
	  echo "None was found: tried $(strip $(PYTHON_CANDIDATES))." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.13') or run: make PYTHON=/path/to/python3.13 run" >&2; \
	  exit 1; }

$(PY): | check-python
	@python=$$($(FIND_PYTHON)); echo "Creating $(VENV) with $$python ($$($$python -V))"; \
	  $$python -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@echo "Serving the demo site on http://$(HOST):$(PORT)/ (editors: http://$(HOST):$(PORT)/admin/). Ctrl-C stops it."
	$(PY) manage.py runserver $(HOST):$(PORT)

# The HTML and accessibility checks use npm's vnu-jar and axe-core. Installed when
# npm is here; without it (or Java, or Chromium) pytest skips those checks and
# says how to enable them.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: HTML validation and accessibility checks will be skipped (see README)."; fi

test: $(VENV)/.dev node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --no-input >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules test-artifacts
