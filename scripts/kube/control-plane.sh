#!/usr/bin/env bash
# A real, local Kubernetes cluster for gameday: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, a real node (containerd + runc + the kubelet, scripts/kube/node.sh; pods run for real,
# on host networking) and kwok (a pool of fake nodes for scale tests, tainted gameday.dev/kwok so only
# pods that tolerate it go there). Everything binds to 127.0.0.1. Usage: control-plane.sh start|stop|status|build
#   GAMEDAY_KUBE_NODE=0     no real node (control plane and kwok only)
#   GAMEDAY_KUBE_KWOK=0     no kwok nodes (control plane and the real node only)
#   GAMEDAY_KUBE_STATE      state dir (default .gameday/kube): certs, etcd data, logs, pids, kubeconfig
#   GAMEDAY_KUBE_PORT_BASE  ports base+3 (API server), +79/+80 (etcd), +57 (controller-manager),
#                           +59 (scheduler), +47 (kwok), +10/+11/+12 (kubelet, healthz, read-only metrics); default 26400 (below the ephemeral range 32768-60999, so no outgoing connection can hold one)
# The kubeconfig has two contexts: gameday-admin (system:masters) and, once a test makes one, others.
set -euo pipefail
# Under set -e a failed command ends the script; say which, so a teardown never fails silently.
# node.sh adds its own clean-ups to exit_hooks rather than replacing this trap.
command_name="${1:-}"
exit_hooks=()
on_exit() {
  local rc=$? last="$BASH_COMMAND" h
  for h in "${exit_hooks[@]}"; do eval "$h" || true; done
  [ "$rc" = 0 ] || echo "control-plane.sh $command_name: exit $rc after \"$last\"" >&2
}
trap on_exit EXIT
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source scripts/lib/tools.sh


state="$(realpath -m "${GAMEDAY_KUBE_STATE:-$root/.gameday/kube}")"
base="${GAMEDAY_KUBE_PORT_BASE:-26400}"
api_port=$((base + 3)) etcd_port=$((base + 79)) peer_port=$((base + 80))
kcm_port=$((base + 57)) sched_port=$((base + 59)) kwok_port=$((base + 47))
components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
kubeconfig="$state/kubeconfig"
with_node="${GAMEDAY_KUBE_NODE:-1}"
with_kwok="${GAMEDAY_KUBE_KWOK:-1}"

