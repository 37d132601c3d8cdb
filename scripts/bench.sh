#!/usr/bin/env bash
# Benchmarks against a private Toxiproxy and upstream on 127.0.0.1 (never the shared sandbox stack),
# with Chaos Toolkit side by side when it can be installed. Usage: npm run bench -- [--quick] [--only 1,6a]
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
if [ -n "${GAMEDAY_BENCH_NO_INSTALL:-}" ]; then
  # Escape hatch for a checkout whose node_modules are fine but whose `npm ci` cannot run (say, a lock
  # file out of sync): build with what is installed instead of reinstalling.
  ensure_node
  ensure_toxiproxy
  log "GAMEDAY_BENCH_NO_INSTALL is set: building with node_modules as they are (no npm ci)"
  npm run build --silent
else
  ensure_all # the docker section needs the engine and the sandbox images
fi

CHAOSTOOLKIT_VERSION="1.21.4"
CHAOSTOOLKIT_TOXIPROXY_VERSION="0.3.1"

# chaostoolkit 1.20+ requires Python >= 3.12; the machine's python3 may be older, so also look at
# versioned interpreters and pyenv's installs before giving up.
find_python312() {
  local c candidates=(python3 python3.13 python3.12)
  if command -v pyenv >/dev/null; then
    for c in "$(pyenv root)"/versions/3.1[2-9]*/bin/python3; do candidates+=("$c"); done
  fi
  for c in "${candidates[@]}"; do
    if "$c" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

# A venv outside the repo, keyed by version; the stamp is written last, so a half-finished install
# is redone rather than trusted.
ensure_chaostoolkit() {
  local venv="$GAMEDAY_TOOLS/venv-chaostoolkit-$CHAOSTOOLKIT_VERSION"
  local want="chaostoolkit==$CHAOSTOOLKIT_VERSION chaostoolkit-toxiproxy==$CHAOSTOOLKIT_TOXIPROXY_VERSION"
  if [ -f "$venv/.gameday-ok" ] && [ "$(cat "$venv/.gameday-ok")" = "$want" ]; then
    export GAMEDAY_BENCH_CHAOS_VENV="$venv"
    return 0
  fi
  local py
  if ! py="$(find_python312)"; then
    export GAMEDAY_BENCH_PEER_UNAVAILABLE="chaostoolkit $CHAOSTOOLKIT_VERSION needs Python >= 3.12 with venv; found $(python3 --version 2>&1 || echo 'no python3')"
    return 0
  fi
  log "installing $want into $venv (python $("$py" --version 2>&1 | cut -d' ' -f2))"
  rm -rf "$venv"
  local out
  if ! out="$("$py" -m venv "$venv" 2>&1 && "$venv/bin/pip" install -q --disable-pip-version-check $want 2>&1)"; then
    rm -rf "$venv"
    export GAMEDAY_BENCH_PEER_UNAVAILABLE="could not install $want: $(printf '%s' "$out" | tail -n 1)"
    return 0
  fi
  echo "$want" > "$venv/.gameday-ok"
  export GAMEDAY_BENCH_CHAOS_VENV="$venv"
}

ensure_chaostoolkit
if [ -n "${GAMEDAY_BENCH_PEER_UNAVAILABLE:-}" ]; then
  printf '\033[33mpeer unavailable: %s\033[0m\n' "$GAMEDAY_BENCH_PEER_UNAVAILABLE" >&2
fi
log "node dist/bench/run-all.js $*"
exec node dist/bench/run-all.js "$@"
