# The two set-up commands of the README: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
CHROMIUM ?= /usr/bin/chromium

.PHONY: site test lint browser-deps check serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(SITE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(SITE_STAMP)

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@ $(SITE_STAMP)

## Build the example courses into build/.
site: $(SITE_STAMP)
	$(BIN)/coursesite build

## Check the example courses without writing (warnings are expected: the seeds' own mistakes).
check: $(SITE_STAMP)
	$(BIN)/coursesite check

## Serve the example courses at http://127.0.0.1:8000/, rebuilt and reloaded as you edit them.
serve: $(SITE_STAMP)
	$(BIN)/coursesite serve

## Install what the browser tests need: Debian's chromium (never a downloaded browser).
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@$(CHROMIUM) --version

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## Lint, type-check and run the whole test suite, browser tests included.
test: $(TEST_STAMP) browser-deps lint
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

## Time builds (reference courses, 100 and 1,000 synthetic ones) beside Hugo; rewrites benchmarks/README.md.
## Takes a while: for quicker figures run benchmarks/build_speed.py with --sizes and --runs.
## Then print the dev server's save-to-rebuilt-page latency for sites of 5 and 100 courses.
bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/build_speed.py --readme benchmarks/README.md --json benchmarks/results.json
	$(BIN)/python benchmarks/serve_latency.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
