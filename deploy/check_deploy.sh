#!/usr/bin/env bash
# Validates the deployment files under deploy/ without starting any server:
#   - Prometheus rules (promtool check rules), their unit tests (promtool test rules) and the
#     example prometheus.yml (promtool check config);
#   - alertmanager.yml (amtool check-config) and its routing (amtool config routes test);
#   - the systemd unit (systemd-analyze verify, when available, plus required directives);
#   - the Kubernetes Kustomize overlays (rendered with Debian's kubectl, validated with kubernetes-validate,
#     cross-checked), and the ServiceMonitor;
#   - the Grafana dashboard (JSON, and every PromQL expression through promtool).
# promtool/amtool come from the Debian packages `prometheus` and `prometheus-alertmanager`
# (2.42 / 0.25 on Debian 12), installed with apt-get when missing.
# Usage: deploy/check_deploy.sh   (from any directory)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPLOY="$ROOT/deploy"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/check_deploy.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0

# check NAME COMMAND...: runs COMMAND, counts it, and shows its output only on failure.
check() {
    local name="$1"
    shift
    local output
    if output="$("$@" 2>&1)"; then
        passed=$((passed + 1))
        echo "ok    $name"
    else
        failed=$((failed + 1))
        echo "FAIL  $name"
        printf '%s\n' "$output" | sed 's/^/      /'
    fi
}

# ------------------------------------------------------------------ tools
install_tools() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    local packages=(prometheus prometheus-alertmanager)
    echo "installing ${packages[*]} with apt-get (promtool/amtool missing)"
    # Note: on a host running systemd these packages enable and start their services.
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"; then
        "${sudo[@]}" apt-get update -q
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
    fi
}

if ! command -v promtool >/dev/null 2>&1 || ! command -v amtool >/dev/null 2>&1; then
    install_tools
fi
echo "using $(promtool --version 2>&1 | head -n 1)"
echo "using $(amtool --version 2>&1 | head -n 1)"

HAVE_PYYAML=0
if python3 -c 'import yaml' >/dev/null 2>&1; then
    HAVE_PYYAML=1
fi

# ------------------------------------------------------------------ Prometheus
PROM="$DEPLOY/prometheus"
check "promtool check rules deploy/prometheus/driftloop-rules.yml" \
    promtool check rules "$PROM/driftloop-rules.yml"
check "promtool test rules deploy/prometheus/driftloop-rules.test.yml" \
    promtool test rules "$PROM/driftloop-rules.test.yml"
# Also loads rule_files, which promtool resolves relative to prometheus.yml.
check "promtool check config deploy/prometheus/prometheus.yml" \
    promtool check config "$PROM/prometheus.yml"

# ------------------------------------------------------------------ Alertmanager
# Check a copy whose credentials_file points at a temporary token, so the check does not
# depend on /etc/driftloop/alertmanager-token existing on this machine.
AM_COPY="$WORK/alertmanager.yml"
printf 'check-deploy-token\n' >"$WORK/alertmanager-token"
sed "s#/etc/driftloop/alertmanager-token#$WORK/alertmanager-token#g" \
    "$DEPLOY/alertmanager/alertmanager.yml" >"$AM_COPY"
check "amtool check-config deploy/alertmanager/alertmanager.yml" \
    amtool check-config "$AM_COPY"

# route_is RECEIVER LABEL=VALUE...: the alert with these labels reaches exactly RECEIVER.
route_is() {
    local receiver="$1"
    shift
    amtool config routes test --config.file="$AM_COPY" --verify.receivers="$receiver" "$@"
}
check "alertmanager: DatasetDriftDetected{pipeline} -> driftloop" \
    route_is driftloop alertname=DatasetDriftDetected pipeline=churn severity=warning
check "alertmanager: driftloop_trigger=\"true\"{pipeline} -> driftloop" \
    route_is driftloop alertname=CustomDrift driftloop_trigger=true pipeline=churn
check "alertmanager: DatasetDriftDetected without pipeline -> null" \
    route_is null alertname=DatasetDriftDetected
check "alertmanager: CycleStuck -> null (not a retrain trigger)" \
    route_is null alertname=CycleStuck pipeline=churn

