#!/usr/bin/env bash
# apt-get install the given Debian packages (as root, or through sudo); used by the ensure-* scripts.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
if ! have apt-get; then
  echo "error: $* missing and apt-get is not available: install them by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  have sudo || { echo "error: need root (or sudo) to apt-get install $*" >&2; exit 1; }
  SUDO="sudo"
fi
echo "installing $* with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
