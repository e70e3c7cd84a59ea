#!/usr/bin/env bash
# Runs the codec benchmark in TypeScript, Python and Go, one after the other, on this
# machine. Each line: codec <lang> <case> <encode|decode> polyproc=<rate> bare=<rate>
# overhead=<percent>. The target (issue 3) is under 25% overhead on the small message.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsx bench/codec/codec-bench.ts
node scripts/venv-python.mjs bench/codec/bench_python.py
go -C sdks/go run ./internal/cmd/codecbench