# ------------------------------------------------------------------ systemd
UNIT="$DEPLOY/systemd/driftloop.service"
check_unit_directives() {
    local missing=0 pattern
    for pattern in '^(DynamicUser=yes|User=driftloop)$' '^StateDirectory=driftloop$' '^NoNewPrivileges=yes$' \
        '^ProtectSystem=strict$' '^ReadWritePaths=/var/lib/driftloop$' '^Restart=on-failure$' \
        '^EnvironmentFile=-/etc/driftloop/env$' '^ExecStart=[^ ]*driftloop serve --config /etc/driftloop/config.yaml$'; do
        if ! grep -Eq "$pattern" "$UNIT"; then
            echo "missing directive matching $pattern"
            missing=1
        fi
    done
    return "$missing"
}
check "systemd: required directives in deploy/systemd/driftloop.service" check_unit_directives
if command -v systemd-analyze >/dev/null 2>&1; then
    # verify insists that ExecStart exists; point it at /bin/true in a copy.
    mkdir -p "$WORK/systemd"
    sed 's#^ExecStart=[^ ]*driftloop#ExecStart=/bin/true#' "$UNIT" >"$WORK/systemd/driftloop.service"
    check "systemd-analyze verify deploy/systemd/driftloop.service" \
        systemd-analyze verify "$WORK/systemd/driftloop.service"
else
    echo "skip  systemd-analyze verify (systemd-analyze not installed)"
fi

# ------------------------------------------------------------------ Kubernetes
# Each overlay is rendered with `kubectl kustomize` from Debian's kubernetes-client (its kustomize is the oldest
# the files must work with), unpacked into .venv/ rather than installed, so a kubectl already on the machine stays
# as it is; then validated against the Kubernetes schemas with PyPI's kubernetes-validate (strict: unknown fields
# fail), and cross-checked (selectors, ConfigMaps, PVCs, probes, Secrets, the config each overlay needs).
K8S_TOOLS="$ROOT/.venv/kubernetes-tools"
KUBECTL="$K8S_TOOLS/usr/bin/kubectl"
K8S_PYTHON="$ROOT/.venv/kubernetes-validate/bin/python"
install_kubernetes_tools() {
    if [ ! -x "$KUBECTL" ]; then
        local download="$WORK/kubernetes-client"
        mkdir -p "$download" "$K8S_TOOLS"
        (cd "$download" && { apt-get download kubernetes-client >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download kubernetes-client >/dev/null; }; })
        dpkg -x "$download"/kubernetes-client_*.deb "$K8S_TOOLS"
    fi
    if [ ! -x "$K8S_PYTHON" ]; then
        python3 -m venv "$ROOT/.venv/kubernetes-validate"
        "$ROOT/.venv/kubernetes-validate/bin/pip" install -q kubernetes-validate==1.32.0
    fi
}
install_kubernetes_tools
echo "using kubectl $("$KUBECTL" version --client --short 2>/dev/null || "$KUBECTL" version --client 2>&1 | head -n 1) (Debian kubernetes-client)"

