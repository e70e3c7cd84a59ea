#!/usr/bin/env bash
# The README's test command: sets everything up, then runs lint, type checks, the
# generated-code check and every test in TypeScript, Python and Go, and ends with one line
# "N passed, N failed" summing all of them. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=true FORCE_COLOR=0
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

rm -rf reports/junit
mkdir -p reports/junit
checks=()

run_check() {
  local name="$1"
  shift
  echo
  echo "=== ${name}"
  local started=$SECONDS
  if "$@"; then
    checks+=("${name}|pass|$((SECONDS - started))")
  else
    checks+=("${name}|fail|$((SECONDS - started))")
  fi
}

# Regeneration needs buf's binary for this OS, and the lock file holds Linux's only (the
# registry this project is built against serves no other), so Linux alone runs this check.
if [ "$(uname -s)" = "Linux" ]; then
  run_check "generated code is up to date" node scripts/check-generated.mjs
else
  echo "=== generated code: checked on Linux only (buf's binary is locked for Linux)"
fi
# The GitHub workflow cannot run here; actionlint checks its syntax, expressions and actions.
run_check "workflow lint (actionlint)" go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.7 .github/workflows/ci.yml
run_check "lint (all projects)" npx nx run-many -t lint --output-style=static
run_check "typecheck (all projects)" npx nx run-many -t typecheck --output-style=static
run_check "build (TypeScript packages)" npx nx run-many -t build --output-style=static
# Tests report through JUnit files in reports/junit; a runner that fails to start at all is
# counted as a failed check.
run_check "test runners (all projects)" npx nx run-many -t test --output-style=static
# The conformance suite runs every case against the host and each registered SDK; its JUnit
# file counts each case run (n/a and known-failing ones as skipped). --verbose puts the trace
# of any failing case (steps, frames, plugin output) into the log.
run_check "conformance suite" npx nx run conformance:conformance --output-style=static --args=--verbose

node scripts/junit-summary.mjs reports/junit "${checks[@]}"
