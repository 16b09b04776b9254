# Two commands set everything up on a fresh machine (Debian/Ubuntu, as root or with sudo):
#   make run    install what running needs, then extract, update, draft, compile the bundled
#               content and serve the review UI
#   make test   install what the tests need (gettext, chromium, the test tools), then lint,
#               type-check and run the whole test suite
#   make bench  install the peers (po4a, gettext, Translate Toolkit, mdpo), then time every
#               verb beside them and print one table (CORPUS=DIR: the shared corpus instead
#               of the benchmarks' own; BENCH_ARGS: more options of bench/run.py)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 5000
# paragraf is installed as a regular package (an editable install makes setuptools warn),
# again when its code changes; the dependencies are reinstalled only when they change, not
# on every edit of pyproject.toml ([tool.paragraf] is configuration).
SOURCES := $(shell find app -type f ! -path '*/__pycache__/*')
DEPS := $(shell $(PYTHON) -c 'import hashlib, json, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print(hashlib.sha1(json.dumps([p["dependencies"], p.get("optional-dependencies")], sort_keys=True).encode()).hexdigest()[:12])')

.PHONY: run test bench

# Debian packages, installed only when their command is missing.
define apt
	@missing=""; for pair in $(1); do cmd=$${pair%%:*}; pkg=$${pair#*:}; \
	  command -v $$cmd >/dev/null || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-$(DEPS): $(SOURCES) | $(BIN)/python
	$(BIN)/pip install -q .
	touch $@

$(VENV)/.test-$(DEPS): $(SOURCES) | $(BIN)/python
	$(BIN)/pip install -q '.[test]'
	touch $@ $(VENV)/.run-$(DEPS)

run: $(VENV)/.run-$(DEPS)
	$(BIN)/paragraf extract
	$(BIN)/paragraf update
	$(BIN)/paragraf draft
	$(BIN)/paragraf compile
	$(BIN)/paragraf serve --host $(HOST) --port $(PORT)

# GNU gettext's msgfmt validates every catalog the tests write, Chromium runs the browser tests,
# po4a is the benchmark's peer (make bench).
test: $(VENV)/.test-$(DEPS)
	$(call apt,msgfmt:gettext chromium:chromium po4a-translate:po4a /usr/bin/time:time)
	$(BIN)/ruff check app tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

$(VENV)/.bench-$(DEPS): $(SOURCES) | $(BIN)/python
	$(BIN)/pip install -q '.[bench]'
	touch $@ $(VENV)/.run-$(DEPS)

# GNU time measures each command's peak memory; the peers: po4a, msgmerge and msgfmt.
bench: $(VENV)/.bench-$(DEPS)
	$(call apt,/usr/bin/time:time msgfmt:gettext po4a-translate:po4a)
	$(BIN)/python bench/run.py $(if $(CORPUS),--corpus $(CORPUS)) $(BENCH_ARGS)
