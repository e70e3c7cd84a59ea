#!/usr/bin/env bash
# The demo: sets the repository up, then sends a batch of Call frames from TypeScript to
# Python, which answers with Result frames that Go decodes, all in polyproc's wire format
# (spec/PROTOCOL.md §3, §9). Each step prints what it saw on stderr/stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh >/dev/null
echo "polyproc demo: TypeScript -> Python -> Go"
npx tsx examples/codec-pipeline/encode.ts \
  | node scripts/venv-python.mjs examples/codec-pipeline/relay.py \
  | go -C examples/codec-pipeline/go run .
