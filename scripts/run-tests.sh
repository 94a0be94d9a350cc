#!/usr/bin/env bash
# Run the whole suite against both engines: start a real Neo4j unless IPLAYOUT_NEO4J_URI points
# at one already, always stop what we started, exit non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${IPLAYOUT_NEO4J_URI:-}" ]; then
  if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
    trap 'bash tests/neo4j/neo4j.sh stop >/dev/null 2>&1 || true' EXIT
    IPLAYOUT_NEO4J_URI="$(bash tests/neo4j/neo4j.sh start)"
    export IPLAYOUT_NEO4J_URI
    echo "Neo4j (in-process harness) at $IPLAYOUT_NEO4J_URI"
  elif [ "${CI:-}" = "true" ] || [ "${IPLAYOUT_REQUIRE_NEO4J:-}" = "1" ]; then
    echo "error: Java 17+ and Maven are required to start Neo4j for the tests (CI / IPLAYOUT_REQUIRE_NEO4J)" >&2
    exit 1
  else
    echo "!!!! Java/Maven not found: the Neo4j half of the suite will be SKIPPED !!!!" >&2
  fi
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check iplayout tests benchmarks
.venv/bin/mypy iplayout
.venv/bin/python -m pytest "$@"
