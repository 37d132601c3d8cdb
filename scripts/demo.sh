#!/usr/bin/env bash
# The demo game day: sets up, starts the sandbox stack, runs experiments/*.yaml, writes reports.
#   npm run demo                      -> exits 0 when every countermeasure held
#   npm run demo -- --break breaker   -> same game day with orders' breaker switched off: exits 1
#   (also --break jitter, --break timeout, --break retries, --break fallback; --keep leaves the stack up)
#   npm run demo -- --prove           -> `gameday prove gamedays/demo.yaml`: the game day once healthy and
#                                        once per mutant; exits 0 only when every mutant is killed
#                                        (kill matrix in reports/kill-matrix.{md,json,xml})
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
breaks=() keep=0 prove=0
while [ $# -gt 0 ]; do
  case "$1" in
    --break) breaks+=("$2"); shift 2 ;;
    --break=*) breaks+=("${1#--break=}"); shift ;;
    --keep) keep=1; shift ;;
    --prove) prove=1; shift ;;
    *) die "unknown option $1 (use --break <countermeasure>, --prove or --keep)" ;;
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
if [ "$prove" = 1 ]; then
  [ "${#breaks[@]}" = 0 ] || die "--prove applies every mutant itself; drop --break"
  gameday prove gamedays/demo.yaml --junit reports/kill-matrix.xml --report reports/kill-matrix.md --json reports/kill-matrix.json
  code=$?
  log "kill matrix: reports/kill-matrix.md, reports/kill-matrix.xml, reports/kill-matrix.json (exit $code)"
  exit "$code"
fi
gameday run gamedays/demo.yaml --junit reports/junit.xml --report reports/gameday.md --json reports/gameday.json --html reports/gameday.html
code=$?
set -e
log "reports: reports/gameday.md, reports/junit.xml, reports/gameday.json, reports/gameday.html (exit $code)"
exit "$code"
