# Set-up and everyday commands. `make build` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build serve test check clean screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/rmsite build

serve: $(STAMP)
	$(BIN)/rmsite serve

check: $(STAMP)
	$(BIN)/rmsite check

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# docs/screenshots/*.png from the example programme; needs Chromium (see docs/dashboards.md)
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots/make.py

clean:
	rm -rf _site .rmsite-cache build src/*.egg-info