check_k8s_overlay() {
    local overlay="$1" rendered="$WORK/$1.yaml"
    # Each step must stop the check: `check` runs this in an `if`, where errexit does not apply.
    "$KUBECTL" kustomize "$DEPLOY/kubernetes/overlays/$overlay" >"$rendered" || return 1
    "$ROOT/.venv/kubernetes-validate/bin/kubernetes-validate" --strict --quiet "$rendered" || return 1
    "$K8S_PYTHON" - "$rendered" "$overlay" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")) if d]
overlay = sys.argv[2]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
errors = []
dep = by_kind.get("Deployment", {}).get("driftloop")
if not dep:
    sys.exit("no Deployment driftloop")
pod = dep["spec"]["template"]
spec = pod["spec"]
if dep["spec"]["selector"]["matchLabels"].items() - pod["metadata"]["labels"].items():
    errors.append("Deployment selector does not match the pod labels")
container = spec["containers"][0]
if container.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
    errors.append("livenessProbe is not GET /healthz")
if container.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
    errors.append("readinessProbe is not GET /readyz")
requests = container.get("resources", {}).get("requests", {})
if not requests.get("cpu") or not requests.get("memory"):
    errors.append("the container has no cpu and memory requests")
security = spec.get("securityContext", {})
if not security.get("runAsNonRoot") or not security.get("runAsUser"):
    errors.append("the pod does not run as a non-root user")
if container.get("securityContext", {}).get("allowPrivilegeEscalation") is not False:
    errors.append("the container allows privilege escalation")
for volume in spec["volumes"]:
    if "configMap" in volume and volume["configMap"]["name"] not in by_kind.get("ConfigMap", {}):
        errors.append(f"volume {volume['name']}: ConfigMap {volume['configMap']['name']} not defined")
    if "persistentVolumeClaim" in volume and volume["persistentVolumeClaim"]["claimName"] not in by_kind.get("PersistentVolumeClaim", {}):
        errors.append(f"volume {volume['name']}: PVC {volume['persistentVolumeClaim']['claimName']} not defined")
    if len(set(volume) - {"name"}) != 1:
        errors.append(f"volume {volume['name']} has more than one source: {sorted(set(volume) - {'name'})}")
mounts = {m["name"] for m in container.get("volumeMounts", [])}
errors += [f"volume {v['name']} is not mounted" for v in spec["volumes"] if v["name"] not in mounts]
env = {e["name"]: e for e in container.get("env", [])}
secret_env = {name for name, e in env.items() if "secretKeyRef" in (e.get("valueFrom") or {})}
if any("value" in e for e in env.values()):
    errors.append("an environment variable has a literal value; secrets come from Secret objects")
config_maps = [c for name, c in by_kind.get("ConfigMap", {}).items() if name.startswith("driftloop-config")]
if len(config_maps) != 1:
    errors.append(f"expected one driftloop-config ConfigMap, found {len(config_maps)}")
    config = {}
else:
    config = yaml.safe_load(config_maps[0]["data"]["config.yaml"])
if config.get("listen") != "0.0.0.0:8080" or config.get("api_token_env") not in secret_env:
    errors.append("config.yaml must listen on 0.0.0.0:8080 and take api_token_env from a Secret")
store = config.get("store", {})
replicas = dep["spec"].get("replicas", 1)
if overlay == "sqlite-single":
    if store.get("kind") != "sqlite" or replicas != 1 or dep["spec"].get("strategy", {}).get("type") != "Recreate":
        errors.append("sqlite-single: one replica, Recreate, and a sqlite store")
    claims = [v for v in spec["volumes"] if v["name"] == "data" and "persistentVolumeClaim" in v]
    if not claims:
        errors.append("sqlite-single: data_dir is not on a PVC")
elif overlay == "postgres-replicas":
    if store.get("kind") != "postgres" or store.get("url_env") not in secret_env or replicas < 2:
        errors.append("postgres-replicas: two or more replicas, a postgres store, its URL from a Secret")
    if not config.get("replica", {}).get("lease_ttl"):
        errors.append("postgres-replicas: no replica.lease_ttl")
    if "PodDisruptionBudget" not in by_kind:
        errors.append("postgres-replicas: no PodDisruptionBudget")
ports = {p["name"] for p in container.get("ports", [])}
svc = by_kind.get("Service", {}).get("driftloop")
if not svc or svc["spec"]["selector"].items() - pod["metadata"]["labels"].items():
    errors.append("Service driftloop missing or its selector does not match the pod")
else:
    errors += [f"Service targetPort {p['targetPort']} is not a container port" for p in svc["spec"]["ports"]
               if isinstance(p["targetPort"], str) and p["targetPort"] not in ports]
if errors:
    sys.exit("\n".join(errors))
print(f"{overlay}: " + ", ".join(f"{d['kind']}/{d['metadata']['name']}" for d in docs))
PY
}
for overlay in sqlite-single postgres-replicas; do
    check "kubernetes: overlay $overlay renders, validates (kubernetes-validate --strict) and cross-checks" check_k8s_overlay "$overlay"
done

# The ServiceMonitor is a Prometheus Operator CRD, outside the Kubernetes schemas: checked against the Service.
check_service_monitor() {
    "$K8S_PYTHON" - "$DEPLOY/kubernetes/monitoring/servicemonitor.yaml" "$DEPLOY/kubernetes/base/service.yaml" <<'PY'
import sys, yaml
monitor = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
service = yaml.safe_load(open(sys.argv[2], encoding="utf-8"))
errors = []
if monitor["apiVersion"] != "monitoring.coreos.com/v1" or monitor["kind"] != "ServiceMonitor":
    errors.append(f"{monitor['apiVersion']} {monitor['kind']} is not a ServiceMonitor")
if monitor["spec"]["selector"]["matchLabels"].items() - service["metadata"]["labels"].items():
    errors.append("its selector does not match Service driftloop")
if any(e.get("port") not in {p["name"] for p in service["spec"]["ports"]} for e in monitor["spec"]["endpoints"]):
    errors.append("an endpoint port is not a Service port")
if errors:
    sys.exit("\n".join(errors))
PY
}
check "kubernetes: monitoring/servicemonitor.yaml selects Service driftloop's port" check_service_monitor

# ------------------------------------------------------------------ Grafana
DASHBOARD="$DEPLOY/grafana/driftloop-dashboard.json"
DASH_RULES="$WORK/dashboard-rules.yml"

