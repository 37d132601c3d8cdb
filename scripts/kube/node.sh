# The real node beside the control plane: a containerd of its own (socket, root, state and runc root
# under $state/node, never the one dockerd uses) and the kubelet, registered as node "gameday-node" with
# the label gameday.dev/node=real. Sourced by control-plane.sh, which sets state, base, kubeconfig,
# api_port and the helpers launch/running/wait_for/kubectl_.
#
# Why each setting:
# - cgroup driver cgroupfs: PID 1 here is not systemd (checked at start), so there is no systemd to
#   delegate to; the driver is the same in containerd (SystemdCgroup = false) and the kubelet.
# - cgroupRoot /gameday-kube-<base>: every kubelet removes pod cgroups it does not know under its root,
#   so two clusters on one machine (tests, bench, a user's) must never share one.
# - CNI: one loopback-only network. containerd reports the network Ready, so the node is Ready, and no
#   pod network, bridge or address is ever made; every pod uses hostNetwork (a pod without it fails to
#   start, which is what we want here).
# - address 127.0.0.1 for every kubelet port (base+10 API, +11 healthz, +12 read-only metrics, which the
#   sandbox's Prometheus scrapes for container_oom_events_total).
# - restrict_oom_score_adj: the machine may withhold CAP_SYS_RESOURCE even from root (this one does), and
#   then no process may lower its oom_score_adj; runc would fail every sandbox ("failed to update
#   /proc/self/oom_score_adj: Permission denied"). containerd then never sets one below its own.
# - imageGC off and imagePullPolicy Never in our manifests: the images exist only because they were
#   imported, there is no registry to pull them back from.
# - the kubelet writes vm.overcommit_memory=1, kernel.panic=10 and kernel.panic_on_oops=1 when it starts
#   (once; protectKernelDefaults would refuse to start instead): this machine is shared, so the values it
#   had are written back as soon as the node is Ready.
# - pods' memory is bounded as a whole (node allocatable GAMEDAY_NODE_MEMORY, default 4Gi, enforced on
#   the kubepods cgroup) so nothing on the node can take the shared machine's memory.

node_dir="$state/node"
node_name="gameday-node"
kubelet_port=$((base + 10)) kubelet_healthz=$((base + 11)) kubelet_ro=$((base + 12))
cgroup_root="/gameday-kube-$base"
ctr_sock="$node_dir/run/containerd.sock" # cadvisor finds containerd by a socket named containerd.sock

ctr_() { ctr --address "$ctr_sock" --namespace k8s.io "$@"; }

node_cgroup_driver() {
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    [ "$(cat /proc/1/comm)" = systemd ] && echo systemd || echo cgroupfs
  else
    echo cgroupfs
  fi
}

node_cgroup_version() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && echo 2 || echo 1; }

