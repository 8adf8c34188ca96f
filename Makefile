# Two commands: `make run` serves Perspective with a worker and beat; `make test` runs the suite.
# Both create .venv and install requirements/ when missing or changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run dev-env test lint format chromium docs docs-build

# The processes start, then the admin's password (when new) and API token are printed, framed.
# Ctrl-C stops them all; honcho's status 130 and make's own "Interrupt" are not errors here.
run: $(VENV)/.installed .env
	$(BIN)/python manage.py migrate --noinput
	@trap '' INT; PATH="$(CURDIR)/$(BIN):$$PATH" WEB_PORT=$(PORT) $(BIN)/honcho start || [ $$? = 130 ]

# A development .env (git-ignored), read by manage.py and honcho: a SECRET_KEY of its own and
# DEBUG on, so that every command of the docs works as pasted. Written once, never overwritten.
dev-env: .env
.env:
	@printf '# Development settings, written by `make dev-env`; never use them in production.\nDEBUG=true\nSECRET_KEY=%s\n' \
	  "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env (DEBUG=true and a generated SECRET_KEY) for development."

test: $(VENV)/.installed chromium
	$(BIN)/pytest $(PYTEST_ARGS)

# The overview's browser test drives Debian's chromium: installed here when missing and apt-get
# is usable as root. Without it that test is skipped, so a failure here stops nothing.
chromium:
	@test -x /usr/bin/chromium || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
	  { echo "Installing Debian's chromium for the browser test..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	      >/dev/null 2>&1 || echo "Could not install chromium; the browser test will be skipped."; }

# The documentation site (mkdocs.yml, docs/) on http://127.0.0.1:$(DOCS_PORT)/, rebuilt on each
# change; its reference pages are made from the code. docs-build builds it as CI does (--strict).
DOCS_PORT ?= 8002
docs: $(VENV)/.installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(DOCS_PORT)

docs-build: $(VENV)/.installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

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
