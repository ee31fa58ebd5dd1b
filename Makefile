# policykg: every target installs what it needs. `make run` and `make test` are the two
# commands of the README.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
DATA    ?= .policykg
HOST    ?= 127.0.0.1
PORT    ?= 8000
STAMP   := $(VENV)/.installed

.PHONY: help venv run ingest serve test test-fast score neo4j-start neo4j-stop neo4j-status clean web notebooks bench bench-full soak

help:
	@echo "make run          set up, ingest corpus/ into the embedded store, serve the API on $(HOST):$(PORT)"
	@echo "make test         set up and run the whole test suite (starts a local Neo4j when needed)"
	@echo "make score        extract corpus/ and ../shared/eval/dev/docs, score them against all 23 gold files"
	@echo "make neo4j-start  run a local Neo4j 5.26 fetched through Maven (scripts/neo4j-local)"
	@echo "make test-fast    the tests that need neither Neo4j nor a browser"
	@echo "make soak         32 clients for 60 s against each store (starts a local Neo4j)"
	@echo "make bench        quick benchmark; make bench-full for N=1,000 and 10,000"
	@echo "make notebooks    re-run the notebooks in place; make web re-vendors the explorer's JavaScript"

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

ingest: venv
	POLICYKG_DATA=$(DATA) $(BIN)/policykg ingest corpus

serve: venv
	POLICYKG_DATA=$(DATA) $(BIN)/policykg serve --host $(HOST) --port $(PORT)

run: ingest serve

test: venv
	bash scripts/test

test-fast: venv
	$(BIN)/pytest -q -m "not neo4j and not browser"

SHARED  ?= ../shared
score: venv
	@mkdir -p $(DATA)
	$(BIN)/policykg extract corpus $(SHARED)/eval/dev/docs --out $(DATA)/score.jsonl
	$(PY) $(SHARED)/eval/score.py $(DATA)/score.jsonl $(SHARED)/eval/gold $(SHARED)/eval/dev/gold

notebooks: venv
	$(BIN)/python notebooks/run_all.py

neo4j-start:
	scripts/neo4j-local start

neo4j-stop:
	scripts/neo4j-local stop

neo4j-status:
	scripts/neo4j-local status

web:
	cd web && npm ci --no-audit --no-fund && npm run build

soak: venv
	POLICYKG_SOAK_SECONDS=60 POLICYKG_TEST_NEO4J=1 bash scripts/test -s tests/test_soak.py

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache test-artifacts

bench: venv
	$(BIN)/python -m bench.run --quick

bench-full: venv
	$(BIN)/python -m bench.run --full
