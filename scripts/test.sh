#!/usr/bin/env bash
# The whole test suite: type-check, lint and format check, then vitest against real services.
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
ensure_all # also dockerd and the sandbox images built from this machine's binaries
log "type-check, lint, format"
npx tsc -p tsconfig.json --noEmit
npx biome check .
log "vitest"
npx vitest run "$@"
