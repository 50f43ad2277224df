# Forløp: two commands on a fresh machine.
#   make run   sets everything up and serves the portal on http://127.0.0.1:5000
#   make test  sets everything up, runs `make lint`, then the whole suite, browser tests included,
#              on SQLite, and again on a throwaway PostgreSQL server started for the run (there,
#              the tests that use a database through the test client: the others would only
#              repeat themselves; see pytest_collection_modifyitems in tests/conftest.py)
#   make lint  checks the Python code with ruff (configured in pyproject.toml)
# Whatever the system lacks (Pango and fonts for the PDFs, Chromium and poppler-utils for the tests,
# PostgreSQL) is installed with apt-get.

VENV      := .venv
PYTHON    ?= python3
FLASK     := $(VENV)/bin/flask --app portal
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_FLAGS := -y -q -o Dpkg::Use-Pty=0
TEST_PG   := $(PYTHON) scripts/test-postgres

.PHONY: run test lint setup lock translations pdf-deps system-test-deps extract-messages bench screenshots

run: setup pdf-deps
	$(FLASK) content check
	$(FLASK) init-db
	@if [ ! -f instance/demo-created ]; then \
		echo "Creating the demo people. Their activation links (shown once):"; \
		$(FLASK) demo && touch instance/demo-created; \
	else \
		echo "Demo people exist. New activation links: $(FLASK) demo"; \
	fi
	@# Beside the portal, stopped with it: a stand-in for ID-porten and HelseID (scripts/id-porten-mock),
	@# the job worker that sends messages (portal.jobs), and a mail server and SMS gateway that print
	@# each message instead of sending it (scripts/message-sinks).
	@export SMS_GATEWAY_URL=http://127.0.0.1:8026/sms; \
	$(VENV)/bin/python scripts/id-porten-mock --port 9400 & mock=$$!; \
	$(VENV)/bin/python scripts/message-sinks & sinks=$$!; \
	$(VENV)/bin/huey_consumer portal.worker.queue --workers 2 --quiet & worker=$$!; \
	trap 'kill $$mock $$sinks $$worker' EXIT; \
	IDPORTEN_ISSUER=http://127.0.0.1:9400 IDPORTEN_CLIENT_ID=forlop-demo IDPORTEN_CLIENT_SECRET=demo-only \
	HELSEID_ISSUER=http://127.0.0.1:9400 HELSEID_CLIENT_ID=forlop-demo-staff HELSEID_CLIENT_SECRET=demo-only \
		$(FLASK) run --host 127.0.0.1 --port 5000

# One shell for the whole run, so its trap stops the PostgreSQL server after a failing pass,
# Ctrl-C or SIGTERM too (after a SIGKILL, the next `start` clears what is left). Lint comes first
# (it takes seconds), and the two passes always run: a lint finding does not hide a failing test.
# The passes run side by side, each waiting on its database or browser part of the time: the
# PostgreSQL pass writes to .test-postgres/pass.log, shown when the SQLite pass is done.
# Any of the three failing fails the target.
test: setup system-test-deps
	@export CHROMIUM_PATH="$$(command -v chromium)"; unset TEST_DATABASE_URL; \
	trap '$(TEST_PG) stop' EXIT; trap 'exit 130' INT TERM HUP; \
	echo "== Lint"; \
	$(MAKE) --no-print-directory lint; lint=$$?; \
	$(TEST_PG) start || exit 1; \
	TEST_DATABASE_URL="$$(cat .test-postgres/url)" $(VENV)/bin/pytest > .test-postgres/pass.log 2>&1 & pass=$$!; \
	echo "== The suite on SQLite (the PostgreSQL pass runs beside it)"; \
	$(VENV)/bin/pytest; sqlite=$$?; \
	wait $$pass; postgres=$$?; \
	echo "== The suite on PostgreSQL"; \
	cat .test-postgres/pass.log; \
	echo "== Lint: $$([ $$lint = 0 ] && echo passed || echo FAILED)," \
		"SQLite pass: $$([ $$sqlite = 0 ] && echo passed || echo FAILED)," \
		"PostgreSQL pass: $$([ $$postgres = 0 ] && echo passed || echo FAILED)"; \
	[ $$lint = 0 ] && [ $$sqlite = 0 ] && [ $$postgres = 0 ]

lint: setup
	$(VENV)/bin/ruff check .

setup: $(VENV)/installed translations

# Every package at the version requirements.lock names (pyproject.toml's own pins agree with it).
$(VENV)/installed: pyproject.toml setup.py requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# For developers, after changing the dependencies in pyproject.toml: pin the whole tree again,
# resolved in a fresh virtualenv so nothing installed by hand slips in.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e '.[test]'
	{ head -n 2 requirements.lock; .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

# Compiled catalogs (.mo) are build output, made from the .po files in the repo.
translations: $(VENV)/installed
	$(VENV)/bin/pybabel compile --statistics -d portal/translations

# WeasyPrint lays out text with Pango (and subsets fonts with HarfBuzz); DejaVu Sans has every
# Norwegian and Sami letter the PDFs print.
pdf-deps:
	@if ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null 2>&1; then \
		echo "Installing Pango, HarfBuzz and DejaVu fonts for the PDFs"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install $(APT_FLAGS) libpango-1.0-0 libpangoft2-1.0-0 \
			libharfbuzz-subset0 fonts-dejavu-core; \
	fi

system-test-deps: pdf-deps
	@if ! command -v pdftoppm >/dev/null; then \
		echo "Installing poppler-utils (pdftoppm) for the PDF tests"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install $(APT_FLAGS) poppler-utils; \
	fi
	@if ! command -v chromium >/dev/null; then \
		echo "Installing Chromium for the browser tests"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install $(APT_FLAGS) chromium fonts-dejavu-core; \
	fi
	@if ! $(TEST_PG) check; then \
		echo "Installing PostgreSQL for the second pass of the tests"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install $(APT_FLAGS) postgresql; \
	fi
	@if ! command -v redis-server >/dev/null; then \
		echo "Installing Redis for the test of rate limits shared by several processes"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install $(APT_FLAGS) redis-server; \
	fi

# For developers: refresh the message catalogs after changing texts in templates or code.
extract-messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k _l -k gettext -k ngettext:1,2 --no-location --omit-header \
		-o portal/translations/messages.pot .
	$(VENV)/bin/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching

# For developers: the README's pictures (docs/screenshot-*.png), taken by the browser tests that
# walk those views.
screenshots: setup system-test-deps
	SCREENSHOTS=1 $(VENV)/bin/python -m pytest -q tests/browser/test_screenshots.py

# Speed: the engine and the timeline page (wrk against gunicorn), the worklist of a unit with
# 10,000 patients on SQLite and on a throwaway PostgreSQL server, the printed PDFs, and events
# imported from a hospital's systems with the FHIR reads, and 4 processes on one PostgreSQL with a
# worker killed on the way.
bench: setup pdf-deps
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install $(APT_FLAGS) wrk)
	@$(TEST_PG) check || ($(SUDO) apt-get update -q && $(SUDO) apt-get install $(APT_FLAGS) postgresql)
	@command -v redis-server >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install $(APT_FLAGS) redis-server)
	$(VENV)/bin/python bench/timeline.py
	$(VENV)/bin/python bench/worklist.py
	$(VENV)/bin/python bench/pdf.py
	$(VENV)/bin/python bench/imports.py
	$(VENV)/bin/python bench/scale.py
