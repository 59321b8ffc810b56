# The two commands: `make run` (the main job) and `make test` (all tests).
# Both create the virtual environment on a fresh clone; nothing is installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# PLOVER gold-standard records for the external benchmark (skipped when absent)
PLOVER ?= ../shared/external/plover-gsr/dev.json

.PHONY: run test lint install clean labelstudio

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Label Studio pins many packages, so the server gets its own virtualenv, installed once
# (the stamp names the version; `standoff annotate serve` uses the same venv and stamp).
LS_VERSION := 1.23.2
LS_VENV := .venv-labelstudio
LS_STAMP := $(LS_VENV)/.installed-$(LS_VERSION)

$(LS_STAMP):
	test -x $(LS_VENV)/bin/python || $(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/pip install -q --upgrade pip
	$(LS_VENV)/bin/pip install -q "label-studio==$(LS_VERSION)"
	touch $(LS_STAMP)

labelstudio: $(LS_STAMP)

run: $(STAMP)
	$(BIN)/standoff corpus build
	$(BIN)/standoff corpus validate
	$(BIN)/standoff corpus stats
	$(BIN)/standoff train all --model all --jobs 2
	$(BIN)/standoff eval run-all --data test
	test ! -f $(PLOVER) || $(BIN)/standoff eval run-all --task events --data plover:$(PLOVER)
	$(BIN)/standoff eval compare-best
	$(BIN)/standoff eval index

test: $(STAMP) $(LS_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) $(LS_VENV) corpus/hf models/*/ eval/reports