# The kubelet refuses a cgroupRoot that does not exist in every hierarchy; a cpuset starts empty in v1.
node_make_cgroup_root() {
  local h
  if [ "$(node_cgroup_version)" = 2 ]; then
    mkdir -p "/sys/fs/cgroup$cgroup_root"
    echo 800 >"/sys/fs/cgroup$cgroup_root/cpu.weight" 2>/dev/null || true
    return 0
  fi
  for h in /sys/fs/cgroup/*/; do
    h="${h%/}"
    [ "$(stat -fc %T "$h")" = cgroupfs ] || [ "$(stat -fc %T "$h")" = cgroup2fs ] || continue
    mkdir -p "$h$cgroup_root"
    if [ -f "$h/cpuset.cpus" ]; then
      cat "$h/cpuset.cpus" >"$h$cgroup_root/cpuset.cpus"
      cat "$h/cpuset.mems" >"$h$cgroup_root/cpuset.mems"
    fi
  done
  # Every process outside a cgroup competes with the whole node as one: give the node the weight of
  # the eight or so processes the same stack has when it runs as plain processes, no more.
  [ -f "/sys/fs/cgroup/cpu$cgroup_root/cpu.shares" ] && echo 8192 >"/sys/fs/cgroup/cpu$cgroup_root/cpu.shares"
  return 0
}

# Depth first; only our own root. A cgroup with a process left in it stays (and is reported).
node_remove_cgroup_root() {
  local d left=0
  for d in $(find /sys/fs/cgroup/ -maxdepth 2 -type d -path "*$cgroup_root" 2>/dev/null); do
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [ -d "$d" ] && left=1
  done
  [ "$left" = 0 ] || log "some cgroups under $cgroup_root still hold processes"
}

node_write_config() {
  local mem_total_kib reserve_mi
  mkdir -p "$node_dir/run" "$node_dir/containerd" "$node_dir/cni" "$node_dir/kubelet" "$node_dir/pod-logs"
  cat >"$node_dir/containerd.toml" <<EOF
version = 2
root = "$node_dir/containerd"
state = "$node_dir/run/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$ctr_sock"
[ttrpc]
  address = "$node_dir/run/containerd.sock.ttrpc"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$node_dir/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$NODE_PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    discard_unpacked_layers = false
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        Root = "$node_dir/run/runc"
        SystemdCgroup = $([ "$(node_cgroup_driver)" = systemd ] && echo true || echo false)
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$node_dir/cni"
    max_conf_num = 1
EOF
  cat >"$node_dir/cni/10-gameday-loopback.conflist" <<EOF
{ "cniVersion": "0.4.0", "name": "gameday-host-only", "plugins": [{ "type": "loopback" }] }
EOF
  mem_total_kib="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
  reserve_mi=$((mem_total_kib / 1024 - ${GAMEDAY_NODE_MEMORY_MI:-4096}))
  [ "$reserve_mi" -gt 0 ] || reserve_mi=0
  cat >"$node_dir/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $kubelet_port
readOnlyPort: $kubelet_ro
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz
authentication: { anonymous: { enabled: false }, webhook: { enabled: false } }
authorization: { mode: AlwaysAllow }
containerRuntimeEndpoint: unix://$ctr_sock
cgroupDriver: $(node_cgroup_driver)
cgroupRoot: $cgroup_root
cgroupsPerQOS: true
failCgroupV1: false
failSwapOn: false
enforceNodeAllocatable: [pods]
systemReserved: { memory: ${reserve_mi}Mi }
evictionHard: { memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2% }
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
podLogsDir: $node_dir/pod-logs
serializeImagePulls: false
registerNode: true
nodeStatusUpdateFrequency: 4s
nodeStatusReportFrequency: 20s
syncFrequency: 10s
fileCheckFrequency: 60s
resolvConf: /etc/resolv.conf
EOF
  cat >"$node_dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: gameday-local
  cluster: { server: "https://127.0.0.1:$api_port", certificate-authority: "$state/pki/ca.crt" }
users:
- name: $node_name
  user: { token: "$(grep ",system:node:$node_name," "$state/pki/tokens.csv" | cut -d, -f1)" }
contexts:
- name: node
  context: { cluster: gameday-local, user: $node_name }
current-context: node
EOF
}

# The kubelet's own identity: a static token for system:node:gameday-node in group system:nodes, which
# the API server's Node authorizer scopes to this node and its pods.
node_token() {
  grep -q ",system:node:$node_name," "$state/pki/tokens.csv" ||
    echo "$(openssl rand -hex 24),system:node:$node_name,system:node:$node_name,system:nodes" >>"$state/pki/tokens.csv"
}

node_ready() {
  kubectl_ get node "$node_name" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True
}

node_start() {
  ensure_kubelet
  [ "$(id -u)" = 0 ] || die "the real node needs root (containerd, runc, cgroups, mounts)"
  local t0=$SECONDS
  node_write_config
  node_make_cgroup_root
  # The kubelet's volume mounts must propagate into containers: its root dir is a shared mount of its own.
  if ! findmnt -rn -o TARGET "$node_dir/kubelet" | grep -qx "$node_dir/kubelet"; then
    mount --bind "$node_dir/kubelet" "$node_dir/kubelet"
    mount --make-rshared "$node_dir/kubelet"
  fi
  setsid containerd --config "$node_dir/containerd.toml" >"$state/containerd.log" 2>&1 </dev/null &
  echo $! >"$state/containerd.pid"
  wait_for containerd 30 ctr --address "$ctr_sock" version
  node_import_images "$node_dir/containerd/.gameday-imported" ctr_
  node_saved_sysctl="$(sysctl -e vm.overcommit_memory kernel.panic kernel.panic_on_oops vm.panic_on_oom | tr -d ' ')"
  # shellcheck disable=SC2086 # one key=value per word
  exit_hooks+=('sysctl -q -w $node_saved_sysctl') # also when the start fails below (control-plane.sh's trap)
  launch_node_kubelet
  wait_for kubelet 60 curl -sf "http://127.0.0.1:$kubelet_healthz/healthz"
  wait_for "node $node_name Ready" 90 node_ready
  # shellcheck disable=SC2086
  sysctl -q -w $node_saved_sysctl || log "could not restore the kernel settings the kubelet changed ($node_saved_sysctl)"
  # Where the sandbox's Prometheus finds this kubelet's cAdvisor metrics (src/sandbox/kube).
  kubectl_ annotate node "$node_name" --overwrite "gameday.dev/kubelet-read-only-port=$kubelet_ro" >/dev/null
  log "real node $node_name Ready in $((SECONDS - t0)) s (cgroup v$(node_cgroup_version), driver $(node_cgroup_driver), containerd $ctr_sock)"
}

launch_node_kubelet() {
  setsid "$(kubelet_bin_dir)/kubelet" --config "$node_dir/kubelet.yaml" --kubeconfig "$node_dir/kubeconfig" \
    --root-dir "$node_dir/kubelet" --cert-dir "$node_dir/kubelet-pki" --hostname-override "$node_name" \
    --node-labels "gameday.dev/node=real" --v 1 >"$state/kubelet.log" 2>&1 </dev/null &
  echo $! >"$state/kubelet.pid"
}

_stop_pid() { # name: SIGTERM, then SIGKILL after 5 s
  local pid
  running "$1" || { rm -f "$state/$1.pid"; return 0; }
  pid="$(cat "$state/$1.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$state/$1.pid"
}

# Every container of this node is killed and removed, then containerd stops, then our mounts and
# cgroups go. The images stay (a warm start does not import them again).
node_stop() {
  local id pidf
  _stop_pid kubelet
  if running containerd; then
    for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    # `|| true`: a task that is already going makes its delete (so xargs) fail, and under
    # `set -euo pipefail` that ended stop without a word (a CI run's teardown failed so).
    for _ in $(seq 1 50); do
      [ -z "$(ctr_ tasks ls -q 2>/dev/null | head -1)" ] && break
      ctr_ tasks ls -q 2>/dev/null | xargs -r -n1 "ctr" --address "$ctr_sock" --namespace k8s.io tasks delete -f >/dev/null 2>&1 || true
      sleep 0.1
    done
    ctr_ containers ls -q 2>/dev/null | xargs -r ctr --address "$ctr_sock" --namespace k8s.io containers delete >/dev/null 2>&1 || true
  fi
  _stop_pid containerd
  # A shim whose containerd died keeps running: end the ones of this containerd by their pid files.
  for pidf in $(find "$node_dir/run/state" -name shim.pid 2>/dev/null); do kill -9 "$(cat "$pidf")" 2>/dev/null || true; done
  if [ -d "$node_dir" ]; then
    { findmnt -rn -o TARGET | grep "^$node_dir/" || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$node_dir/kubelet" "$node_dir/run" "$node_dir/pod-logs"
  fi
  node_remove_cgroup_root
}

node_status() {
  local c
  for c in containerd kubelet; do
    if running "$c"; then echo "$c running (pid $(cat "$state/$c.pid"))"; else echo "$c stopped"; fi
  done
  if node_ready; then echo "node $node_name Ready"; else echo "node $node_name not Ready"; fi
}
