#!/usr/bin/env bash
# The image as a user runs it: `driftloop demo` inside it must end with a promoted cycle, and `serve` inside it
# must answer /readyz. buildah runs with chroot isolation, so the container shares this machine's network.
# Usage: bash tests-e2e/image_smoke.sh [IMAGE]   (default driftloop:latest, built by scripts/build_image.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-driftloop:latest}
export BUILDAH_ISOLATION=chroot
buildah() { command buildah --storage-driver vfs "$@"; }
containers=()
server=""
work=$(mktemp -d /tmp/driftloop-image-smoke.XXXXXX)
cleanup() {
  if [ -n "$server" ]; then pkill -KILL -f "^/usr/local/bin/driftloop serve --config /tmp/config.yaml" || true; fi
  for container in "${containers[@]}"; do buildah rm "$container" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "image_smoke: FAIL: $*" >&2; exit 1; }

# 1. The README's first command, inside the image, as its non-root user.
demo=$(buildah from "$image"); containers+=("$demo")
user=$(buildah inspect --format "{{.OCIv1.Config.User}}" "$demo")
[ "$user" = "65532:65532" ] || fail "the image runs as '$user', not the non-root 65532:65532"
started=$(date +%s)
buildah run "$demo" -- /usr/local/bin/driftloop demo >"$work/demo.log" 2>&1 || { tail -20 "$work/demo.log"; fail "driftloop demo exited $?"; }
grep -q -- "--promoted--> promoted" "$work/demo.log" || { tail -20 "$work/demo.log"; fail "the demo's cycle was not promoted"; }
echo "image_smoke: demo promoted in $(( $(date +%s) - started )) s"

# 2. serve, with the image's config but a free port (the network is this machine's), answers /readyz.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve=$(buildah from "$image"); containers+=("$serve")
printf 'listen: "127.0.0.1:%s"\ndata_dir: /var/lib/driftloop\npipelines_dir: /app/pipelines\napi_token_env: DRIFTLOOP_API_TOKEN\n' "$port" >"$work/config.yaml"
buildah copy --chown 65532:65532 "$serve" "$work/config.yaml" /tmp/config.yaml >/dev/null
buildah run --env DRIFTLOOP_API_TOKEN=image-smoke-token "$serve" -- /usr/local/bin/driftloop serve --config /tmp/config.yaml >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >"$work/readyz" 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { tail -20 "$work/serve.log"; fail "serve exited before it was ready"; }
  sleep 0.2
done
[ -s "$work/readyz" ] || { tail -20 "$work/serve.log"; fail "/readyz did not answer within 30 s"; }
echo "image_smoke: serve answered /readyz: $(cat "$work/readyz")"
# SIGTERM to driftloop itself, as a container runtime sends it on stop (buildah run does not forward signals).
pkill -TERM -f "^/usr/local/bin/driftloop serve --config /tmp/config.yaml" || fail "no serve process to stop"
for _ in $(seq 1 75); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
kill -0 "$server" 2>/dev/null && fail "serve did not stop within 15 s of SIGTERM"
server=""
grep -q "driftloop stopped" "$work/serve.log" || { tail -5 "$work/serve.log"; fail "serve did not log its stop"; }
size=$(buildah images --format '{{.Size}}' "$image" | head -1)
echo "image_smoke: passed ($image, $size)"
