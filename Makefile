# Two commands matter: `make run` and `make test` (see README).
PYTHON ?= $(shell PYENV_VERSION=3.12 pyenv which python3.12 2>/dev/null || command -v python3.12 || echo python3.12)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: install run test lint format clean

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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Installs Debian's Chromium for the browser tests when it may, else stops and says how.
test: lint
	scripts/ensure-chromium
	$(BIN)/pytest -n auto -m "not serial"  # one worker per core (pytest-xdist)
	$(BIN)/pytest -m serial

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
