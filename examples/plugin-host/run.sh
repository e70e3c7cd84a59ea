#!/usr/bin/env bash
# The demo: sets the repository up (npm, Python and Go dependencies; quick when done
# before), then a TypeScript host starts a Node plugin as two processes, calls it, survives a
# crash and closes.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh >/dev/null
cd examples/plugin-host
exec node --conditions=@polyproc/source --import tsx host.ts
