# Redis for the queue, workers, schedules and run history (issue #4). Source, don't run.
# Installs Debian's redis-server when missing and starts one on $REDIS_URL (default
# redis://127.0.0.1:6379) unless something already answers there. Persistence is on (AOF,
# fsync every write) in $GAMEDAY_TOOLS/redis-data, so run history survives a Redis restart.

ensure_redis() {
  local url="${REDIS_URL:-redis://127.0.0.1:6379}"
  local hostport="${url#redis://}"
  hostport="${hostport##*@}"
  hostport="${hostport%%/*}"
  local host="${hostport%%:*}" port="${hostport##*:}"
  [ "$port" = "$hostport" ] && port=6379
  if ! command -v redis-server >/dev/null; then
    log "installing Debian redis-server"
    apt_install redis-server
  fi
  if redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1; then return 0; fi
  case "$host" in 127.0.0.1 | localhost) ;; *) die "Redis at $url does not answer (and it is not local, so it is not started here)" ;; esac
  local dir="$GAMEDAY_TOOLS/redis-data-$port"
  mkdir -p "$dir"
  log "starting redis-server on 127.0.0.1:$port (data in $dir)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --appendonly yes --appendfsync always --save "" --logfile "$dir/redis.log" >&2 ||
    die "redis-server did not start (see $dir/redis.log)"
  local i
  for i in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "redis-server on 127.0.0.1:$port did not answer within 5 s (see $dir/redis.log)"
}
