#!/usr/bin/env bash
# The demo game day: sets up, starts the sandbox stack, runs experiments/*.yaml, writes reports.
#   npm run demo                      -> exits 0 when every countermeasure held
#   npm run demo -- --break breaker   -> same game day with orders' breaker switched off: exits 1
#   (any switch of the inventory in sandbox-services/README.md, e.g. --break retry-budget,
#   --break orders-bulkhead, --break timeout; validated by `gameday sandbox up`; --keep leaves the stack up)
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
breaks=() keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --break) breaks+=("$2"); shift 2 ;;
    --break=*) breaks+=("${1#--break=}"); shift ;;
    --keep) keep=1; shift ;;
    *) die "unknown option $1 (use --break <countermeasure> or --keep)" ;;
  esac
done
ensure_demo
gameday() { node dist/src/cli/main.js "$@"; }
up_args=()
for b in "${breaks[@]}"; do up_args+=(--break "$b"); done
gameday sandbox up "${up_args[@]}" >/dev/null
[ "$keep" = 1 ] || trap 'node dist/src/cli/main.js sandbox down >/dev/null 2>&1 || true' EXIT
mkdir -p reports
set +e
gameday run gamedays/demo.yaml --junit reports/junit.xml --report reports/gameday.md --json reports/gameday.json
code=$?
set -e
log "reports: reports/gameday.md, reports/junit.xml, reports/gameday.json (exit $code)"
exit "$code"
