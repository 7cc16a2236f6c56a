# Two commands do all the set-up on a fresh machine:
#   make run    install, build the demo database if missing, start the dashboard
#   make test   install (incl. Debian's chromium for the browser test), run every test
#   make test-dates   the whole suite with the wall clock at four awkward dates
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     ?= data/demo.duckdb
PORT   ?= 8501
ADDRESS ?= 0.0.0.0

.PHONY: run test lint test-dates install install-dev system-deps demo bench bench-pages screenshots docs-pictures clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt requirements-spark.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-deps:
	bash scripts/install-system-deps.sh

$(DB): | $(VENV)/.installed
	$(PY) -m analytics demo --db $(DB)

demo: $(VENV)/.installed
	$(PY) -m analytics demo --db $(DB)

run: $(VENV)/.installed $(DB)
	MOTCUA_DB=$(DB) $(PY) -m streamlit run dashboard.py --server.port $(PORT) --server.address $(ADDRESS)

# Every test, then the whole suite again with the wall clock at four awkward
# dates (scripts/test_dates.sh): a suite that passes today and fails next
# month is broken, so CI checks both.
test: lint $(VENV)/.installed-dev system-deps
	$(PY) -m pytest
	PY=$(PY) bash scripts/test_dates.sh

# Style and import order (ruff), then types (mypy); both configured in
# pyproject.toml. make test runs this first.
lint: $(VENV)/.installed-dev
	$(PY) -m ruff check analytics ui pages dashboard.py tests scripts
	$(PY) -m mypy

# The suite must not depend on the day it runs (scripts/test_dates.sh).
test-dates: $(VENV)/.installed-dev system-deps
	PY=$(PY) bash scripts/test_dates.sh

bench: $(VENV)/.installed
	$(PY) -m analytics.bench

bench-pages: $(VENV)/.installed-dev $(DB)
	MOTCUA_DB=$(DB) $(PY) scripts/bench_pages.py

screenshots: $(VENV)/.installed-dev system-deps
	$(PY) scripts/screenshots.py

# Pictures of the meeting deck for docs/screenshots (needs LibreOffice and
# poppler-utils from Debian; a docs step, not part of CI).
docs-pictures: $(VENV)/.installed $(DB)
	$(PY) scripts/render_deck_pictures.py

clean:
	rm -rf build .pytest_cache .hypothesis
