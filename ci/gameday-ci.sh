#!/usr/bin/env bash
# The steps a CI job takes around `gameday run`, shared by the GitHub Action (action.yml) and the
# GitLab CI template (ci/gitlab/gameday.gitlab-ci.yml), so both behave the same:
#   gameday-ci.sh install        npm ci (only when the lock changed) and the build, in $GAMEDAY_CI_HOME
#   gameday-ci.sh sandbox-up     the demo sandbox (Toxiproxy and Prometheus installed if missing)
#   gameday-ci.sh run            gameday run with every report; exits with gameday's own exit code
#   gameday-ci.sh summary        the Markdown report into $GITHUB_STEP_SUMMARY (or the log)
#   gameday-ci.sh sandbox-down   stops the demo sandbox
# Every input comes from the environment (GAMEDAY_CI_*) and is only ever expanded quoted or split
# into words, never evaluated: the values may come from a pull request.
set -euo pipefail

GAMEDAY_CI_HOME="${GAMEDAY_CI_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CLI="$GAMEDAY_CI_HOME/dist/src/cli/main.js"

say() { printf '[gameday-ci] %s\n' "$*" >&2; }
# Usage errors exit 2, as gameday's own do.
usage_error() {
  say "error: $*"
  exit 2
}

in_workdir() {
  local dir="${GAMEDAY_CI_WORKDIR:-.}"
  [ -d "$dir" ] || usage_error "working directory '$dir' does not exist"
  cd "$dir"
}

sandbox_enabled() {
  local v="${GAMEDAY_CI_SANDBOX:-false}"
  case "${v,,}" in
    true) return 0 ;;
    false | "") return 1 ;;
    *) usage_error "sandbox must be true or false, got '${GAMEDAY_CI_SANDBOX}'" ;;
  esac
}

# The repository's own tool helpers (tools.sh turns on -euo pipefail, as here).
tools() {
  # shellcheck source=../scripts/lib/tools.sh
  source "$GAMEDAY_CI_HOME/scripts/lib/tools.sh"
}

cmd_install() {
  cd "$GAMEDAY_CI_HOME"
  local v major
  v="$(node -p 'process.versions.node' 2>/dev/null || echo 0)"
  major="${v%%.*}"
  [ "$major" -ge 22 ] || usage_error "node $v on PATH is too old: gameday needs Node 22.12 or newer"
  tools
  ensure_build
}

cmd_sandbox_up() {
  sandbox_enabled || return 0
  local home="$GAMEDAY_CI_HOME"
  in_workdir
  local here="$PWD"
  (cd "$home" && tools && ensure_toxiproxy && ensure_prometheus)
  local -a breaks=() up=()
  read -r -a breaks <<<"${GAMEDAY_CI_SANDBOX_BREAK:-}" || true
  for b in "${breaks[@]}"; do up+=(--break "$b"); done
  cd "$here"
  node "$CLI" sandbox up "${up[@]}"
}

cmd_sandbox_down() {
  sandbox_enabled || return 0
  in_workdir
  node "$CLI" sandbox down
}

# 0 passed, 1 failed, 2 invalid, 3 aborted, 4 not run, 5 error (docs/design.md).
verdict_of() {
  case "$1" in
    0) echo passed ;;
    1) echo failed ;;
    2) echo invalid ;;
    3) echo aborted ;;
    4) echo not-run ;;
    *) echo error ;;
  esac
}

# The outputs of a GitHub step (a no-op elsewhere); also printed for any CI log. Once per run.
OUTPUTS_SET=0
set_outputs() {
  local code="$1" dir="$2" verdict
  [ "$OUTPUTS_SET" = 0 ] || return 0
  OUTPUTS_SET=1
  verdict="$(verdict_of "$code")"
  say "verdict: $verdict (exit $code), reports in $dir"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
      echo "verdict=$verdict"
      echo "exit-code=$code"
      echo "report-dir=$dir"
    } >>"$GITHUB_OUTPUT"
  fi
}

