#!/usr/bin/env bash
# The API load test (benchmarks/bench_api.py) drives the server with wrk: a C load generator
# takes far less of the 2 shared cores than a Python client would.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
bash "$(dirname "$0")/apt-install.sh" wrk