# Parses the dashboard, prints each panel with its number of expressions, checks its structure
# and writes every expression (panels and annotations), with the template variables replaced by
# concrete values, into a rules file as recording rules for promtool.
check_dashboard_json() {
    python3 - "$DASHBOARD" "$DASH_RULES" <<'PY'
import json, re, sys
dashboard = json.load(open(sys.argv[1], encoding="utf-8"))
errors = []
variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
pipeline = variables.get("pipeline")
if not pipeline or "label_values(driftloop_cycles_started_total, pipeline)" not in json.dumps(pipeline.get("query")):
    errors.append("template variable pipeline must query label_values(driftloop_cycles_started_total, pipeline)")
if variables.get("DS_PROMETHEUS", {}).get("type") != "datasource":
    errors.append("template variable DS_PROMETHEUS (type datasource) is missing")

# Concrete stand-ins for Grafana's built-in and the dashboard's own variables.
values = {"__rate_interval": "5m", "__interval": "1m", "__range": "1h", "__range_s": "3600",
          "__range_ms": "3600000", "__interval_ms": "60000", "DS_PROMETHEUS": "prometheus"}
for name, var in variables.items():
    if var.get("type") == "interval":
        values.setdefault(name, str(var.get("query", "1h")).split(",")[0].strip())
    elif var.get("type") == "custom":
        values.setdefault(name, str(var.get("query", "x")).split(",")[0].strip())
    else:
        values.setdefault(name, "example")

def substitute(expr, where):
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in values:
            errors.append(f"{where}: unknown variable ${name}")
            return "x"
        return values[name]
    return re.sub(r"\$\{(\w+)(?::[\w]+)?\}|\$(\w+)|\[\[(\w+)\]\]", repl, expr)

exprs = []
def walk(panels):
    for panel in panels:
        if panel.get("type") == "row":
            walk(panel.get("panels", []))
            continue
        targets = [t for t in panel.get("targets", []) if t.get("expr")]
        print(f"  panel {panel.get('id')}: {panel.get('title')!r}: {len(targets)} expr(s)")
        if not targets:
            errors.append(f"panel {panel.get('title')!r} has no expression")
        if "${DS_PROMETHEUS}" not in json.dumps(panel.get("datasource")):
            errors.append(f"panel {panel.get('title')!r} does not use ${{DS_PROMETHEUS}}")
        for t in targets:
            exprs.append((f"panel {panel.get('id')} {t.get('refId')}", f"panel_{panel.get('id')}_{t.get('refId')}", t["expr"]))
walk(dashboard.get("panels", []))
ids = [p.get("id") for p in dashboard.get("panels", [])]
if len(ids) != len(set(ids)):
    errors.append("duplicate panel ids")
for i, a in enumerate(dashboard.get("annotations", {}).get("list", [])):
    if a.get("expr"):
        print(f"  annotation {a.get('name')!r}: 1 expr(s)")
        exprs.append((f"annotation {a.get('name')}", f"annotation_{i}", a["expr"]))
if not any("changes(driftloop_champion_version" in e for _, _, e in exprs if _.startswith("annotation")):
    errors.append("no annotation on changes(driftloop_champion_version[...])")
print(f"  {len(exprs)} expressions, schemaVersion {dashboard.get('schemaVersion')}")

with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for where, record, expr in exprs:
        # JSON strings are valid YAML scalars, so json.dumps quotes the expression safely.
        out.write(f"      - record: dashboard:{record}\n        expr: {json.dumps(substitute(expr, where))}\n")
if errors:
    sys.exit("\n".join(errors))
PY
}
# Printed even on success: the brief asks for the per-panel expression counts.
echo "dashboard panels (deploy/grafana/driftloop-dashboard.json):"
if dash_output="$(check_dashboard_json 2>&1)"; then
    printf '%s\n' "$dash_output"
    passed=$((passed + 1))
    echo "ok    grafana: dashboard JSON parses and is well-formed"
else
    printf '%s\n' "$dash_output" | sed 's/^/      /'
    failed=$((failed + 1))
    echo "FAIL  grafana: dashboard JSON parses and is well-formed"
fi
# The rules file is written even when a structural check above failed (not when the JSON is broken).
if [ -s "$DASH_RULES" ]; then
    check "grafana: every dashboard expr is valid PromQL (promtool check rules)" promtool check rules "$DASH_RULES"
else
    failed=$((failed + 1))
    echo "FAIL  grafana: no expressions extracted from the dashboard"
fi

# ------------------------------------------------------------------ summary
if [ "$failed" -ne 0 ]; then
    echo "check_deploy: $failed of $((passed + failed)) checks FAILED"
    exit 1
fi
echo "check_deploy: $passed checks passed"
