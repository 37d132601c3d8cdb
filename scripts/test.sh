#!/usr/bin/env bash
# The whole test suite: type-check, lint and format check, then vitest against real services.
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
ensure_all
source scripts/lib/docker.sh
ensure_docker # dockerd running, sandbox images built from this machine's binaries
log "type-check, lint, format"
npx tsc -p tsconfig.json --noEmit
npx biome check .
log "vitest"
npx vitest run "$@"
