# Renda: `make run` sets everything up and starts the app; `make test` sets up and passes the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HTMX   := static/vendor/htmx.min.js
HTMX_VERSION := 2.0.4
HTMX_SHA256  := e209dda5c8235479f3166defc7750e1dbcd5a5c1808b7792fc2e6733768fb447
# axe-core, the accessibility checker the browser tests run in chromium (tests only; no page loads it).
ECHARTS := static/vendor/echarts.min.js
ECHARTS_VERSION := 5.6.0
ECHARTS_SHA256  := bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1
AXE    := static/vendor/axe.min.js
AXE_VERSION := 4.10.3
AXE_SHA256  := 880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup system-deps browser-vendor run test test-postgres lint format bench migrate demo browser-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

# Front-end files come from the npm registry at setup time (pinned version, checked against its SHA-256),
# never from a CDN at run time. A required file that cannot be fetched or does not match its checksum stops
# setup with an error: nothing falls back silently, and a mismatching file is removed, never served.
# vendor(package, version, path in the package, target, sha256)
define vendor
	@mkdir -p static/vendor var/npm
	@(cd var/npm && rm -rf package && npm pack --silent $(1)@$(2) >/dev/null \
	  && tar -xzf $(subst @,,$(subst /,-,$(1)))-$(2).tgz && cp package/$(3) ../../$(4)) \
	  || { rm -f $(4); echo "ERROR: $(1)@$(2) could not be fetched from the npm registry" >&2; exit 1; }
	@echo "$(5)  $(4)" | sha256sum -c --quiet - \
	  || { rm -f $(4); echo "ERROR: $(4) does not match its SHA-256 checksum: file removed" >&2; exit 1; }
endef

$(HTMX):
	$(call vendor,htmx.org,$(HTMX_VERSION),dist/htmx.min.js,$(HTMX),$(HTMX_SHA256))

# Apache ECharts draws the dashboards' and the big screen's charts (issue 20 part 5).
$(ECHARTS):
	$(call vendor,echarts,$(ECHARTS_VERSION),dist/echarts.min.js,$(ECHARTS),$(ECHARTS_SHA256))

# axe-core the same way, for the accessibility checks of tests/browser (skipped when it is missing).
$(AXE):
	@mkdir -p static/vendor var/npm
	@(cd var/npm && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null 2>&1 \
	  && tar -xzf axe-core-$(AXE_VERSION).tgz && cp package/axe.min.js ../../$(AXE)) \
	  || echo "axe-core not fetched: the accessibility checks will be skipped"
	@if [ -f $(AXE) ]; then echo "$(AXE_SHA256)  $(AXE)" | sha256sum -c --quiet - \
	  || { rm -f $(AXE); echo "axe-core checksum mismatch: file removed"; exit 1; }; fi

setup: $(STAMP) $(HTMX) $(ECHARTS) system-deps

# The system's cairo, through which the flowcharts become PNG (in Word) and PDF (issue 21): installed when
# missing and we may (root); otherwise setup says what the PDF and the Word charts need.
system-deps:
	@ldconfig -p 2>/dev/null | grep -q 'libcairo.so.2' || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcairo2 >/dev/null) || \
	  echo "libcairo2 missing: install it (apt-get install libcairo2) for the flowcharts' PDF and Word"; }

browser-vendor: $(AXE)

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py reindex_public

# The huey consumer runs beside the web server: it sends notifications and runs the daily deadline sweep.
run: demo
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py demo_logins
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/python manage.py run_huey --workers 1 >var/huey.log 2>&1 & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's chromium for the browser tests; installed when missing and we may (root), skipped otherwise.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "chromium missing: browser tests will be skipped"; }

test: setup browser-deps browser-vendor
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n 2 -q

test-postgres: setup browser-deps browser-vendor
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renda} $(BIN)/pytest -n 2 -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var static/vendor
