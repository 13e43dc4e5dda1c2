#!/usr/bin/env bash
# Checks the HTML status page in a real browser: serves driftloop on a temp data dir and a free port, runs two
# cycles of the example pipeline (a drift webhook promotes the first champion, then a forced retrain on the same
# data is rejected against it), checks that `/` and `/cycles/{id}` are self-contained HTML, and takes headless
# Chromium screenshots of both. Stops the server it started.
# Usage: tests-e2e/screenshot_status_page.sh [OUT_DIR]   (default data/status-page: overview.png, cycle.png)
# Environment: DRIFTLOOP_BIN (default .build/debug/driftloop, relative to the repository). Builds nothing.
# Needs chromium (apt), curl and python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=support/harness.sh
source "$ROOT/tests-e2e/support/harness.sh"
cd "$ROOT"
BIN="${DRIFTLOOP_BIN:-.build/debug/driftloop}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
OUT="${1:-data/status-page}"
STATE="$(mktemp -d "${TMPDIR:-/tmp}/status_page.XXXXXX")"
SERVER=""

cleanup() {
    stop_pid "$SERVER"
    rm -rf "$STATE"
}
on_exit cleanup

fail() {
    echo "screenshot_status_page: FAILED: $*" >&2
    if [ -s "$STATE/driftloop.log" ]; then
        echo "----- last lines of driftloop.log -----" >&2
        tail -n 25 "$STATE/driftloop.log" >&2
    fi
    exit 1
}

[ -x "$BIN" ] || fail "no driftloop binary at $BIN (build it, or set DRIFTLOOP_BIN); this script builds nothing"
command -v chromium >/dev/null || fail "chromium is required (apt-get install chromium)"

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
API="http://127.0.0.1:$PORT"
TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export STATUS_PAGE_API_TOKEN="$TOKEN"
mkdir -p "$STATE/pipelines/data/churn" "$STATE/data"
cp pipelines/example.yaml "$STATE/pipelines/example.yaml"
cp pipelines/data/churn/reference.csv pipelines/data/churn/current.csv "$STATE/pipelines/data/churn/"
cat >"$STATE/config.yaml" <<EOF
listen: "127.0.0.1:$PORT"
data_dir: data
pipelines_dir: pipelines
api_token_env: STATUS_PAGE_API_TOKEN
log_level: info
EOF
"$BIN" serve --config "$STATE/config.yaml" >"$STATE/driftloop.log" 2>&1 &
SERVER=$!
deadline=$(($(date +%s) + 60))
until curl -sf -o /dev/null --max-time 2 "$API/readyz"; do
    kill -0 "$SERVER" 2>/dev/null || fail "driftloop exited"
    [ "$(date +%s)" -lt "$deadline" ] || fail "driftloop not ready at $API within 60 s"
    sleep 0.2
done

# post PATH JSON: a mutating request with the token; prints the new cycle's id.
post() {
    curl -sf --max-time 10 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$2" "$API$1" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["cycle_id"])' || fail "POST $1 was not accepted"
}

# wait_end ID: until the cycle has finished (at most 120 s); prints its outcome.
wait_end() {
    local deadline=$(($(date +%s) + 120)) status
    while :; do
        status="$(curl -sf --max-time 5 "$API/v1/cycles/$1" | python3 -c 'import json, sys; c = json.load(sys.stdin)["cycle"]; print(c["status"], c.get("outcome") or "")')"
        case "$status" in finished*) echo "${status#finished }"; return ;; esac
        [ "$(date +%s)" -lt "$deadline" ] || fail "cycle $1 did not finish within 120 s"
        sleep 0.3
    done
}

first="$(post /v1/webhooks/drift '{"pipeline": "example", "source": "screenshot", "reason": "monitoring reported drift on the latest batch"}')"
echo "cycle $first: $(wait_end "$first")"
second="$(post /v1/pipelines/example/retrain '{"reason": "weekly retrain requested by <ops> & co", "requested_by": "ops", "force": true}')"
echo "cycle $second: $(wait_end "$second")"

# Both pages must be whole, self-contained HTML: no scripts, stylesheets, fonts or images from anywhere.
for page in "/" "/cycles/$second"; do
    html="$STATE/page.html"
    curl -sf --max-time 10 -o "$html" "$API$page" || fail "GET $page failed"
    grep -q '</html>' "$html" || fail "GET $page is not a whole HTML page"
    if grep -Eq '<script|<link|src=|href="(https?:)?//|@import|url\(' "$html"; then
        fail "GET $page is not self-contained: $(grep -Eo '<script[^>]*>|<link[^>]*>|src="[^"]*"|href="(https?:)?//[^"]*"|@import|url\([^)]*\)' "$html" | head -n 3 | tr '\n' ' ')"
    fi
    grep -q '&lt;ops&gt; &amp; co' "$html" || fail "GET $page does not show the escaped retrain reason"
done
# page.html now holds the cycle page.
for row in 'class="transition"' 'class="drift-row' 'class="comparison-row"'; do
    grep -q "$row" "$html" || fail "the cycle page has no $row rows"
done

# shoot URL FILE HEIGHT MIN_BYTES: a 1280-wide screenshot, which must be at least MIN_BYTES.
shoot() {
    local url="$1" file="$2" height="$3" min="$4" size
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1280,$height" --screenshot="$file" "$url" 2>/dev/null
    [ -f "$file" ] || fail "chromium wrote no screenshot of $url"
    size=$(stat -c %s "$file")
    # A blank page compresses to a few kilobytes and the 404 page to about 25 KB; the overview with its two
    # tables is about 75 KB, the cycle page with its five about 220 KB.
    [ "$size" -gt "$min" ] || fail "screenshot $file of $url is only $size bytes: the page did not render"
    echo "status page screenshot: $file ($size bytes) of $url"
}
mkdir -p "$OUT"
shoot "$API/" "$OUT/overview.png" 820 50000
shoot "$API/cycles/$second" "$OUT/cycle.png" 1600 120000
