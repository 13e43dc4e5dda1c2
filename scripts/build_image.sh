#!/usr/bin/env bash
# Builds the driftloop runtime image on this machine without a registry or a Docker engine: buildah (Debian's,
# installed when missing) with the vfs storage driver and chroot isolation, from scratch. The filesystem is the
# binary and the closure of the shared libraries it loads, taken from this machine's Debian packages, plus CA
# certificates, a non-root user and the example pipelines: the same runtime as the Containerfile's, which needs
# a registry for its base images.
# Usage: bash scripts/build_image.sh [--tag driftloop:latest] [--binary PATH]
#   --binary: a driftloop built with --static-swift-stdlib (default: build one in release, as install.sh does).
# Then, for instance (tests-e2e/image_smoke.sh does this and starts `serve` too):
#   buildah --storage-driver vfs from --name dl driftloop:latest
#   buildah --storage-driver vfs run dl -- /usr/local/bin/driftloop demo
set -euo pipefail
cd "$(dirname "$0")/.."
tag=driftloop:latest
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    *) echo "usage: $0 [--tag NAME:TAG] [--binary PATH]" >&2; exit 2 ;;
  esac
done
export BUILDAH_ISOLATION=chroot
# vfs storage: no overlay mounts or fuse needed, so it works in CI sandboxes too.
buildah() { command buildah --storage-driver vfs "$@"; }

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=()
command -v buildah >/dev/null || need+=(buildah)
command -v strip >/dev/null || need+=(binutils)
[ -f /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
if [ "${#need[@]}" -gt 0 ]; then
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null; }
fi
if [ -z "$binary" ]; then
  bash scripts/setup.sh
  swift build -c release --product driftloop --static-swift-stdlib 2>&1 | tail -1
  binary=.build/release/driftloop
fi
if ldd "$binary" | grep -q 'libswiftCore'; then
  echo "build_image: $binary links the Swift runtime dynamically; build it with --static-swift-stdlib" >&2
  exit 2
fi

root=$(mktemp -d /tmp/driftloop-image.XXXXXX)
container=""
cleanup() {
  [ -n "$container" ] && buildah rm "$container" >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT

# The binary, and every shared library it or libcurl (opened with dlopen at first use, so ldd cannot see it)
# loads, at the paths the dynamic loader looks in. glibc 2.36 has the files and dns NSS modules built in.
# Stripped: the symbols and debug info are more than half of a release binary.
install -D -m 755 "$binary" "$root/usr/local/bin/driftloop"
strip --strip-unneeded "$root/usr/local/bin/driftloop"
curl_library=$(ldconfig -p | awk '/libcurl\.so\.4 .*x86-64|libcurl\.so\.4 .*aarch64/ { print $NF; exit }')
[ -n "$curl_library" ] || { echo "build_image: libcurl.so.4 not found (apt-get install libcurl4)" >&2; exit 2; }
{
  ldd "$binary"
  echo "libcurl => $curl_library (0)"
  ldd "$curl_library"
} | awk '/=> \// { print $3 } /^\t\// { print $1 }' | sort -u | while read -r library; do
  install -D -m 644 "$(readlink -f "$library")" "$root$library"
done
chmod 755 "$root"/lib*/ld-linux*.so.* 2>/dev/null || true

install -D -m 644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\ndriftloop:x:65532:65532:driftloop:/var/lib/driftloop:/usr/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\ndriftloop:x:65532:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
install -D -m 644 deploy/image/config.yaml "$root/etc/driftloop/config.yaml"
install -d -m 1777 "$root/tmp"
install -d -m 700 "$root/var/lib/driftloop" "$root/app/data"
cp -r pipelines "$root/app/pipelines"
chown -R 65532:65532 "$root/var/lib/driftloop" "$root/app"

container=$(buildah from scratch)
mount=$(buildah mount "$container")
cp -a "$root/." "$mount/"
buildah umount "$container" >/dev/null
buildah config \
  --user 65532:65532 --workingdir /app --port 8080 --volume /var/lib/driftloop \
  --env PATH=/usr/local/bin:/usr/bin:/bin --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --entrypoint '["/usr/local/bin/driftloop"]' --cmd '["serve", "--config", "/etc/driftloop/config.yaml"]' \
  --label org.opencontainers.image.title=driftloop \
  "$container"
buildah commit --quiet --rm "$container" "$tag" >/dev/null
container=""
size=$(buildah images --format '{{.Size}}' "$tag" | head -1)
echo "build_image: $tag built ($size; $(find "$root" -name '*.so*' | wc -l) shared libraries)"
