# canlian: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
TEST_WORKERS ?= 2
export DJANGO_SETTINGS_MODULE := canlian.settings

.PHONY: run serve port-free test test-fast lint system-test-deps messages bench bench-scale bench-workforce bench-book bench-petitions bench-reform clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## Set up, migrate, load the 会宁县 demo, print the logins, serve on http://$(HOST):$(PORT)/ and
## run the background worker (large imports) beside the server. Another port: make run PORT=8001.
## The port is checked first: if something already listens there, run stops with a message.
run: port-free $(VENV)/.installed
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_demo
	@$(PYTHON) canlian/portcheck.py '$(HOST)' '$(PORT)'  # again: the demo took a while
	@echo "canlian is at http://$(HOST):$(PORT)/  (Ctrl-C stops it; the import worker runs beside it)"
	$(BIN)/python manage.py db_worker --no-reload --no-startup-delay -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

## The production server: gunicorn (canlian/gunicorn.conf.py) with DEBUG=0, static files from
## WhiteNoise, the background worker (large imports and exports) beside it. It takes the
## deployment's settings from the environment — SECRET_KEY, CANLIAN_FIELD_KEYS and
## CANLIAN_LOOKUP_KEY (required), ALLOWED_HOSTS, DATABASE_URL, and behind a TLS proxy
## SECURE_SSL_REDIRECT=0 and SECURE_PROXY_SSL_HEADER (README, Settings) — then collects the
## static files, migrates and serves on HOST:PORT.
serve: port-free $(VENV)/.installed
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY (50+ random characters) and ALLOWED_HOSTS first; see README, Running on PostgreSQL"; exit 2; }
	@test -n "$$CANLIAN_FIELD_KEYS" -a -n "$$CANLIAN_LOOKUP_KEY" || { echo "make serve: set CANLIAN_FIELD_KEYS and CANLIAN_LOOKUP_KEY first; see README, Encryption of ID numbers"; exit 2; }
	mkdir -p var
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v 0
	DEBUG=0 $(BIN)/python manage.py migrate --noinput -v 0
	@echo "canlian (production) at http://$(HOST):$(PORT)/  (Ctrl-C stops it and the worker)"
	DEBUG=0 $(BIN)/python manage.py db_worker --no-reload --no-startup-delay -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=0 GUNICORN_BIND='$(HOST):$(PORT)' $(BIN)/gunicorn -c canlian/gunicorn.conf.py

## Stop before anything else when HOST:PORT is taken (canlian/portcheck.py says so, in English
## and Chinese, and names a port to try).
port-free:
	@$(PYTHON) canlian/portcheck.py '$(HOST)' '$(PORT)'

## Debian packages the tests need: chromium for the browser tests, gettext for translations.
system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	fc-list 2>/dev/null | grep -qi wqy || missing="$$missing fonts-wqy-microhei"; \
	ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	fi

lint: $(VENV)/.installed-test
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

## Install everything the tests need and run the whole suite (DATABASE_URL picks the database).
test: system-test-deps $(VENV)/.installed-test node_modules/axe-core/axe.min.js lint
	$(BIN)/python manage.py makemessages -l zh_Hans --no-location --no-obsolete -i '.venv/*' -i 'node_modules/*' -i 'var/*' -v 0
	$(BIN)/python manage.py compilemessages -l zh_Hans -i '.venv' -i 'node_modules' -v 0
	$(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

## The suite without the browser tests, for the edit-test loop (make test before committing).
## Two pytest-xdist workers pay on two cores: the 373 tests without a browser took 86 s
## serially and 62 s with -n 2 on an otherwise idle machine (TEST_WORKERS=0 runs serially).
test-fast: $(VENV)/.installed-test
	$(BIN)/python manage.py compilemessages -l zh_Hans -i '.venv' -i 'node_modules' -v 0
	$(BIN)/pytest -q -m "not browser" -n $(TEST_WORKERS) $(PYTEST_ARGS)

## Rebuild the translation catalogue after changing strings.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l zh_Hans --no-location --no-obsolete -i '.venv/*' -i 'node_modules/*' -i 'var/*'
	$(BIN)/python manage.py compilemessages -l zh_Hans -i '.venv' -i 'node_modules'

## The import benchmark: the people import against calamine + the fastest insert, and against
## django-import-export, on 100,000 generated rows (DATABASE_URL picks the database; BENCH_ARGS
## passes options, e.g. BENCH_ARGS="--rows 1000000 --skip-import-export").
bench: $(VENV)/.installed-test
	$(BIN)/python manage.py bench_import $(BENCH_ARGS)

## The scale benchmark on PostgreSQL: a province of 19,224 units and N people (default 60,000;
## the issue's figures: SCALE_ARGS="--people 2000000 --http --seconds 60"), every page beside
## the hand-written SQL doing the same work. DATABASE_URL names the server.
bench-scale: $(VENV)/.installed-test
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	  $(BIN)/python manage.py bench_scale $(SCALE_ARGS)

## The workforce benchmark on PostgreSQL: vacancies and visit coverage of a province of 19,224
## units and ~34,000 appointments beside hand-written SQL. DATABASE_URL names the server.
bench-workforce: $(VENV)/.installed-test
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	  $(BIN)/python manage.py bench_workforce $(WORKFORCE_ARGS)

## The ledger book benchmark: the printed book of a township with 30 villages and a year of
## entries in every ledger — first print, reprint, reprint after one change — beside
## WeasyPrint typesetting the same documents (BOOK_ARGS="--villages 30 --repeat 3").
bench-book: $(VENV)/.installed-test
	$(BIN)/python manage.py bench_book $(BOOK_ARGS)

## The letters-and-visits benchmark: the petition list of a city with 10,000 petitions, page by
## page, beside hand-written SQL. SQLite by default (a fresh file); on PostgreSQL:
## DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-petitions
bench-petitions: $(VENV)/.installed-test
	$(BIN)/python manage.py bench_petitions $(PETITIONS_ARGS)

## The reform benchmark on PostgreSQL: merging 40 communities (REFORM_ARGS="--per-community 5000"
## for the issue's 200,000 people) and the province's summary table as of the day before,
## beside hand-written SQL. DATABASE_URL names the server.
bench-reform: $(VENV)/.installed-test
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	  $(BIN)/python manage.py bench_reform $(REFORM_ARGS)

clean:
	rm -rf $(VENV) node_modules var

## The 100-point assessment benchmark: a round of 120 townships (a province has about 1,400:
## ASSESSMENT_ARGS="--townships 1400") computed, beside hand-written SQL doing the same counts.
## SQLite by default (a fresh file); on PostgreSQL:
## DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-assessment
.PHONY: bench-assessment
bench-assessment: $(VENV)/.installed-test
	$(BIN)/python manage.py bench_assessment $(ASSESSMENT_ARGS)
