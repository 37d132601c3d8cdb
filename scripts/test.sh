#!/usr/bin/env bash
# The whole test suite: type-check, lint and format check, then vitest against real services.
# With no arguments the lanes of vitest.config.ts (test/lanes.ts) run side by side, one vitest
# process each: the files that share the default sandbox stack, the demo lane on a stack of its
# own at another port offset, and every other file (their own servers). With arguments
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
lane() { # name [VAR=value...]: one vitest process for that project, lines prefixed, JSON report kept
  local name="$1" started=$SECONDS rc=0
  shift
  env "$@" npx vitest run --project "$name" --reporter=default --reporter=json \
    --outputFile.json="$results/$name.json" 2>&1 | sed -u "s/^/[$name] /" || rc=$?  # pipefail: vitest's exit
  log "lane $name: exit $rc in $((SECONDS - started)) s"
  return "$rc"
}
demo_offset="$(node -e 'import("./dist/test/lanes.js").then((m) => console.log(m.DEMO_LANE_OFFSET))')"
log "vitest: the sandbox, demo (port offset $demo_offset) and isolated lanes side by side"
pids=()
lane sandbox & pids+=($!)
lane demo "GAMEDAY_SANDBOX_PORT_OFFSET=$demo_offset" & pids+=($!)
lane isolated & pids+=($!)
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
node dist/test/support/leftovers-cli.js check "$results/leftovers-before.json" || status=1
exit "$status"
