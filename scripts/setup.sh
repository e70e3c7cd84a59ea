#!/usr/bin/env bash
# Installs everything the repository needs, from the package registries only: the npm
# workspaces, a Python virtual environment in .venv with the Python SDK and its test and
# dev extras, and the Go SDK's modules. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "setup: $1 is not installed; install $2 and run again" >&2; exit 1; }
}
need node "Node.js 20.19 or later"
need npm "npm (comes with Node.js)"
# Windows installs Python as "python"; elsewhere "python3" is the usual name.
PYTHON="${PYTHON:-$(command -v python3 || command -v python || true)}"
[ -n "$PYTHON" ] || { echo "setup: python3 is not installed; install Python 3.10 or later and run again" >&2; exit 1; }
need go "Go 1.25 or later"

echo "setup: npm workspaces"
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "setup: node_modules is up to date"
else
  # Not `npm ci`: the lock file has no entries for the other platforms' buf binaries (the
  # registry reachable here does not serve them), which `npm ci` refuses; `npm install
  # --no-save` installs exactly the locked versions and never rewrites the lock file.
  npm install --no-save --no-audit --no-fund --loglevel=error
fi

echo "setup: Python virtual environment .venv"
if [ ! -d .venv ]; then
  "$PYTHON" -m venv .venv
fi
node scripts/venv-python.mjs -m pip install --quiet --disable-pip-version-check -e "sdks/python[test,dev]"

echo "setup: Go modules"
go -C sdks/go mod download
echo "setup: done"
