#!/usr/bin/env bash
# The demo game day: sets up, starts the sandbox stack, runs experiments/*.yaml, writes reports.
#   npm run demo                      -> exits 0 when every countermeasure held
#   npm run demo -- --break breaker   -> same game day with orders' breaker switched off: exits 1
#   (any switch of the inventory in sandbox-services/README.md, e.g. --break retry-budget,
#   --break orders-bulkhead, --break timeout; validated by `gameday sandbox up`; --keep leaves the stack up)
#   npm run demo -- --prove           -> `gameday prove gamedays/demo.yaml`: the game day once healthy and
#                                        once per mutant; exits 0 only when every mutant is killed
#                                        (kill matrix in reports/kill-matrix.{md,json,xml}); two
#                                        mutants at a time unless GAMEDAY_PROVE_PARALLEL=1
#   npm run demo -- --runtime kubernetes  -> the Kubernetes game day (gamedays/kubernetes.yaml) on the
#                                            local cluster's real node (started, and stopped again, if needed);
#                                            with --prove, its kill matrix (reports/kill-matrix-kubernetes.*)
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
breaks=() keep=0 prove=0 runtime=process
while [ $# -gt 0 ]; do
  case "$1" in
    --break) breaks+=("$2"); shift 2 ;;
    --break=*) breaks+=("${1#--break=}"); shift ;;
    --runtime) runtime="$2"; shift 2 ;;
    --runtime=*) runtime="${1#--runtime=}"; shift ;;
    --keep) keep=1; shift ;;
    --prove) prove=1; shift ;;
    *) die "unknown option $1 (use --break <countermeasure>, --prove, --runtime process|kubernetes or --keep)" ;;
  esac
done
ensure_demo
gameday() { node dist/src/cli/main.js "$@"; }
up_args=()
for b in "${breaks[@]}"; do up_args+=(--break "$b"); done
if [ "$runtime" = kubernetes ]; then
  # control-plane.sh start builds (once) whatever the cluster lacks; GAMEDAY_KUBE_KWOK=0 skips kwok.
  ensure_docker # the sandbox images, imported into the node's containerd by control-plane.sh
  started_cluster=0
  if ! bash scripts/kube/control-plane.sh status 2>/dev/null | grep -q "node gameday-node Ready"; then
    started_cluster=1
  fi
  bash scripts/kube/control-plane.sh start
  cleanup() {
    node dist/src/cli/main.js sandbox down --runtime kubernetes >/dev/null 2>&1 || true
    [ "$started_cluster" = 0 ] || bash scripts/kube/control-plane.sh stop || true
  }
  [ "$keep" = 1 ] || trap cleanup EXIT
  gameday sandbox up --runtime kubernetes "${up_args[@]}" >/dev/null
  mkdir -p reports
  set +e
  if [ "$prove" = 1 ]; then
    [ "${#breaks[@]}" = 0 ] || die "--prove applies every mutant itself; drop --break"
    # One node, one sandbox: the mutants run one after another on it (each patches the Deployments).
    gameday prove gamedays/kubernetes.yaml --parallel 1 --junit reports/kill-matrix-kubernetes.xml --report reports/kill-matrix-kubernetes.md --json reports/kill-matrix-kubernetes.json
    code=$?
    log "kill matrix: reports/kill-matrix-kubernetes.md, reports/kill-matrix-kubernetes.xml, reports/kill-matrix-kubernetes.json (exit $code)"
    exit "$code"
  fi
  gameday run gamedays/kubernetes.yaml --junit reports/junit-kubernetes.xml --report reports/gameday-kubernetes.md --json reports/gameday-kubernetes.json
  code=$?
  set -e
  log "reports: reports/gameday-kubernetes.md, reports/junit-kubernetes.xml, reports/gameday-kubernetes.json (exit $code)"
  exit "$code"
fi
[ "$runtime" = process ] || die "unknown runtime $runtime (process or kubernetes)"
gameday sandbox up "${up_args[@]}" >/dev/null
[ "$keep" = 1 ] || trap 'node dist/src/cli/main.js sandbox down >/dev/null 2>&1 || true' EXIT
mkdir -p reports
set +e
if [ "$prove" = 1 ]; then
  [ "${#breaks[@]}" = 0 ] || die "--prove applies every mutant itself; drop --break"
  # Two mutants at a time (the second in an isolated sandbox on its own ports): one game day uses
  # about half a core, so two fit this 2-core machine. GAMEDAY_PROVE_PARALLEL=1 runs them serially.
  gameday prove gamedays/demo.yaml --parallel "${GAMEDAY_PROVE_PARALLEL:-2}" --junit reports/kill-matrix.xml --report reports/kill-matrix.md --json reports/kill-matrix.json
  code=$?
  log "kill matrix: reports/kill-matrix.md, reports/kill-matrix.xml, reports/kill-matrix.json (exit $code)"
  exit "$code"
fi
gameday run gamedays/demo.yaml --junit reports/junit.xml --report reports/gameday.md --json reports/gameday.json --html reports/gameday.html
code=$?
set -e
log "reports: reports/gameday.md, reports/junit.xml, reports/gameday.json, reports/gameday.html (exit $code)"
exit "$code"
