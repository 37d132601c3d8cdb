#!/usr/bin/env bash
# The whole test suite: type-check, lint and format check, then vitest against real services.
# With no arguments the two lanes of vitest.config.ts (test/lanes.ts) run side by side: the files
# that share the one sandbox stack in one process, every other file in a second. With arguments
# (files, filters, vitest flags) one vitest process runs them, one file at a time.
# GAMEDAY_TEST_LANES=0 runs the whole suite in one process instead.
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
ensure_all # also dockerd and the sandbox images built from this machine's binaries
log "type-check, lint, format"
npx tsc -p tsconfig.json --noEmit
npx biome check .
if [ $# -gt 0 ] || [ "${GAMEDAY_TEST_LANES:-1}" = 0 ]; then
  log "vitest"
  exec npx vitest run "$@"
fi

results=".gameday/test-results"
mkdir -p "$results"
node dist/test/support/leftovers-cli.js snapshot "$results/leftovers-before.json"
export GAMEDAY_LEFTOVERS_OUTER=1
lane() { # name: one vitest process for that project, its lines prefixed, its JSON report kept
  local name="$1" started=$SECONDS rc=0
  npx vitest run --project "$name" --reporter=default --reporter=json \
    --outputFile.json="$results/$name.json" 2>&1 | sed -u "s/^/[$name] /" || rc=$?  # pipefail: vitest's exit
  log "lane $name: exit $rc in $((SECONDS - started)) s"
  return "$rc"
}
log "vitest: the sandbox and isolated lanes side by side"
lane sandbox &
sandbox_pid=$!
lane isolated &
isolated_pid=$!
status=0
wait "$sandbox_pid" || status=1
wait "$isolated_pid" || status=1
node dist/test/support/leftovers-cli.js check "$results/leftovers-before.json" || status=1
exit "$status"
