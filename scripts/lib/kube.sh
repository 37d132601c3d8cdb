# The local Kubernetes control plane for the kubernetes tests: kube-apiserver, kube-controller-manager,
# kube-scheduler and kubectl from k8s.io/kubernetes, etcd from go.etcd.io/etcd/server/v3 (both through
# the wrapper module in scripts/kube/build) and kwok for fake nodes, built from the Go module proxy and
# cached in $GAMEDAY_TOOLS/kube-<version>/bin. The real node beside it: the kubelet of the same release
# and a static pause binary (scripts/kube/build/pause), cached in $GAMEDAY_TOOLS/kubelet-<version>/bin
# (a folder of its own, so a control plane built before the node existed stays valid), and Debian's
# containerd, runc and CNI plugins. Source after scripts/lib/tools.sh.

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

kubelet_bin_dir() { echo "$GAMEDAY_TOOLS/kubelet-$GAMEDAY_KUBE_VERSION/bin"; }

kubelet_built() { [ -x "$(kubelet_bin_dir)/kubelet" ] && [ -x "$(kubelet_bin_dir)/pause" ]; }

# The real node's runtime from Debian: containerd (ctr, the runc v2 shim), runc, the CNI plugins (only
# loopback is used: pods share the host's network) and stress-ng for the memory-pressure image.
ensure_node_packages() {
  local missing=()
  command -v containerd >/dev/null || missing+=(containerd)
  command -v runc >/dev/null || missing+=(runc)
  [ -x /usr/lib/cni/loopback ] || missing+=(containernetworking-plugins)
  command -v stress-ng >/dev/null || missing+=(stress-ng)
  command -v findmnt >/dev/null || missing+=(util-linux)
  [ "${#missing[@]}" = 0 ] || apt_install "${missing[@]}"
}

# The kubelet is built from the same wrapper module (and so the same release) as the control plane.
ensure_kubelet() {
  local dir tmp root start
  ensure_node_packages
  dir="$(kubelet_bin_dir)"
  if kubelet_built; then return 0; fi
  command -v go >/dev/null || die "go is missing: install Go >= 1.24 to build the kubelet"
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  tmp="$dir.partial"
  rm -rf "$tmp"; mkdir -p "$tmp"
  start=$SECONDS
  log "building the kubelet $GAMEDAY_KUBE_VERSION into $dir (cold: about 10 minutes after the control plane)"
  (
    cd "$root/scripts/kube/build"
    nice -n 19 go build -p "${KUBE_BUILD_JOBS:-$(nproc)}" -trimpath \
      -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$GAMEDAY_KUBE_VERSION" -o "$tmp/" k8s.io/kubernetes/cmd/kubelet
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/pause" ./pause
  ) >&2 || die "building the kubelet failed"
  rm -rf "$dir"; mv "$tmp" "$dir"
  log "kubelet $GAMEDAY_KUBE_VERSION ready in $((SECONDS - start)) s: $dir"
}
