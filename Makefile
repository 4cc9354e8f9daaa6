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
# what every install takes its versions from, so that a dependency's new release changes nothing
# until `make constraints` takes it in; constraints-lowest.txt holds the runtime dependencies at
# their lowest declared versions, for `make test-lowest`
CONSTRAINTS := constraints.txt
LOWEST      := constraints-lowest.txt
LOWEST_VENV := .venv-lowest
# the unit tests' own packages, installed beside the lowest versions (at their pins in constraints.txt)
LOWEST_TEST_PACKAGES := pytest hypothesis jsonschema cmarkgfm

.PHONY: build serve test test-lowest lint check clean screenshots report constraints

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test,browser]'
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

# the unit tests on the lowest declared versions of the runtime dependencies, in a venv of their own
# (rmsite itself from src/), so that the lower bounds in pyproject.toml stay true
test-lowest:
	$(PYTHON) .ci/pins.py check
	test -x $(LOWEST_VENV)/bin/python || $(PYTHON) -m venv $(LOWEST_VENV)
	$(LOWEST_VENV)/bin/python -m pip install --quiet -r $(LOWEST)
	PYTHONPATH=src $(LOWEST_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/unit

# rewrites both constraints files from fresh resolutions: the newest releases that pyproject.toml
# allows, and the lowest versions it declares; run it to take in new releases, or after changing a
# dependency, and commit both files once `make test` and `make test-lowest` pass
constraints:
	rm -rf .constraints-venvs
	$(PYTHON) -m venv .constraints-venvs/latest
	.constraints-venvs/latest/bin/python -m pip install --quiet --upgrade pip
	.constraints-venvs/latest/bin/python -m pip install --quiet '.[test,browser]'
	{ echo "# The versions that make test and CI install, for every extra: written by make constraints,"; \
	  echo "# with Python $$(.constraints-venvs/latest/bin/python -c 'import platform; print(platform.python_version())')."; \
	  .constraints-venvs/latest/bin/python -m pip freeze --exclude rmsite; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	$(PYTHON) -m venv .constraints-venvs/lowest
	.constraints-venvs/lowest/bin/python -m pip install --quiet --upgrade pip
	$(PYTHON) .ci/pins.py lowest $(LOWEST_TEST_PACKAGES) > .constraints-venvs/lowest.in
	.constraints-venvs/lowest/bin/python -m pip install --quiet -r .constraints-venvs/lowest.in
	{ echo "# The runtime dependencies at their lowest declared versions, and what the unit tests need:"; \
	  echo "# installed by make test-lowest; written by make constraints, with Python $$(.constraints-venvs/lowest/bin/python -c 'import platform; print(platform.python_version())')."; \
	  .constraints-venvs/lowest/bin/python -m pip freeze; } > $(LOWEST).new
	mv $(LOWEST).new $(LOWEST)
	rm -rf .constraints-venvs
	$(PYTHON) .ci/pins.py check

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
	rm -rf _site .rmsite-cache _private build dist src/*.egg-info tests/.tools $(LOWEST_VENV) .constraints-venvs
