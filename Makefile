# Two commands set everything up on a fresh machine (Debian/Ubuntu, as root or with sudo):
#   make run    install, then extract, update, draft, compile the bundled content and serve the review UI
#   make test   install, then run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test system venv bench

# GNU gettext (msgfmt validates every catalog in the tests), Chromium (the browser tests), po4a (the benchmark's peer).
system:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v po4a-translate >/dev/null || missing="$$missing po4a"; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(BIN)/paragraf: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(BIN)/paragraf

run: system venv
	$(BIN)/paragraf extract
	$(BIN)/paragraf update
	$(BIN)/paragraf draft
	$(BIN)/paragraf compile
	$(BIN)/paragraf serve --host $(HOST) --port $(PORT)

test: system venv
	$(BIN)/python -m pytest

bench: system venv
	$(BIN)/python bench/pipeline_bench.py --corpus $(CORPUS)
