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

# Every benchmark on ../shared data (figures go to docs/benchmarks.md by hand, with the date). The 1M-event store
# benchmarks take tens of minutes and a PostgreSQL URL: see docs/benchmarks.md for their commands.
bench: install
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/cleaning.py
	$(BIN)/python bench/timex.py
	$(BIN)/python bench/geo.py
	$(BIN)/python bench/actors.py
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/events.py --half all
	$(BIN)/python bench/events_written.py
	$(BIN)/python bench/stories.py --years 2015-2019
	$(BIN)/python bench/stories_scale.py --sizes 1000,10000,100000 --new 100
	$(BIN)/python bench/throughput.py --repeat 3
	$(BIN)/python bench/memory.py --n 100

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
