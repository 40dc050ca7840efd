# Two commands matter: `make run` and `make test` (see README).
PYTHON ?= $(shell PYENV_VERSION=3.12 pyenv which python3.12 2>/dev/null || command -v python3.12 || echo python3.12)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: install run run-scaled test lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The sandbox URLs it connects, the URL guard and `sandbox_accounts` (even from another
# terminal: var/sandbox-origin records it) follow HOST and PORT. WORKERS job workers (each
# runs one job at a time) run beside the web server, in a process group of their own, killed
# when the server stops: jobs are built to survive that and resume when they start again.
run: export ACDASH_SANDBOX_ORIGIN = http://$(HOST):$(PORT)
run: install
	mkdir -p var && echo "$$ACDASH_SANDBOX_ORIGIN" > var/sandbox-origin
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_setup
	setsid sh -c 'for i in $$(seq $(WORKERS)); do $(BIN)/python manage.py db_worker & done; wait' & \
	workers=$$!; trap 'kill -KILL -'$$workers' 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# `make run` scaled out on one machine: PostgreSQL and Redis of its own under var/ (Debian's
# packages, installed when missing; ports no system server uses), WORKERS RQ workers and a
# gunicorn of 2 processes on PORT; every process shares each account's 5 requests/second.
# Threaded workers (gthread): a page mostly waits on the API, and 2 sync workers would
# serve 2 requests at a time. The sandbox, standing in for ActiveCampaign, answers from a
# gunicorn of its own on SANDBOX_PORT, one process: its rate limit and request log live in
# that process's memory (so one process sees every request, as the real API does), and a
# page's API calls never wait for a worker of the server that is waiting for them (behind
# acdash's own sync workers two concurrent pages deadlocked until the API deadline).
# DEBUG is off, as in production: it records every SQL query and annotates every template
# node, a third of a page's server time (docs/performance.md).
PG_PORT ?= 15432
REDIS_PORT ?= 16379
SANDBOX_PORT ?= $(shell echo $$(($(PORT) + 1)))
GUNICORN_THREADS ?= 8
run-scaled: export ACDASH_SANDBOX_ORIGIN = http://$(HOST):$(SANDBOX_PORT)
run-scaled: export ACDASH_DEBUG = 0
run-scaled: install
	mkdir -p var && echo "$$ACDASH_SANDBOX_ORIGIN" > var/sandbox-origin
	set -e; eval "$$(scripts/engines start var $(PG_PORT) $(REDIS_PORT))"; \
	trap 'test -z "$$others" || kill -KILL -$$others 2>/dev/null; scripts/engines stop var' EXIT INT TERM; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py demo_setup; \
	setsid sh -c 'for i in $$(seq $(WORKERS)); do \
		$(BIN)/python manage.py rqworker --job-class django_tasks_rq.Job default & done; \
		$(BIN)/gunicorn acdash.wsgi --workers 1 --worker-class gthread --threads 32 \
			--bind $(HOST):$(SANDBOX_PORT) & wait' & \
	others=$$!; \
	echo "acdash: http://$(HOST):$(PORT)/ (the sandbox API: $$ACDASH_SANDBOX_ORIGIN/sandbox/)"; \
	echo "manage.py in another terminal: export DATABASE_URL=$$DATABASE_URL REDIS_URL=$$REDIS_URL"; \
	$(BIN)/gunicorn acdash.wsgi --workers 2 --worker-class gthread --threads $(GUNICORN_THREADS) \
		--bind $(HOST):$(PORT) --access-logfile -

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Installs Debian's Chromium for the browser tests when it may, else stops and says how.
# Compiled modules (and pytest's rewritten tests) are kept even where the environment says
# PYTHONDONTWRITEBYTECODE: each test process then collects in a third of the time.
test: export PYTHONDONTWRITEBYTECODE =
test: lint
	scripts/ensure-chromium
	$(BIN)/pytest -n auto -m "not serial and not scaleout"  # one worker per core (pytest-xdist)
	$(BIN)/pytest -m "serial and not scaleout"
	scripts/engines test $(BIN)/pytest tests/scaleout  # on PostgreSQL, Redis and RQ workers

clean:
	rm -rf $(VENV) db.sqlite3

.PHONY: bench
bench: install  # every benchmark in bench/ (see docs/performance.md); fails if any script errors
	@status=0; for script in bench/*.py; do \
		echo "== $$script"; $(BIN)/python $$script || status=1; \
	done; exit $$status

.PHONY: mutation
mutation: install  # mutation score of the access, URL-guard, token and rate-limit code; slow, not in make test
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	$(BIN)/python scripts/mutation.py --jobs 2 $(MODULES)
