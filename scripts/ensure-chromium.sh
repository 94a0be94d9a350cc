#!/usr/bin/env bash
# Make sure headless Chromium, its driver and a CJK font are installed (Debian/Ubuntu, apt-get).
# Exits 0 at once when everything is present; the browser test needs these (tests/browser).
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
font_ok() { have fc-list && fc-list :lang=zh 2>/dev/null | grep -q .; }
if (have chromium || have chromium-browser) && have chromedriver && font_ok; then
  exit 0
fi
bash "$(dirname "$0")/apt-install.sh" chromium chromium-driver fonts-wqy-microhei
have chromedriver || { echo "error: chromedriver still missing after apt-get" >&2; exit 1; }
