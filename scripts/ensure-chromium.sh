#!/usr/bin/env bash
# Make sure headless Chromium, its driver and a CJK font are installed (Debian/Ubuntu, apt-get).
# Exits 0 at once when everything is present; the browser test needs these (tests/browser).
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
font_ok() { have fc-list && fc-list :lang=zh 2>/dev/null | grep -q .; }
if (have chromium || have chromium-browser) && have chromedriver && font_ok; then
  exit 0
fi
if ! have apt-get; then
  echo "error: chromium, chromium-driver and a CJK font are missing and apt-get is not available" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  have sudo || { echo "error: need root (or sudo) to apt-get install chromium" >&2; exit 1; }
  SUDO="sudo"
fi
echo "installing chromium, chromium-driver and fonts-wqy-microhei with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  chromium chromium-driver fonts-wqy-microhei >/dev/null
have chromedriver || { echo "error: chromedriver still missing after apt-get" >&2; exit 1; }
