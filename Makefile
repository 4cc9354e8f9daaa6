# Set-up and everyday commands. `make build` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# the Nu Html Checker (run with Java) and axe-core (run in Chromium), for the validity and
# accessibility tests; both from npm
VNU_VERSION := 26.9.27
AXE_VERSION := 4.14.1
VNU    := tests/.tools/node_modules/vnu-jar/build/dist/vnu.jar
AXE    := tests/.tools/node_modules/axe-core/axe.min.js

.PHONY: build serve test lint check clean screenshots report

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

# the coordinator's report of the example programme, in _private/report.html (never published; see docs/report.md)
report: $(STAMP)
	$(BIN)/rmsite report

test: lint $(VNU) $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# the code's own checks: ruff (style, imports sorted), mypy (types; strict for core/ and model/),
# import-linter (each package imports only the ones below it, and no import loops)
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/mypy
	$(BIN)/lint-imports

# without npm these tests skip (or, with RMSITE_REQUIRE_VALIDATOR=1, fail)
$(VNU) $(AXE):
	-command -v npm >/dev/null && npm install --silent --no-save --prefix tests/.tools \
		vnu-jar@$(VNU_VERSION) axe-core@$(AXE_VERSION)

# docs/screenshots/*.png from the example programme; needs Chromium (see docs/dashboards.md)
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots/make.py

clean:
	rm -rf _site .rmsite-cache _private build src/*.egg-info tests/.tools
