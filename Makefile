# eventdesk: `make demo` and `make test` are the two commands a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-slow lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	rm -f demo/demo.db
	$(BIN)/eventdesk ingest demo/corpus --db demo/demo.db --outlets demo/outlets.csv || test $$? -eq 1
	@echo
	$(BIN)/eventdesk articles --db demo/demo.db --format table
	@echo
	$(BIN)/eventdesk stories --db demo/demo.db --format table
	@echo
	@echo "Stored in demo/demo.db (one input in demo/corpus/broken is damaged on purpose: it is reported above,"
	@echo "the rest is stored). Where to look next:"
	@echo "  .venv/bin/eventdesk compare STORY_ID --db demo/demo.db --outlet-file demo/outlets.csv   # outlets side by side"
	@echo "  .venv/bin/eventdesk analyze demo/corpus/txt/rin-voronin-draft.txt --outlets demo/outlets.csv   # one article as JSON"
	@echo "  docs/cli.md (every command), docs/output-contract.md (the JSON), docs/benchmarks.md (measured quality)"

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# PostgreSQL and Chromium for the store and browser tests come from Debian's packages via the set-up script.
test: install lint
	set -a; eval "$$(bash scripts/setup-test-services.sh)"; set +a; $(BIN)/python -m pytest -q

test-slow: install
	$(BIN)/python -m pytest -q -m slow

bench: install
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
