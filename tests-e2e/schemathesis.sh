#!/usr/bin/env bash
# Hostile input against a live server. Acceptance: every answer is a documented status with a JSON error, never a
# crash or a 5xx.
#   1. a venv .venv/schemathesis from tests-e2e/requirements-schemathesis.txt (pinned; made once, redone when the
#      requirements change);
#   2. `driftloop serve` on a free 127.0.0.1 port with a temp data dir, a copy of pipelines/*.yaml (and their data),
#      an API token in the environment variable named by api_token_env and one signed-webhook source;
#   3. run "token": Schemathesis over openapi.yaml, every phase (examples, coverage, fuzzing, stateful; valid and
#      invalid bodies, parameters and headers) with `Authorization: Bearer <token>` and the checks
#      not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance;
#   4. run "no token": the same without the header, plus ignored_auth (a route declaring `security` must refuse);
#      then every route declaring `security` gets a request without the token and must answer a documented 401
#      with a JSON error;
#   5. hostile probes Schemathesis does not generate (deep JSON, bad chunked framing, odd timestamps): each answer
#      must be a 4xx with a JSON error and the server must survive (a crash is recorded and the server restarted);
#   6. the server must still be running and ready, its log must hold no crash and no internal error, and /metrics
#      must count no 5xx.
# Exits non-zero on any failure; ends with `schemathesis: passed (...)`. About 1 minute on 2 cores (default settings).
# Usage: tests-e2e/schemathesis.sh   (from any directory; builds nothing)
# Environment: DRIFTLOOP_BIN (default .build/debug/driftloop, relative to the repository),
#              SCHEMATHESIS_SPEC (default openapi.yaml of the repository),
#              SCHEMATHESIS_EXAMPLES (test cases per operation and phase, default 40),
#              SCHEMATHESIS_SEED (default 20261201), SCHEMATHESIS_WORKERS (default 1: with 2, Hypothesis 6.170
#              sometimes fails inside its own lambda-description cache, a FlakyFailure that is no server problem),
#              SCHEMATHESIS_PROBES=0 skips step 5,
#              SCHEMATHESIS_KEEP=1 keeps the temp dir (config, server logs, JUnit reports) for inspection.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=support/harness.sh
source "$ROOT/tests-e2e/support/harness.sh"
BIN="${DRIFTLOOP_BIN:-.build/debug/driftloop}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
SPEC="${SCHEMATHESIS_SPEC:-$ROOT/openapi.yaml}"
case "$SPEC" in /*) ;; *) SPEC="$PWD/$SPEC" ;; esac
VENV="$ROOT/.venv/schemathesis"
REQUIREMENTS="$ROOT/tests-e2e/requirements-schemathesis.txt"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-40}"
SEED="${SCHEMATHESIS_SEED:-20261201}"
WORKERS="${SCHEMATHESIS_WORKERS:-1}"
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
SIGNED_SOURCE=schemathesis-signer
started=$(date +%s)

STATE="$(mktemp -d "${TMPDIR:-/tmp}/schemathesis.XXXXXX")"
SERVER_PID=""
SERVER_RUNS=0
failures=()

stop_server() {
    stop_pid "$SERVER_PID" TERM 10
    SERVER_PID=""
}

cleanup() {
    stop_server
    if [ "${SCHEMATHESIS_KEEP:-0}" = 1 ]; then
        echo "schemathesis: state kept in $STATE"
    else
        rm -rf "$STATE"
    fi
}
on_exit cleanup

# fail MESSAGE: prints it with the tail of the current server log, and exits 1.
fail() {
    echo "schemathesis: FAILED: $*" >&2
    if [ -s "$LOG" ]; then
        echo "----- last lines of $LOG -----" >&2
        tail -n 30 "$LOG" | cut -c1-400 >&2
    fi
    exit 1
}

running() { [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; }

# start_server: starts driftloop (its log is $LOG) and waits until it is ready.
start_server() {
    local deadline
    SERVER_RUNS=$((SERVER_RUNS + 1))
    LOG="$STATE/driftloop-$SERVER_RUNS.log"
    (cd "$STATE" && exec "$BIN" serve --config "$STATE/config.yaml") >"$LOG" 2>&1 &
    SERVER_PID=$!
    deadline=$(($(date +%s) + 60))
    until curl -sf -o /dev/null --max-time 2 "$API/readyz"; do
        running || fail "driftloop exited while starting; see its log below"
        [ "$(date +%s)" -lt "$deadline" ] || fail "driftloop not ready at $API/readyz within 60 s"
        sleep 0.2
    done
}

# survived WHAT: records a failure when the server is gone, and starts another one so the next step still runs.
survived() {
    running && return 0
    failures+=("driftloop crashed during $1 (log: $(basename "$LOG"))")
    echo "schemathesis: driftloop CRASHED during $1:" >&2
    grep -m 3 -E 'Fatal error|runtime failure|at /' "$LOG" | cut -c1-300 >&2 || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    start_server
    echo "schemathesis: restarted driftloop (pid $SERVER_PID) to go on" >&2
    return 1
}

# ------------------------------------------------------------------ tools
LOG=/dev/null
[ -x "$BIN" ] || fail "no driftloop binary at $BIN (build it, or set DRIFTLOOP_BIN); this script builds nothing"
[ -f "$SPEC" ] || fail "no OpenAPI file at $SPEC"
command -v python3 >/dev/null || fail "python3 is required"
command -v curl >/dev/null || fail "curl is required"
stamp="$VENV/.requirements.sha256"
want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if ! [ -x "$VENV/bin/schemathesis" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        SUDO=()
        [ "$(id -u)" -ne 0 ] && SUDO=(sudo)
        "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
            || fail "could not install python3-venv"
    fi
    echo "schemathesis: making $VENV from $(basename "$REQUIREMENTS")"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQUIREMENTS" || fail "pip could not install $REQUIREMENTS"
    echo "$want" >"$stamp"
fi
PY="$VENV/bin/python"
echo "schemathesis: $("$VENV/bin/schemathesis" --version), $BIN, $SPEC"

# ------------------------------------------------------------------ driftloop
# The repository's pipelines (top-level *.yaml only, as the server reads them) with their data beside them, so
# the relative paths in them still resolve; the store, registry and trainer files go to the temp dir.
mkdir -p "$STATE/pipelines" "$STATE/data" "$STATE/work" "$STATE/probes"
cp "$ROOT"/pipelines/*.yaml "$STATE/pipelines/"
if [ -d "$ROOT/pipelines/data" ]; then cp -R "$ROOT/pipelines/data" "$STATE/pipelines/data"; fi
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
API="http://127.0.0.1:$PORT"
TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export SCHEMATHESIS_DRIFTLOOP_TOKEN="$TOKEN"
export SCHEMATHESIS_SIGNING_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
cat >"$STATE/config.yaml" <<EOF
# Generated by tests-e2e/schemathesis.sh.
listen: "127.0.0.1:$PORT"
data_dir: data
pipelines_dir: pipelines
api_token_env: SCHEMATHESIS_DRIFTLOOP_TOKEN
log_level: info
webhooks:
  signed:
    sources:
      $SIGNED_SOURCE: {secret_env: SCHEMATHESIS_SIGNING_SECRET}
EOF
start_server
echo "schemathesis: driftloop $API (pid $SERVER_PID), state in $STATE; $EXAMPLES examples per operation, seed $SEED"

# run NAME [ARGS...]: one Schemathesis run over the whole spec; its exit status is returned.
run() {
    local name="$1" t0 rc
    shift
    t0=$(date +%s)
    echo
    echo "=============================== run: $name ==============================="
    # From the temp dir, so nothing (reports, caches) lands in the repository.
    set +e
    (cd "$STATE/work" && "$VENV/bin/schemathesis" run "$SPEC" --url "$API" \
        --seed "$SEED" --max-examples "$EXAMPLES" --workers "$WORKERS" \
        --generation-database none --request-timeout 30 --no-color \
        --report junit --report-junit-path "$STATE/junit-$name.xml" \
        "$@")
    rc=$?
    set -e
    echo "schemathesis: run $name exited $rc after $(($(date +%s) - t0)) s"
    return "$rc"
}

run token --checks "$CHECKS" -H "Authorization: Bearer $TOKEN" || failures+=("run token")
survived "run token" || true
run no-token --checks "$CHECKS,ignored_auth" || failures+=("run no-token")
survived "run no-token" || true

# ------------------------------------------------------------------ explicit checks
echo
echo "=============================== auth without a token ==============================="
"$PY" - "$SPEC" "$API" <<'EOF' || failures+=("auth without a token")
import re, sys
import requests, yaml

spec_path, api = sys.argv[1], sys.argv[2]
spec = yaml.safe_load(open(spec_path))
problems, checked = [], 0
for path, item in spec["paths"].items():
    for method, op in item.items():
        # `{}` among the requirements: a token is optional there (reads need one only with named api_tokens).
        if method not in ("get", "post", "put", "patch", "delete") or not op.get("security") or {} in op["security"]:
            continue
        url = api + re.sub(r"\{[^}]+\}", "schemathesis-probe", path)
        answer = requests.request(method.upper(), url, data=b"{}", headers={"Content-Type": "application/json"}, timeout=30)
        checked += 1
        where = f"{method.upper()} {path}"
        if answer.status_code != 401:
            problems.append(f"{where} without a token answered {answer.status_code}, not 401")
        elif "401" not in op["responses"]:
            problems.append(f"{where} answers 401 without a token, but the spec does not document 401")
        else:
            try:
                error = answer.json()["error"]
                assert isinstance(error["code"], str) and isinstance(error["message"], str)
            except Exception:
                problems.append(f"{where}: the 401 body is not a JSON error: {answer.text[:200]!r}")
for problem in problems:
    print("  -", problem)
print(f"{checked} operations declaring security refuse a request without a token: {'FAILED' if problems else 'ok'}")
sys.exit(1 if problems else 0)
EOF

# ------------------------------------------------------------------ hostile probes
if [ "${SCHEMATHESIS_PROBES:-1}" != 0 ]; then
    echo
    echo "=============================== hostile probes ==============================="
    "$PY" - "$STATE/probes" "$SIGNED_SOURCE" <<'EOF'
import json, sys
out, source = sys.argv[1], sys.argv[2]
def write(name, data):
    open(f"{out}/{name}", "wb").write(data)
# A drift event nested 511 levels deep, just under the JSON decoder's limit (512): it decodes, and the stored
# trigger, two levels deeper, cannot be encoded; it must be refused with a 400, not fail with a 500.
write("deep-payload", b'{"pipeline":"example","event_id":"deep","payload":' + b"[" * 510 + b"]" * 510 + b"}")
# An Alertmanager notification whose startsAt matches \d with a non-ASCII digit (ARABIC-INDIC DIGIT THREE).
alert = {"version": "4", "status": "firing", "alerts": [{"status": "firing", "labels": {"pipeline": "example"},
         "startsAt": "2026-01-01T00:00:00.\u0663Z", "fingerprint": "probe"}]}
write("unicode-digit-startsat", json.dumps(alert, ensure_ascii=False).encode())
write("drift-signed", json.dumps({"pipeline": "example", "source": source}).encode())
EOF
    # probe NAME STATUSES CURL_ARGS...: the answer's status must be one of STATUSES (a regex), with a JSON error.
    probe() {
        local name="$1" want="$2" status body
        shift 2
        status=$(curl -sS --max-time 30 -o "$STATE/probes/answer" -w '%{http_code}' "$@" 2>"$STATE/probes/curl.err" || true)
        body=$(head -c 200 "$STATE/probes/answer" 2>/dev/null || true)
        if ! survived "probe $name"; then
            :
        elif ! [[ "$status" =~ ^($want)$ ]]; then
            failures+=("probe $name: answered $status, expected $want")
            echo "  - $name: FAILED, answered $status (expected $want): $body" >&2
        elif ! "$PY" -c 'import json, sys; e = json.load(open(sys.argv[1]))["error"]; assert e["code"] and e["message"]' "$STATE/probes/answer" 2>/dev/null; then
            failures+=("probe $name: $status without a JSON error body")
            echo "  - $name: FAILED, $status without a JSON error: $body" >&2
        else
            echo "  - $name: ok ($status)"
        fi
    }
    auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
    probe "drift payload 511 levels deep" '400|413' "${auth[@]}" --data-binary "@$STATE/probes/deep-payload" "$API/v1/webhooks/drift"
    # DNS rebinding: a Host that names another server is refused whatever the token (docs/SECURITY.md).
    probe "Host naming another server" '421' "${auth[@]}" -H "Host: rebind.evil.example" -d '{}' "$API/v1/pipelines/example/pause"
    # A body whose chunked framing is broken (a chunk size that is not hex). curl cannot send that, so the raw
    # request goes through Python.
    status=$("$PY" - "$PORT" "$TOKEN" "$STATE/probes/answer" <<'EOF'
import socket, sys
port, token, answer = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(b"POST /v1/pipelines/example/retrain HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token.encode() +
          b"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
data = b""
try:
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 1:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
except OSError:
    pass
head, _, body = data.partition(b"\r\n\r\n")
open(answer, "wb").write(body)
print(head.split(b" ")[1].decode() if head else "000")
EOF
    ) || status=000
    if survived "probe malformed chunked body"; then
        if [ "$status" != 400 ]; then
            failures+=("probe malformed chunked body: answered $status, expected 400")
            echo "  - malformed chunked body: FAILED, answered $status (expected 400): $(head -c 200 "$STATE/probes/answer")" >&2
        else
            echo "  - malformed chunked body: ok ($status)"
        fi
    fi
    probe "Alertmanager startsAt with a non-ASCII digit" '400' "${auth[@]}" \
        --data-binary "@$STATE/probes/unicode-digit-startsat" "$API/v1/webhooks/alertmanager"
    # A signed webhook from a configured source whose timestamp is the smallest Int64 (before the MAC is checked).
    probe "signed webhook with timestamp -2^63" '401' -H "Content-Type: application/json" \
        -H "X-Driftloop-Source: $SIGNED_SOURCE" -H "X-Driftloop-Timestamp: -9223372036854775808" \
        -H "X-Driftloop-Signature: sha256=$(printf '0%.0s' $(seq 64))" \
        --data-binary "@$STATE/probes/drift-signed" "$API/v1/webhooks/drift"
fi

# ------------------------------------------------------------------ the server afterwards
echo
echo "=============================== the server afterwards ==============================="
survived "the last checks" || true
curl -sf -o /dev/null --max-time 10 "$API/readyz" || failures+=("readyz after the runs")
for log in "$STATE"/driftloop-*.log; do
    if grep -q -E 'Fatal error|runtime failure' "$log"; then
        failures+=("crash in $(basename "$log")")
    fi
    if grep -q 'request failed' "$log"; then
        failures+=("internal errors (500) in $(basename "$log"): $(grep -c 'request failed' "$log")")
        grep -m 3 'request failed' "$log" | cut -c1-300 >&2
    fi
done
# Schemathesis reports an operation's first failure only; the server's own count covers every request.
fivexx=$(curl -sf --max-time 10 "$API/metrics" | grep -E '^driftloop_http_request_duration_seconds_count\{.*status="5[0-9][0-9]"' | grep -v ' 0$' || true)
if [ -n "$fivexx" ]; then
    failures+=("/metrics counts 5xx answers")
    echo "$fivexx" >&2
fi
echo "server pid $SERVER_PID running, ready; $SERVER_RUNS server start(s)"

elapsed=$(($(date +%s) - started))
if [ ${#failures[@]} -gt 0 ]; then
    echo >&2
    printf 'schemathesis: - %s\n' "${failures[@]}" >&2
    fail "${#failures[@]} problem(s) after $elapsed s (seed $SEED, $EXAMPLES examples; SCHEMATHESIS_KEEP=1 keeps the logs and JUnit reports)"
fi
echo
probes="hostile probes"
[ "${SCHEMATHESIS_PROBES:-1}" != 0 ] || probes="no hostile probes"
echo "schemathesis: passed (2 runs, $EXAMPLES examples per operation, seed $SEED, $probes, server alive, no 5xx; $elapsed s)"
