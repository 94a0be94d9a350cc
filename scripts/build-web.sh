#!/usr/bin/env bash
# Build the web workbench: npm ci (from web/package-lock.json) + vite build into
# iplayout/api/static/dist, which `iplayout serve` serves at /. Idempotent: skips the install
# when node_modules matches the lockfile and the build when the sources have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
WEB=web
OUT=iplayout/api/static/dist
command -v npm >/dev/null 2>&1 || { echo "error: npm (Node 18+) is required to build the web workbench" >&2; exit 1; }

if [ ! -f "$WEB/node_modules/.package-lock.json" ] || [ "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ]; then
  echo "web: npm ci"
  (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$WEB/node_modules/.package-lock.json"
fi

stamp="$(cat "$WEB/package-lock.json" "$WEB/package.json" "$WEB/index.html" "$WEB/vite.config.js" \
  $(find "$WEB/src" -type f | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)"
if [ -f "$OUT/index.html" ] && [ "$(cat "$OUT/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "web: up to date ($OUT)"
  exit 0
fi
echo "web: vite build -> $OUT"
(cd "$WEB" && npm run --silent build -- --logLevel warn)
echo "$stamp" > "$OUT/.stamp"
