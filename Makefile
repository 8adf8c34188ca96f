# Two commands: `make run` serves Perspective with a worker and beat; `make test` runs the suite.
# Both create .venv and install requirements/ when missing or changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
run: export DEBUG ?= true

.PHONY: run test lint format chromium

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py ensure_admin
	@echo "Perspective on http://127.0.0.1:$(PORT)/ (admin at /admin/); Ctrl-C stops everything."
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start

test: $(VENV)/.installed chromium
	$(BIN)/pytest $(PYTEST_ARGS)

# The overview's browser test drives Debian's chromium: installed here when missing and apt-get
# is usable as root. Without it that test is skipped, so a failure here stops nothing.
chromium:
	@test -x /usr/bin/chromium || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
	  { echo "Installing Debian's chromium for the browser test..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	      >/dev/null 2>&1 || echo "Could not install chromium; the browser test will be skipped."; }

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(VENV)/.installed: requirements/*.txt client/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@
