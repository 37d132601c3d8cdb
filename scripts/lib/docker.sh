# Docker Engine and Compose for the docker fault family and the containerised sandbox (issue #3).
# Source, don't run. Needs log/die/apt_install from tools.sh.
#
# dockerd is started, when nothing answers on the socket, with:
#   --bridge=none --iptables=false --ip-forward=false --ip-masq=false
# because every gameday container uses host networking: without docker0 no container can get a
# bridge address (the network rule: traffic stays on 127.0.0.1), and dockerd leaves the host's
# iptables and ip_forward alone. overlay2 works on this kernel, so no storage-driver flag is needed;
# set GAMEDAY_DOCKERD_ARGS to add one (e.g. --storage-driver=vfs) where overlay is unavailable.

GAMEDAY_DOCKER_SOCKET="${GAMEDAY_DOCKER_SOCKET:-/var/run/docker.sock}"

# Compose v2 (`docker compose`) when the plugin is there, else Debian's v1 (`docker-compose`).
ensure_compose() {
  if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; then return 0; fi
  if apt-cache show docker-compose-plugin >/dev/null 2>&1; then
    apt_install docker-compose-plugin
  else
    log "installing Debian docker-compose (Compose v1; no compose plugin package here)"
    apt_install docker-compose
  fi
}

ensure_dockerd() {
  command -v dockerd >/dev/null && command -v docker >/dev/null || {
    log "installing Debian docker.io"
    apt_install docker.io
  }
  ensure_compose
  # ip and nsenter: the network-outage test runs a private dockerd in a network namespace it makes
  command -v ip >/dev/null || apt_install iproute2
  command -v nsenter >/dev/null || apt_install util-linux
  export DOCKER_HOST="unix://$GAMEDAY_DOCKER_SOCKET"
  if docker info >/dev/null 2>&1; then return 0; fi
  local dir="$GAMEDAY_TOOLS/docker"
  mkdir -p "$dir"
  log "starting dockerd on $GAMEDAY_DOCKER_SOCKET (no bridge, no iptables; log $dir/dockerd.log)"
  # shellcheck disable=SC2086 # GAMEDAY_DOCKERD_ARGS is a list of flags
  setsid nohup dockerd --host "unix://$GAMEDAY_DOCKER_SOCKET" --pidfile "$dir/dockerd.pid" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    ${GAMEDAY_DOCKERD_ARGS:-} >"$dir/dockerd.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 120); do
    docker info >/dev/null 2>&1 && { log "dockerd $(docker version -f '{{.Server.Version}}') is up"; return 0; }
    sleep 0.5
  done
  tail -20 "$dir/dockerd.log" >&2
  die "dockerd did not answer on $GAMEDAY_DOCKER_SOCKET within 60 s (log: $dir/dockerd.log)"
}

# The sandbox images, built from local binaries (no registry needed): see docker/build-images.sh.
ensure_docker_images() {
  command -v redis-server >/dev/null || apt_install redis-server # the Redis image is built from it
  bash docker/build-images.sh >&2
}

ensure_docker() {
  ensure_dockerd
  ensure_docker_images
}
