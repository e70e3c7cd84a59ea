#!/usr/bin/env bash
# Runs every benchmark of the repository, one after the other, on this machine: the codec
# benchmark (bench/codec, TypeScript, Python and Go) and the RPC benchmark (bench/rpc: calls,
# plugin -> host -> plugin calls, streams against a raw socket stream, pub/sub fan-out).
# Arguments go to the RPC benchmark: npm run bench -- --json results.json --duration-ms 3000
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/codec/run.sh
node --conditions=@polyproc/source --import tsx bench/rpc/run.ts "$@"
