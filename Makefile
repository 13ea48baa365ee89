# NHS OD governance progress reports. `make help` lists the targets.
# The Makefile holds no logic: every target calls the odreport package or a tool.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ORG    ?=
PERIOD ?=
SURVEY ?=
FILE   ?=
MIN_GROUP_SIZE ?=
# MIN_GROUP: the former name of MIN_GROUP_SIZE, still accepted
MIN_GROUP ?=
PUBLIC ?=
FORCE  ?=
PDF    ?=
WORKERS ?= 2
PERIODS ?= latest
TODAY  ?=
WINDOW ?=
ODREPORT := $(BIN)/odreport
# `make lock` resolves with uv in a throwaway venv; the build backend (pyproject's
# [build-system] requires) is locked too, so nothing unhashed is installed (both tested)
LOCKER := uv==0.13.8
BUILD_REQUIRES := setuptools>=69

# Variables reach recipes as data: each is taken as typed ($(value ...): not even a
# "$(shell ...)" in it is expanded), exported to the recipes' environment, and quoted there
# ("$$ORG"), so no value can run a command.
SAFE_VARS := ORG PERIOD SURVEY FILE MIN_GROUP_SIZE MIN_GROUP PUBLIC FORCE WORKERS PERIODS TODAY WINDOW PDF
$(foreach v,$(SAFE_VARS),$(eval override $(v) := $$(value $(v))))
export $(SAFE_VARS)

.DEFAULT_GOAL := help
.PHONY: help venv report pdf reports scheduled bench profile verify validate test test-fast lint lab new-org import-survey docs demo-data notebook lock clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# The locked dependencies first, each file checked against its SHA-256 in the lock; then the
# project itself (editable, which pip refuses to hash-check) without resolving anything more.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	  -r requirements.lock
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
	  --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP) ## Create or update .venv from the pinned dependencies

report: $(STAMP) ## Render one report: make report ORG=rotherham [PERIOD=YYYY-MM] [MIN_GROUP_SIZE=11] [PUBLIC=1] [FORCE=1]
	@size="$${MIN_GROUP_SIZE:-$$MIN_GROUP}"; \
	  $(ODREPORT) report --org="$$ORG" $${PERIOD:+--period="$$PERIOD"} \
	  $${size:+--min-group-size="$$size"} $${PUBLIC:+--public} $${FORCE:+--force}

pdf: $(STAMP) ## Print one report to an A4 PDF beside it (needs chromium): make pdf ORG=rotherham [PERIOD=YYYY-MM] [PUBLIC=1]
	@size="$${MIN_GROUP_SIZE:-$$MIN_GROUP}"; \
	  $(ODREPORT) pdf --org="$$ORG" $${PERIOD:+--period="$$PERIOD"} \
	  $${size:+--min-group-size="$$size"} $${PUBLIC:+--public} $${FORCE:+--force}

reports: $(STAMP) ## Every organisation in parallel: make reports [WORKERS=2] [PERIODS=all] [FORCE=1] [PDF=1]
	@$(ODREPORT) reports --workers="$$WORKERS" --periods="$$PERIODS" $${FORCE:+--force} \
	  $${PDF:+--pdf}

scheduled: $(STAMP) ## Render what is due before each meeting: make scheduled [TODAY=YYYY-MM-DD] [WINDOW=14] [PDF=1]
	@$(ODREPORT) scheduled $${TODAY:+--today="$$TODAY"} $${WINDOW:+--window="$$WINDOW"} \
	  --workers="$$WORKERS" $${FORCE:+--force} $${PDF:+--pdf}

bench: $(STAMP) ## Benchmark: one report vs the naive chain, re-run, 100 organisations, 1M survey rows
	@$(BIN)/python scripts/bench.py

profile: $(STAMP) ## Where one report's time goes (cold, warm, each cell and chart): make profile ORG=x [PERIOD=YYYY-MM]
	@$(BIN)/python -m odreport.publish.profiling --org="$$ORG" $${PERIOD:+--period="$$PERIOD"}

verify: $(STAMP) ## Render a published report again from its provenance, compare: make verify ORG=x [PERIOD=YYYY-MM]
	@$(ODREPORT) verify --org "$(ORG)" $(if $(PERIOD),--period "$(PERIOD)")

validate: $(STAMP) ## Check an organisation's inputs: make validate ORG=darlington
	@$(ODREPORT) validate --org="$$ORG"

test: $(STAMP) ## Run the whole test suite (unit, end-to-end, browser when Chromium exists)
	@$(BIN)/python -m pytest

test-fast: $(STAMP) ## Run the unit tests only
	@$(BIN)/python -m pytest -m "not e2e and not browser"

lint: $(STAMP) ## Check code style with ruff
	@$(BIN)/ruff check src tests scripts

lab: $(STAMP) ## JupyterLab with an organisation's data prepared: make lab [ORG=x] [PERIOD=YYYY-MM]
	@$(ODREPORT) lab $${ORG:+--org="$$ORG"} $${PERIOD:+--period="$$PERIOD"}

new-org: $(STAMP) ## Start a new organisation from the template: make new-org ORG=example
	@$(ODREPORT) new-org --org="$$ORG"

import-survey: $(STAMP) ## Import a SurveyMonkey export: make import-survey ORG=x SURVEY=id FILE=path
	@$(ODREPORT) import-survey --org="$$ORG" --survey="$$SURVEY" -- "$$FILE"

docs: $(STAMP) ## Regenerate docs/data-dictionary.md from expectations/
	@$(ODREPORT) docs

demo-data: $(STAMP) ## Regenerate the illustrative progress and survey data (seeded)
	@$(BIN)/python scripts/generate_demo_data.py

notebook: $(STAMP) ## Regenerate notebooks/governance_report.ipynb (no outputs)
	@$(BIN)/python scripts/make_notebook.py

lock: ## Re-resolve pyproject.toml into requirements.lock, with hashes (needs PyPI)
	@rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	@.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check "$(LOCKER)"
	@echo "$(BUILD_REQUIRES)" | .lock-venv/bin/uv pip compile --quiet pyproject.toml - \
	  --extra dev --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --output-file requirements.lock
	@rm -rf .lock-venv

clean: ## Remove derived data, reports, cached validation results and kept failed notebooks (raw data is never touched)
	@rm -rf data/processed/* reports/* .odreport/cache .odreport/debug
	@touch data/processed/.gitkeep reports/.gitkeep
