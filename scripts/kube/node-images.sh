# The real node's images, imported into its containerd's k8s.io namespace; no registry is ever asked.
# Source after scripts/lib/tools.sh and scripts/lib/kube.sh.
#   gameday/pause:local      the pod sandbox: scripts/kube/build/pause, a static Go binary
#   gameday/stress-ng:local  Debian's stress-ng and the libraries ldd names (memory-pressure stress pods)
# Both are OCI archives made here from a root filesystem (one layer, fixed mtimes, so the same inputs
# give the same digest), cached in $GAMEDAY_TOOLS/kubelet-<version>/images.
#   gameday/sandbox:local, gameday/toxiproxy:2.12.0, gameday/prometheus:local
# come from the Docker Engine, built by docker/build-images.sh: `docker save | ctr import`.

node_image_dir() { echo "$GAMEDAY_TOOLS/kubelet-$GAMEDAY_KUBE_VERSION/images"; }

NODE_PAUSE_IMAGE="docker.io/gameday/pause:local"
NODE_STRESS_IMAGE="docker.io/gameday/stress-ng:local"
NODE_DOCKER_IMAGES=(gameday/sandbox:local gameday/toxiproxy:2.12.0 gameday/prometheus:local)

_sha() { sha256sum "$1" | cut -d' ' -f1; }
_size() { stat -c %s "$1"; }

# oci_archive ROOTFS NAME OUT CONFIG: CONFIG is the image config's "config" object (Entrypoint, Env...).
oci_archive() {
  local rootfs="$1" name="$2" out="$3" config="$4" w ld cd md
  w="$(mktemp -d)"
  mkdir -p "$w/blobs/sha256"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$rootfs" -cf "$w/layer.tar" .
  ld="$(_sha "$w/layer.tar")"
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$config" "$ld" >"$w/config.json"
  cd="$(_sha "$w/config.json")"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$cd" "$(_size "$w/config.json")" "$ld" "$(_size "$w/layer.tar")" >"$w/manifest.json"
  md="$(_sha "$w/manifest.json")"
  mv "$w/layer.tar" "$w/blobs/sha256/$ld"
  mv "$w/config.json" "$w/blobs/sha256/$cd"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$md" "$(_size "$w/manifest.json")" "$name" "${name##*:}" >"$w/index.json"
  mv "$w/manifest.json" "$w/blobs/sha256/$md"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$w/oci-layout"
  tar -C "$w" -cf "$out.partial" oci-layout index.json blobs && mv "$out.partial" "$out"
  rm -rf "$w"
}

# A root filesystem with the given binaries at DEST and every library they load.
_rootfs_with() {
  local root="$1" dest="$2" bin lib; shift 2
  mkdir -p "$root$dest" "$root/tmp" "$root/etc"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  for bin in "$@"; do
    cp -L "$bin" "$root$dest/"
    for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
      [ -e "$lib" ] && cp -L --parents "$lib" "$root/"
    done
  done
}

# Builds the two local archives unless their inputs are unchanged; prints their paths.
node_local_archives() {
  local dir pause stress hash w
  dir="$(node_image_dir)"; mkdir -p "$dir"
  pause="$(kubelet_bin_dir)/pause"
  stress="$(command -v stress-ng)" || die "stress-ng is missing (Debian stress-ng)"
  hash="$(_sha "$pause" | cut -c1-16)"
  if [ ! -f "$dir/pause-$hash.tar" ]; then
    w="$(mktemp -d)"; mkdir -p "$w/root"; cp "$pause" "$w/root/pause"
    oci_archive "$w/root" "$NODE_PAUSE_IMAGE" "$dir/pause-$hash.tar" '{"Entrypoint":["/pause"]}'
    rm -rf "$w"
  fi
  echo "$dir/pause-$hash.tar"
  hash="$(_sha "$stress" | cut -c1-16)"
  if [ ! -f "$dir/stress-ng-$hash.tar" ]; then
    w="$(mktemp -d)"
    _rootfs_with "$w/root" /usr/bin "$stress"
    oci_archive "$w/root" "$NODE_STRESS_IMAGE" "$dir/stress-ng-$hash.tar" \
      '{"Env":["PATH=/usr/bin:/bin"],"Entrypoint":["/usr/bin/stress-ng"]}'
    rm -rf "$w"
  fi
  echo "$dir/stress-ng-$hash.tar"
}

# node_import_images CTR...: CTR is the ctr command line for the node's containerd (address, namespace).
# An archive or Docker image already imported (same content, recorded in the node's stamps) is skipped.
node_import_images() {
  local stamps="$1" a id img; shift
  mkdir -p "$stamps"
  for a in $(node_local_archives); do
    [ -f "$stamps/$(basename "$a")" ] && continue
    "$@" images import "$a" >/dev/null || die "ctr could not import $a"
    touch "$stamps/$(basename "$a")"
  done
  if ! docker info >/dev/null 2>&1; then
    log "no Docker Engine answers: the sandbox images are not imported (run scripts/lib/docker.sh's ensure_docker, then start again)"
    return 0
  fi
  for img in "${NODE_DOCKER_IMAGES[@]}"; do
    id="$(docker image inspect -f '{{.Id}}' "$img" 2>/dev/null | cut -d: -f2 | cut -c1-16)" || true
    if [ -z "$id" ]; then log "image $img is not built (docker/build-images.sh): not imported"; continue; fi
    [ -f "$stamps/${img//[\/:]/_}-$id" ] && continue
    docker save "$img" | "$@" images import - >/dev/null || die "ctr could not import $img from docker save"
    rm -f "$stamps/${img//[\/:]/_}"-*
    touch "$stamps/${img//[\/:]/_}-$id"
    log "imported $img ($id) into the node's containerd"
  done
}
