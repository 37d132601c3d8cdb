#!/usr/bin/env bash
# Builds the containerised sandbox's images from binaries already on this machine, so no registry
# is needed: each image is a rootfs (the binaries plus the shared libraries ldd names) turned into
# an image with `docker import`. With a registry, `docker compose build` uses docker/*.Dockerfile
# and the upstream images instead (README: "The sandbox under Docker Compose").
#
#   gameday/sandbox:local     Node (the one on PATH) + dist/ + production node_modules
#   gameday/toxiproxy:2.12.0  the toxiproxy-server the setup built
#   gameday/prometheus:local  Debian's /usr/bin/prometheus
#   gameday/redis:local       Debian's redis-server
#
# An image is rebuilt only when its inputs changed (a content hash kept as the label gameday.hash).
# Needs: docker (engine up), node, npm, and a built dist/ (npm run build).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[images] %s\n' "$*" >&2; }
die() { printf '\033[31m[images] %s\033[0m\n' "$*" >&2; exit 1; }

TOOLS="${GAMEDAY_TOOLS:-$HOME/.cache/gameday-tools}"
TOXIPROXY_VERSION=2.12.0
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gameday-images.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Copies binaries and every library they load (and the loader) into a rootfs.
add_binaries() {
  local root="$1" dest="$2"; shift 2
  mkdir -p "$root$dest" "$root/tmp" "$root/etc"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
  local bin lib
  for bin in "$@"; do
    cp -L "$bin" "$root$dest/"
    for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
      [ -e "$lib" ] && cp -L --parents "$lib" "$root/"
    done
  done
}

# Imports a rootfs unless an image with the same content hash exists.
import_image() {
  local root="$1" tag="$2" hash="$3"; shift 3
  if [ "$(docker image inspect -f '{{index .Config.Labels "gameday.hash"}}' "$tag" 2>/dev/null || true)" = "$hash" ]; then
    log "$tag is up to date"
    return 0
  fi
  local changes=(--change "LABEL gameday.hash=$hash" --change "LABEL gameday.image=$tag")
  local c
  for c in "$@"; do changes+=(--change "$c"); done
  tar -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
  # The previous build of this tag is now dangling: remove it (only ours, by label).
  docker image prune -f --filter "label=gameday.image=$tag" >/dev/null
  log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
}

hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

build_sandbox() {
  local node; node="$(readlink -f "$(command -v node)")"
  [ -f dist/sandbox-services/payments.js ] || die "dist/ is missing: run npm run build first"
  local hash
  hash="$(hash_of "$node" package-lock.json $(find dist/src dist/sandbox-services -name '*.js' | sort))"
  if [ "$(docker image inspect -f '{{index .Config.Labels "gameday.hash"}}' gameday/sandbox:local 2>/dev/null || true)" = "$hash" ]; then
    log "gameday/sandbox:local is up to date"
    return 0
  fi
  local root="$WORK/sandbox"
  add_binaries "$root" /usr/local/bin "$node"
  mkdir -p "$root/app/dist"
  cp -r dist/src dist/sandbox-services "$root/app/dist/"
  cp package.json "$root/app/"
  # Production dependencies only, exactly as installed here (no registry, no install scripts).
  { npm ls --omit=dev --all --parseable 2>/dev/null || true; } | grep '/node_modules/' | sed "s#^$PWD/##" | sort -u >"$WORK/prod-modules"
  local m
  while read -r m; do
    [ -e "$root/app/$m" ] && continue # already copied with its parent package
    mkdir -p "$root/app/$(dirname "$m")"
    cp -r "$m" "$root/app/$(dirname "$m")/"
  done <"$WORK/prod-modules"
  import_image "$root" gameday/sandbox:local "$hash" \
    "WORKDIR /app" "ENV PATH=/usr/local/bin:/usr/bin:/bin" "ENV NODE_ENV=production" \
    'CMD ["node", "dist/sandbox-services/gateway.js"]'
}

build_toxiproxy() {
  local bin="$TOOLS/toxiproxy-$TOXIPROXY_VERSION/bin/server"
  [ -x "$bin" ] || bin="$(command -v toxiproxy-server || true)"
  [ -n "$bin" ] && [ -x "$bin" ] || die "toxiproxy-server not found: run the setup (scripts/lib/tools.sh ensure_toxiproxy)"
  local root="$WORK/toxiproxy"
  add_binaries "$root" / "$bin"
  [ "$(basename "$bin")" = toxiproxy ] || mv "$root/$(basename "$bin")" "$root/toxiproxy"
  import_image "$root" "gameday/toxiproxy:$TOXIPROXY_VERSION" "$(hash_of "$bin")" \
    'ENTRYPOINT ["/toxiproxy"]' 'CMD ["-host=127.0.0.1"]'
}

build_prometheus() {
  local bin; bin="$(command -v prometheus || echo /usr/bin/prometheus)"
  [ -x "$bin" ] || die "prometheus not found: install Debian's prometheus"
  local root="$WORK/prometheus"
  add_binaries "$root" /bin "$bin"
  import_image "$root" gameday/prometheus:local "$(hash_of "$bin")" 'ENTRYPOINT ["/bin/prometheus"]'
}

build_redis() {
  local bin; bin="$(command -v redis-server || true)"
  [ -n "$bin" ] || die "redis-server not found: install Debian's redis-server"
  local root="$WORK/redis"
  add_binaries "$root" /usr/local/bin "$bin"
  import_image "$root" gameday/redis:local "$(hash_of "$bin")" "ENV PATH=/usr/local/bin:/usr/bin:/bin" \
    'CMD ["redis-server"]'
}

docker info >/dev/null 2>&1 || die "no Docker Engine answers (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock})"
build_sandbox
build_toxiproxy
build_prometheus
build_redis
