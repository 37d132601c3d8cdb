# Jaeger, the tracing backend the sandbox's services can export their spans to (SANDBOX_OTLP_TRACES):
# built from the Go module proxy as a tool of a throw-away module (its own go.mod has replace
# directives, so `go install pkg@version` refuses it), with the placeholder UI (the real UI's
# assets are not in the module) and in-memory storage, and cached in
# $GAMEDAY_TOOLS/jaeger-<version>/bin/jaeger. Source after scripts/lib/tools.sh.

GAMEDAY_JAEGER_VERSION="1.75.0"

jaeger_dir() { echo "$GAMEDAY_TOOLS/jaeger-$GAMEDAY_JAEGER_VERSION"; }

# Builds in a temporary folder and renames the binary into place, so an interrupted build is never
# taken for a finished one.
ensure_jaeger() {
  local dir v="$GAMEDAY_JAEGER_VERSION" work start
  dir="$(jaeger_dir)"
  if [ -x "$dir/bin/jaeger" ]; then export PATH="$dir/bin:$PATH"; return 0; fi
  command -v go >/dev/null || die "go is missing: install Go >= 1.24 to build Jaeger"
  start=$SECONDS
  work="$dir/build.partial"
  rm -rf "$work"; mkdir -p "$work" "$dir/bin"
  log "building Jaeger $v (OTLP receiver, memory storage, query API) into $dir"
  (
    set -e # a subshell tested by `||` runs without it otherwise
    cd "$work"
    export GOFLAGS=-trimpath CGO_ENABLED=0
    go mod init gameday-jaeger-build >/dev/null
    nice -n 19 go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@v$v"
    nice -n 19 go build -ldflags="-s -w" -o "$dir/bin/jaeger.partial" github.com/jaegertracing/jaeger/cmd/jaeger
  ) >&2 || die "building Jaeger v$v failed (in $work)"
  mv "$dir/bin/jaeger.partial" "$dir/bin/jaeger"
  rm -rf "$work"
  log "jaeger $v ready in $((SECONDS - start)) s: $dir/bin/jaeger"
  export PATH="$dir/bin:$PATH"
}
