# Chợ OCOP Hà Tĩnh — the front door. `make run` starts the shop with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE := marketplace.settings

.PHONY: help install install-test browser haproxy containers run serve demo test lock check clean

help:
	@echo "make run      install, migrate, load the demo data and serve on http://$(HOST):$(PORT) (with the scheduled jobs)"
	@echo "make test     install test tools (incl. Chromium) and run the whole test suite"
	@echo "make install  create $(VENV) and install the locked dependencies"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock
	$(BIN)/pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install --quiet -r requirements-test.lock
	@touch $@

install: $(VENV)/.installed

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "WARNING: could not install chromium; browser tests will be skipped"; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "WARNING: /usr/bin/chromium missing and no root: browser tests will be skipped (apt-get install chromium)"; fi

# The two-node test (tests/marketplace/test_two_nodes.py) puts Debian's HAProxy in front of two web nodes.
haproxy:
	@if command -v haproxy >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null) \
		|| echo "WARNING: could not install haproxy; the two-node test will be skipped"; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	else echo "WARNING: haproxy missing and no root: the two-node test will be skipped (apt-get install haproxy)"; fi

# The container image test builds and runs the image with podman (tests/deploy/test_container_image.py).
CONTAINER_TOOLS := podman runc mmdebstrap
containers:
	@if command -v podman >/dev/null && command -v runc >/dev/null && command -v mmdebstrap >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CONTAINER_TOOLS) >/dev/null) \
		|| echo "WARNING: could not install $(CONTAINER_TOOLS); the container image test will be skipped"; \
	else echo "WARNING: $(CONTAINER_TOOLS) missing and no root: the container image test will be skipped"; fi

install-test: $(VENV)/.installed-test browser haproxy containers

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# runserver + the scheduled jobs (no Redis needed); the local sandboxes follow HOST:PORT (see README).
serve:
	$(BIN)/python manage.py serve $(HOST):$(PORT)

run: demo serve

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

lock: $(BIN)/python
	$(BIN)/python bin/lock.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm .test-db.sqlite3* staticfiles test-results
