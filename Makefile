# The two commands: `make demo` and `make test`. Everything else is a helper.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEAL := examples/thornburg-2003-2
DEMO_DB := out/demo.db

.PHONY: demo test test-repeat lint typecheck bench clean

# An editable install leaves remit's own modules uncompiled, and where bytecode is not
# written (PYTHONDONTWRITEBYTECODE) every command would compile them again (0.1 s of each
# start-up): compileall writes their bytecode (bench refreshes it after edits).
$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

# Closes the example deal's first date (the published statement of 2003-04-25) and prints
# it, closes the eleven dates after it in sequence into a fresh store, prints the history;
# then writes the whole Form 8-K and the statement as HTML and PDF, and says how to start
# the investor site over that store.
demo: $(STAMP)
	scripts/system-deps
	$(BIN)/remit check $(DEAL)
	mkdir -p out && rm -f $(DEMO_DB)
	$(BIN)/remit close $(DEAL) --next --db $(DEMO_DB) --out out/2003-04-25
	for i in 2 3 4 5 6 7 8 9 10 11 12; do \
	    $(BIN)/remit close $(DEAL) --next --db $(DEMO_DB) --quiet || exit 1; done
	$(BIN)/remit history tmst-2003-2 --db $(DEMO_DB)
	$(BIN)/remit filing tmst-2003-2 2003-04-25 --form 8-K --db $(DEMO_DB) \
	    --out out/2003-04-25/form-8-k.txt
	$(BIN)/remit render tmst-2003-2 2003-04-25 --format html --format pdf --db $(DEMO_DB) \
	    --out out/2003-04-25
	@echo
	@echo "HTML statement: $(CURDIR)/out/2003-04-25/statement.html"
	@echo "PDF statement:  $(CURDIR)/out/2003-04-25/statement.pdf"
	@echo "Form 8-K:       $(CURDIR)/out/2003-04-25/form-8-k.txt"
	@echo "Start the investor site (http://127.0.0.1:8000/):  $(BIN)/remit serve --db $(DEMO_DB)"

# Lint, types, then every test; the store tests run against SQLite and a throwaway
# PostgreSQL server that scripts/with-postgres starts on a loopback port and stops.
# scripts/system-deps first installs, when missing, the Debian packages the publishing
# tests need (chromium for the browser tests, poppler-utils' pdftotext, WeasyPrint's libraries).
test: $(STAMP)
	scripts/system-deps test
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	scripts/with-postgres $(BIN)/pytest

# `make test` N times in a row (default 20) to catch flaky tests: lint and types once, then
# every test N times, each run with its own throwaway PostgreSQL server; stops at the first
# failing run and says which it was.
N ?= 20
test-repeat: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	@for i in $$(seq 1 $(N)); do \
	    echo "test-repeat: run $$i of $(N)"; \
	    scripts/with-postgres $(BIN)/pytest || { \
	        echo "test-repeat: run $$i of $(N) FAILED ($$((i - 1)) passed before it)"; exit 1; }; \
	done; \
	echo "test-repeat: all $(N) runs passed"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
