# Everything a fresh machine with Python 3.11+ and make needs:
#   make demo   create .venv, install, convert and check the bundled sample documents
#   make test   install with the test dependencies and run the whole test suite
#   make docs   build the documentation site (docs/_build/html)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
OUT ?= out

.PHONY: demo test lint typecheck bench docs clean install vocabulary gazetteer

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"

# the package and its built-in plugins (one install: the plugins are entry points)
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

# ... and everything the tests, type checks and linters use
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e . --group test
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime

demo: $(VENV)/.runtime
	@mkdir -p $(OUT)
	@echo "== installed formats"
	$(BIN)/socialproj formats
	@echo
	@echo "== the five seed documents (a project card, a fiche, three news items), read as records"
	$(BIN)/socialproj convert examples/seeds $(OUT)/seeds.jsonl
	$(BIN)/socialproj convert examples/seeds $(OUT)/seeds.csv
	@$(BIN)/python -c "import json, sys; [print(json.dumps(json.loads(line), ensure_ascii=False, indent=1)) for line in open(sys.argv[1], encoding='utf-8')]" $(OUT)/seeds.jsonl
	@echo
	@echo "== what validation finds in them"
	$(BIN)/socialproj validate $(OUT)/seeds.jsonl || test $$? -eq 1
	@echo
	@echo "== the project card and the news item are one project: linked, then merged"
	$(BIN)/socialproj link examples/seeds -o $(OUT)/links.jsonl
	$(BIN)/socialproj merge examples/seeds -o $(OUT)/merged.jsonl --prefer robg-card,bg-news
	$(BIN)/socialproj validate $(OUT)/merged.jsonl || test $$? -eq 1
	@echo
	@echo "== a spreadsheet with Bulgarian headers, through a column mapping"
	$(BIN)/socialproj convert examples/spreadsheet/projects-bg.csv $(OUT)/spreadsheet.jsonl --from csv -o mapping=examples/spreadsheet/mapping.toml -o currency=BGN
	$(BIN)/socialproj validate $(OUT)/spreadsheet.jsonl || test $$? -eq 1
	@echo
	@echo "Outputs are in $(OUT)/ (seeds.jsonl, seeds.csv, links.jsonl, merged.jsonl, spreadsheet.jsonl)."

# pydantic and msgspec are benchmark-only: the peers socialproj is measured against
$(VENV)/.bench: pyproject.toml | $(VENV)/.runtime
	$(PIP) install --quiet -e . --group bench
	touch $@

# the documentation site; warnings are errors
$(VENV)/.docs: pyproject.toml | $(VENV)/.runtime
	$(PIP) install --quiet -e . --group docs
	touch $@

docs: $(VENV)/.docs
	$(BIN)/python -m sphinx -W --keep-going -q -b html docs docs/_build/html
	@echo "The site is in docs/_build/html/index.html"

# regenerate the CLDR part of the vocabulary (month, weekday, quarter names, letter frequencies)
vocabulary: $(VENV)/.runtime
	$(PIP) install --quiet --group vocabulary
	$(BIN)/python tools/vocabulary_from_cldr.py

# regenerate the Bulgarian settlements from the NSI's EKATTE (JSON of its Ek_atte table):
# make gazetteer EKATTE=path/to/ek_atte.json
gazetteer: $(VENV)/.runtime
	$(BIN)/python tools/gazetteer_from_ekatte.py $(EKATTE) > src/socialproj/gazetteer/bg-settlements.tsv.new
	mv src/socialproj/gazetteer/bg-settlements.tsv.new src/socialproj/gazetteer/bg-settlements.tsv

bench: $(VENV)/.bench
	$(BIN)/python bench/run.py

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache .mypy_cache .ruff_cache docs/_build