# Words of a space- or newline-separated list; a word with glob characters is expanded (sorted) when
# it matches, and kept as written when it does not, so gameday names the missing file (exit 2).
expand_files() {
  local -a words=()
  local w m
  read -r -d '' -a words <<<"$1" || true
  for w in "${words[@]}"; do
    if [[ "$w" == *[*?[]* ]] && compgen -G "$w" >/dev/null; then
      while IFS= read -r m; do printf '%s\n' "$m"; done < <(compgen -G "$w" | LC_ALL=C sort)
    else
      printf '%s\n' "$w"
    fi
  done
}

REPORT_DIR=""
cmd_run() {
  # Whatever ends this step (a usage error included) is recorded as its exit code and verdict.
  trap 'set_outputs "$?" "$REPORT_DIR"' EXIT
  sandbox_enabled || : # a value other than true or false is a usage error here too
  in_workdir
  REPORT_DIR="${GAMEDAY_CI_REPORT_DIR:-reports/gameday}"
  mkdir -p "$REPORT_DIR" || usage_error "cannot create the report folder '$REPORT_DIR'"
  REPORT_DIR="$(cd "$REPORT_DIR" && pwd)"
  local report_dir="$REPORT_DIR"
  local targets="${GAMEDAY_CI_TARGETS:-targets.yaml}"
  local -a files=() args=() extra=()
  mapfile -t files < <(expand_files "${GAMEDAY_CI_FILES:-}")
  if [ "${#files[@]}" = 0 ]; then
    if sandbox_enabled; then
      # Trying gameday on its own demo: its game day against its own sandbox target.
      files=("$GAMEDAY_CI_HOME/gamedays/demo.yaml")
      targets="$GAMEDAY_CI_HOME/targets.yaml"
      say "no files given: running the demo game day against the sandbox"
    else
      usage_error "no experiment or game-day files given (input files / GAMEDAY_CI_FILES)"
    fi
  fi
  args+=(--targets "$targets")
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [ -z "$line" ] || args+=(--var "$line")
  done <<<"${GAMEDAY_CI_VARS:-}"
  [ -z "${GAMEDAY_CI_VAR_FILE:-}" ] || args+=(--var-file "$GAMEDAY_CI_VAR_FILE")
  read -r -d '' -a extra <<<"${GAMEDAY_CI_ARGS:-}" || true
  local code=0
  node "$CLI" run "${files[@]}" "${args[@]}" \
    --junit "$report_dir/junit.xml" --report "$report_dir/report.md" \
    --html "$report_dir/report.html" --json "$report_dir/report.json" \
    "${extra[@]}" || code=$?
  set_outputs "$code" "$report_dir"
  exit "$code"
}

# GitHub limits a step's summary to 1 MiB; a longer report is cut, and the artifact has all of it.
SUMMARY_LIMIT=1000000

cmd_summary() {
  in_workdir
  local dir="${GAMEDAY_CI_REPORT_DIR:-reports/gameday}"
  local code="${GAMEDAY_CI_EXIT_CODE:-}"
  local out="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
  local report="$dir/report.md"
  {
    if [ -z "$code" ]; then
      echo "### gameday did not run"
      echo
      echo "An earlier step failed; see the job's log."
    else
      echo "### gameday: $(verdict_of "$code") (exit $code)"
      echo
      if [ -s "$report" ]; then
        if [ "$(wc -c <"$report")" -gt "$SUMMARY_LIMIT" ]; then
          head -c "$SUMMARY_LIMIT" "$report"
          echo
          echo
          echo "(report cut at $SUMMARY_LIMIT bytes: the whole report.md is in the reports artifact)"
        else
          cat "$report"
        fi
      else
        echo "gameday wrote no report (exit $code: see the job's log)."
      fi
    fi
    echo
  } >>"$out"
}

case "${1:-}" in
  install) cmd_install ;;
  sandbox-up) cmd_sandbox_up ;;
  run) cmd_run ;;
  summary) cmd_summary ;;
  sandbox-down) cmd_sandbox_down ;;
  *) usage_error "usage: gameday-ci.sh install|sandbox-up|run|summary|sandbox-down" ;;
esac
