#!/usr/bin/env bash
# `make bench`: start a real Neo4j (unless IPLAYOUT_NEO4J_URI is set), regenerate docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${IPLAYOUT_NEO4J_URI:-}" ] && command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
  trap 'bash tests/neo4j/neo4j.sh stop >/dev/null 2>&1 || true' EXIT
  IPLAYOUT_NEO4J_URI="$(bash tests/neo4j/neo4j.sh start)"
  export IPLAYOUT_NEO4J_URI
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/python -m benchmarks.run_all "$@"
