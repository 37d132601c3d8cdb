# A minimal OpenTelemetry Collector for the run-trace tests (test/report/otel-traces.test.ts): the
# OTLP receiver, the file exporter (from contrib; the test reads its JSON back) and the debug
# exporter, built with the OpenTelemetry Collector Builder from the Go module proxy and cached in
# $GAMEDAY_TOOLS/otelcol-<version>/bin/otelcol-gameday. Source after scripts/lib/tools.sh.

# One release for the builder and every component (the builder refuses mismatched core modules).
GAMEDAY_OTELCOL_VERSION="0.165.0"

otelcol_dir() { echo "$GAMEDAY_TOOLS/otelcol-$GAMEDAY_OTELCOL_VERSION"; }

# Builds in a temporary folder and renames the binary into place, so an interrupted build is never
# taken for a finished one. The builder compiles with -trimpath and -ldflags="-s -w" unless
# dist.debug_compilation is set; CGO_ENABLED=0 gives a static binary.
ensure_otelcol() {
  local dir v="$GAMEDAY_OTELCOL_VERSION" work start
  dir="$(otelcol_dir)"
  if [ -x "$dir/bin/otelcol-gameday" ]; then export PATH="$dir/bin:$PATH"; return 0; fi
  command -v go >/dev/null || die "go is missing: install Go >= 1.24 to build the OpenTelemetry Collector"
  start=$SECONDS
  work="$dir/build.partial"
  rm -rf "$work"; mkdir -p "$work" "$dir/bin"
  log "building the OpenTelemetry Collector $v (otlp receiver, file and debug exporters) into $dir"
  GOBIN="$work/builder-bin" GOFLAGS=-trimpath CGO_ENABLED=0 nice -n 19 \
    go install "go.opentelemetry.io/collector/cmd/builder@v$v" >&2 || die "go install of the collector builder v$v failed"
  cat >"$work/manifest.yaml" <<MANIFEST
dist:
  name: otelcol-gameday
  description: gameday test collector (otlp receiver, file and debug exporters)
  output_path: $work/out
  version: $v
receivers:
  - gomod: go.opentelemetry.io/collector/receiver/otlpreceiver v$v
exporters:
  - gomod: go.opentelemetry.io/collector/exporter/debugexporter v$v
  - gomod: github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter v$v
MANIFEST
  # The builder's own `go mod tidy` also resolves the test imports of the file exporter, one of
  # which (contrib's otlpencodingextension) the module proxy does not serve, so that step fails
  # after writing go.mod: tidy runs again here with -e (that module is never compiled into the
  # binary), then the builder compiles what it generated.
  (
    cd "$work"
    export GOFLAGS=-trimpath CGO_ENABLED=0
    ./builder-bin/builder --config manifest.yaml --skip-compilation >"$work/generate.log" 2>&1 ||
      grep -q otlpencodingextension "$work/generate.log" || { cat "$work/generate.log"; exit 1; }
    [ -f out/go.mod ] || { cat "$work/generate.log"; exit 1; }
    (cd out && go mod tidy -e >"$work/tidy.log" 2>&1) || { cat "$work/tidy.log"; exit 1; }
    nice -n 19 ./builder-bin/builder --config manifest.yaml --skip-generate --skip-get-modules
  ) >&2 || die "the collector builder v$v failed (manifest: $work/manifest.yaml)"
  mv "$work/out/otelcol-gameday" "$dir/bin/otelcol-gameday.partial"
  mv "$dir/bin/otelcol-gameday.partial" "$dir/bin/otelcol-gameday"
  rm -rf "$work"
  log "otelcol $v ready in $((SECONDS - start)) s: $dir/bin/otelcol-gameday"
  export PATH="$dir/bin:$PATH"
}
