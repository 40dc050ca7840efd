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
# gunicorn on PORT; every process shares each account's 5 requests/second. Threaded workers
# (gthread): a page mostly waits on the API, and sync workers would serve one request each.
# GUNICORN_WORKERS processes, gunicorn's advice of 2 × cores + 1: fewer requests share
# one process's GIL, so a page's own time stays its own CPU time.
# The sandbox, standing in for ActiveCampaign, answers from SANDBOX_SERVERS gunicorns of its
# own on SANDBOX_PORT and the ports after it, each one process serving some of the accounts
# (acdash/sandbox/origins.py), as each ActiveCampaign account has a host of its own: an
# account's rate limit and request log live in the memory of the one process that sees all
# its requests, and a page's API calls never wait for a worker of the server that is
# waiting for them (behind acdash's own sync workers two concurrent pages deadlocked).
# The sandbox runs at nice 10: it stands in for another machine, and takes the CPU acdash
# leaves rather than a share of a page's own time. acdash starts once every sandbox server
# answers (scripts/wait_for_http.py says why).
# DEBUG is off, as in production: it records every SQL query and annotates every template
# node, a third of a page's server time (docs/performance.md).
PG_PORT ?= 15432
REDIS_PORT ?= 16379
SANDBOX_PORT ?= $(shell echo $$(($(PORT) + 1)))
SANDBOX_SERVERS ?= 4
GUNICORN_WORKERS ?= $(shell echo $$((2 * $$(nproc) + 1)))
GUNICORN_THREADS ?= 4
sandbox_ports = $(shell seq $(SANDBOX_PORT) $$(($(SANDBOX_PORT) + $(SANDBOX_SERVERS) - 1)))
comma := ,
empty :=
space := $(empty) $(empty)
run-scaled: export ACDASH_SANDBOX_ORIGIN = $(subst $(space),$(comma),$(foreach port,$(sandbox_ports),http://$(HOST):$(port)))
run-scaled: export ACDASH_DEBUG = 0
run-scaled: install
	mkdir -p var && echo "$$ACDASH_SANDBOX_ORIGIN" > var/sandbox-origin
	set -e; eval "$$(scripts/engines start var $(PG_PORT) $(REDIS_PORT))"; \
	trap 'test -z "$$others" || kill -KILL -$$others 2>/dev/null; scripts/engines stop var' EXIT INT TERM; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py demo_setup; \
	setsid sh -c 'for i in $$(seq $(WORKERS)); do \
		$(BIN)/python manage.py rqworker --job-class django_tasks_rq.Job default & done; \
		for port in $(sandbox_ports); do nice -n 10 $(BIN)/gunicorn acdash.wsgi --workers 1 \
			--worker-class gthread --threads 16 --bind $(HOST):$$port & done; wait' & \
	others=$$!; \
	$(BIN)/python scripts/wait_for_http.py $(foreach port,$(sandbox_ports),http://$(HOST):$(port)/healthz); \
	echo "acdash: http://$(HOST):$(PORT)/ (the sandbox API: $$ACDASH_SANDBOX_ORIGIN)"; \
	echo "manage.py in another terminal: export DATABASE_URL=$$DATABASE_URL REDIS_URL=$$REDIS_URL"; \
	$(BIN)/gunicorn acdash.wsgi --workers $(GUNICORN_WORKERS) --worker-class gthread \
		--threads $(GUNICORN_THREADS) --bind $(HOST):$(PORT) --access-logfile -

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