running() { [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

launch() { # name, args...: started in its own session so a test runner's signals do not reach it
  local name="$1"; shift
  setsid "$(kube_bin_dir)/$name" "$@" >"$state/$name.log" 2>&1 < /dev/null &
  echo $! >"$state/$name.pid"
}

certs() {
  local d="$state/pki"
  [ -f "$d/apiserver.crt" ] && return 0
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=gameday-kube-ca" \
    -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$d/apiserver.key" -out "$d/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' >"$d/san.ext"
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 3650 \
    -extfile "$d/san.ext" -out "$d/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  echo "$(openssl rand -hex 24),gameday-admin,gameday-admin,system:masters" >"$d/tokens.csv"
}

write_kubeconfig() {
  local token; token="$(grep ",gameday-admin,gameday-admin," "$state/pki/tokens.csv" | cut -d, -f1)"
  cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: gameday-local
  cluster: { server: "https://127.0.0.1:$api_port", certificate-authority: "$state/pki/ca.crt" }
users:
- name: gameday-admin
  user: { token: "$token" }
contexts:
- name: gameday-admin
  context: { cluster: gameday-local, user: gameday-admin }
current-context: gameday-admin
EOF
}

wait_for() { # description, seconds, command...
  local what="$1" secs="$2"; shift 2
  for _ in $(seq 1 $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  [ -f "$state/$what.log" ] && tail -8 "$state/$what.log" >&2 # the cause (a port held, say) in the error itself
  die "$what not ready after ${secs}s; logs in $state"
}

kubectl_() { "$(kube_bin_dir)/kubectl" --kubeconfig "$kubeconfig" "$@"; }

# shellcheck source=node-images.sh
source scripts/kube/node-images.sh
# shellcheck source=node.sh
source scripts/kube/node.sh

start() {
  [ "$with_kwok" = 1 ] || kube_binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd)
  ensure_kube
  [ "$with_node" = 0 ] || ensure_kubelet
  mkdir -p "$state"
  if running kube-apiserver && kubectl_ get --raw /readyz >/dev/null 2>&1 &&
    { [ "$with_node" = 0 ] || { running kubelet && running containerd && node_ready; }; }; then
    # Images rebuilt since the node started (stamps are keyed by image id, so this is cheap otherwise).
    [ "$with_node" = 0 ] || node_import_images "$node_dir/containerd/.gameday-imported" ctr_
    log "kube cluster already running at https://127.0.0.1:$api_port ($kubeconfig)"; return 0
  fi
  stop_all quiet
  certs; node_token; write_kubeconfig
  local t0=$SECONDS pki="$state/pki"
  launch etcd --name gameday --data-dir "$state/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "gameday=http://127.0.0.1:$peer_port" \
    --unsafe-no-fsync --quota-backend-bytes 1073741824
  wait_for etcd 30 curl -sf "http://127.0.0.1:$etcd_port/health"
  launch kube-apiserver --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --token-auth-file "$pki/tokens.csv" --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$pki/sa.pub" \
    --service-account-signing-key-file "$pki/sa.key" --service-cluster-ip-range 10.96.0.0/24 \
    --endpoint-reconciler-type none --allow-privileged=true --profiling=false
  wait_for kube-apiserver 90 kubectl_ get --raw /readyz
  launch kube-controller-manager --kubeconfig "$kubeconfig" --authentication-kubeconfig "$kubeconfig" \
    --authorization-kubeconfig "$kubeconfig" --bind-address 127.0.0.1 --secure-port "$kcm_port" \
    --leader-elect=false --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --concurrent-deployment-syncs 5 --concurrent-replicaset-syncs 5
  launch kube-scheduler --kubeconfig "$kubeconfig" --authentication-kubeconfig "$kubeconfig" \
    --authorization-kubeconfig "$kubeconfig" --bind-address 127.0.0.1 --secure-port "$sched_port" --leader-elect=false
  [ "$with_kwok" = 0 ] || start_kwok
  wait_for "default service account" 60 kubectl_ get serviceaccount default -n default
  log "kube control plane up in $((SECONDS - t0)) s at https://127.0.0.1:$api_port; KUBECONFIG=$kubeconfig"
  [ "$with_node" = 0 ] || node_start
}

start_kwok() {
  launch kwok --kubeconfig "$kubeconfig" --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --server-address "127.0.0.1:$kwok_port" --node-ip 127.0.0.1 --node-lease-duration-seconds 40
  for n in 0 1; do
    kubectl_ apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$n
  annotations: { kwok.x-k8s.io/node: fake }
  labels: { type: kwok, kubernetes.io/hostname: kwok-node-$n }
spec:
  taints: [{ key: gameday.dev/kwok, value: "true", effect: NoSchedule }]
status:
  allocatable: { cpu: "32", memory: 64Gi, pods: "110" }
  capacity: { cpu: "32", memory: 64Gi, pods: "110" }
EOF
  done
  wait_for "kwok nodes" 60 bash -c "'$(kube_bin_dir)/kubectl' --kubeconfig '$kubeconfig' get nodes -l type=kwok --no-headers | grep -c ' Ready' | grep -qx 2"
}

stop_all() {
  local c pid
  node_stop
  for c in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    if running "$c"; then
      pid="$(cat "$state/$c.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$state/$c.pid"
  done
  # A fresh etcd per start: tests must not depend on what an earlier run left.
  rm -rf "$state/etcd"
  [ "${1:-}" = quiet ] || log "kube control plane stopped"
}

status() {
  local c
  for c in "${components[@]}"; do
    if running "$c"; then echo "$c running (pid $(cat "$state/$c.pid"))"; else echo "$c stopped"; fi
  done
  node_status
  echo "kubeconfig: $kubeconfig"
}

case "${1:-}" in
  start) start ;;
  stop) stop_all ;;
  status) status ;;
  build) ensure_kube; [ "$with_node" = 0 ] || ensure_kubelet ;;
  *) echo "usage: $0 start|stop|status|build" >&2; exit 2 ;;
esac
