# 开发区领导驾驶舱 — `make run` starts the app on the bundled data; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast lint setup system-deps data bench bench-load clean

# the warm-up runs the app once as soon as the server answers (see cockpit/app/warmup.py)
run: setup
	($(PY) -m cockpit.app.warmup http://127.0.0.1:$(PORT) &) ; \
	$(PY) -m cockpit.app.serve --server.port $(PORT) --server.headless true

test: setup system-deps lint
	$(PY) -m pytest -q

# lint (pyproject.toml): ruff's checks on everything, mypy on the pure layers (the files listed there)
lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# the fast lane for a small change: pure functions and queries (no Chromium, no AppTest, no benchmark)
test-fast: setup
	$(PY) -m pytest -q -m "not browser and not apptest and not bench and not deploy"

# The virtualenv, and the package byte-compiled (cockpit/__pycache__): a server's start imports most of its ~24,000
# lines, ~0.15 s to compile. Python writes these files itself on a first import, except where it may not:
# PYTHONDONTWRITEBYTECODE set, or an install the service's user cannot write (deploy/systemd). Up to date: skipped.
setup: $(VENV)/.installed
	@$(PY) -m compileall -q cockpit

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@

# Debian packages the tests need: Chromium for the browser tests, CJK fonts so Chinese renders,
# poppler-utils for reading PDFs, openssl for the SMTP test's self-signed certificate, nginx for the replica test
# (tests/test_replicas.py). Installed only when missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Regenerate the bundled sample data (deterministic; tests check the shipped files equal a fresh run)
data: setup
	$(PY) -m cockpit.gen.sample

# The benchmark (minutes; not part of `make test`): county data, then 200,000 enterprises (generated into
# var/scale when missing). Results in bench/results/*.md and *.json.
bench: setup
	$(PY) -m bench.run --scales county --repeat 7 --out bench/results/county
	$(PY) -m bench.run --scales province --repeat 3 --skip views,concurrency --out bench/results/province

# The meeting load (25–35 minutes of both cores; not part of `make bench`): 30 viewers changing a filter or the
# page every 5–15 s for 3 minutes, with one process and with one replica per core behind nginx (deploy/), then a
# stepped search (60 s per step) for the viewer count at which p95 passes 1 s. bench/results/county-load.md/.json.
bench-load: setup system-deps
	$(PY) -m bench.load --viewers 30 --seconds 180 --steps 5,10,20,30,40,60,80,120,160,200,240 --step-seconds 60 \
	  --out bench/results/county-load

clean:
	rm -rf $(VENV) .pytest_cache
