# The local Kubernetes control plane for the kubernetes tests: kube-apiserver, kube-controller-manager,
# kube-scheduler and kubectl from k8s.io/kubernetes, etcd from go.etcd.io/etcd/server/v3 (both through
# the wrapper module in scripts/kube/build) and kwok for fake nodes, built from the Go module proxy and
# cached in $GAMEDAY_TOOLS/kube-<version>/bin. Source after scripts/lib/tools.sh.

GAMEDAY_KUBE_VERSION="1.34.4"
GAMEDAY_KWOK_VERSION="0.7.0"

kube_bin_dir() { echo "$GAMEDAY_TOOLS/kube-$GAMEDAY_KUBE_VERSION/bin"; }

kube_binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

kube_built() {
  local b dir
  dir="$(kube_bin_dir)"
  for b in "${kube_binaries[@]}"; do [ -x "$dir/$b" ] || return 1; done
}

# Builds into a temporary folder and renames it into place, so an interrupted build is never taken for a
# finished one. KUBE_BUILD_JOBS is go build's -p (default: all cores; 1 on a shared machine).
ensure_kube() {
  local dir root tmp start
  dir="$(kube_bin_dir)"
  # control-plane.sh needs these to make certificates and probe etcd.
  command -v openssl >/dev/null || apt_install openssl
  command -v curl >/dev/null || apt_install curl
  if kube_built; then export PATH="$dir:$PATH"; return 0; fi
  command -v go >/dev/null || die "go is missing: install Go >= 1.24 to build the Kubernetes control plane"
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  tmp="$GAMEDAY_TOOLS/kube-$GAMEDAY_KUBE_VERSION/bin.partial"
  rm -rf "$tmp"; mkdir -p "$tmp"
  start=$SECONDS
  log "building the Kubernetes $GAMEDAY_KUBE_VERSION control plane into $dir (cold: tens of minutes)"
  (
    cd "$root/scripts/kube/build"
    nice -n 19 go build -p "${KUBE_BUILD_JOBS:-$(nproc)}" -trimpath -ldflags "-s -w" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl ./etcd
  ) >&2 || die "building the Kubernetes control plane failed"
  log "control plane built in $((SECONDS - start)) s; building kwok $GAMEDAY_KWOK_VERSION"
  GOBIN="$tmp" nice -n 19 go install -p "${KUBE_BUILD_JOBS:-$(nproc)}" -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@v$GAMEDAY_KWOK_VERSION" >&2 || die "building kwok failed"
  rm -rf "$dir"; mv "$tmp" "$dir"
  log "kube $GAMEDAY_KUBE_VERSION ready in $((SECONDS - start)) s: $dir"
  export PATH="$dir:$PATH"
}
