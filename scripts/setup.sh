#!/usr/bin/env bash
# Installs what a fresh machine lacks for the demo and the tests, then builds. Idempotent.
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
ensure_demo
log "ready: node $(node --version), $(command -v toxiproxy-server), prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}')"
