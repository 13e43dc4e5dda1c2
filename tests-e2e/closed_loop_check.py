#!/usr/bin/env python3
"""Helper for tests-e2e/closed_loop.sh (stdlib only).

Subcommands:
  ports N                       print N free TCP ports on 127.0.0.1, one per line
  baseline ...                  Prometheus sees driftloop_dataset_drift == 0 for the pipeline, no cycle exists
  loop ...                      feed the drifted data and time gauge -> alert -> Alertmanager -> cycle start -> end
  dashboard ...                 run every Grafana panel's PromQL (and the annotations) against Prometheus

Every failure exits non-zero with a message naming what did not happen within which time.
"""
import json
import math
import os
import re
import shutil
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# The shared helpers live in tests-e2e/support/ (harness.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from harness import Failure, command_line, run_command  # noqa: E402


def http_json(url, token=None, timeout=5.0):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def try_json(url, token=None):
    """The JSON at url, or None while the service is not answering (connection refused, 5xx...)."""
    try:
        return http_json(url, token)
    except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError, socket.timeout):
        return None


def prom_query(prom, expr, at=None):
    params = {"query": expr}
    if at is not None:
        params["time"] = f"{at:.3f}"
    url = f"{prom}/api/v1/query?{urllib.parse.urlencode(params)}"
    try:
        body = http_json(url, timeout=10)
    except urllib.error.HTTPError as error:  # 400/422: bad expression; the body says why
        detail = error.read().decode("utf-8", "replace")
        raise Failure(f"Prometheus rejected {expr!r}: HTTP {error.code} {detail}")
    if body.get("status") != "success":
        raise Failure(f"Prometheus query {expr!r} failed: {body}")
    return body["data"]


def prom_query_range(prom, expr, start, end, step):
    params = {"query": expr, "start": f"{start:.3f}", "end": f"{end:.3f}", "step": step}
    body = http_json(f"{prom}/api/v1/query_range?{urllib.parse.urlencode(params)}", timeout=10)
    return body["data"]


def gauge(prom, pipeline):
    """The latest driftloop_dataset_drift of the pipeline in Prometheus, or None when it has no sample."""
    data = prom_query(prom, f'driftloop_dataset_drift{{pipeline="{pipeline}"}}')
    values = [float(sample["value"][1]) for sample in data["result"]]
    return values[0] if values else None


def cycles(api, pipeline, token):
    body = try_json(f"{api}/v1/cycles?pipeline={urllib.parse.quote(pipeline)}&limit=20", token)
    return None if body is None else body.get("cycles", [])


def wait_until(what, timeout, poll, check):
    """Calls check() every poll seconds until it returns something truthy; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


# ---------------------------------------------------------------------------------------------- ports
# ---------------------------------------------------------------------------------------------- baseline
def cmd_baseline(args):
    started = time.monotonic()

    def scraped():
        # up == 1 and the scheduled drift check has published the gauge, which Prometheus scraped.
        up = prom_query(args.prom, 'up{job="driftloop"}')["result"]
        if not up or up[0]["value"][1] != "1":
            return None
        return gauge(args.prom, args.pipeline) is not None or None

    wait_until(
        f'Prometheus to scrape driftloop_dataset_drift{{pipeline="{args.pipeline}"}} (is the pipeline\'s '
        f"`schedule:` publishing drift figures to /metrics?)", args.timeout, 0.2, scraped)
    value = gauge(args.prom, args.pipeline)
    if value != 0:
        raise Failure(f"before any drifted data driftloop_dataset_drift is {value}, expected 0 (current = reference)")
    alerts = [a for a in prom_alerts(args.prom) if a["labels"].get("alertname") == "DatasetDriftDetected"]
    if alerts:
        raise Failure(f"DatasetDriftDetected is already {alerts[0]['state']} before any drifted data")
    existing = cycles(args.api, args.pipeline, args.token)
    if existing is None:
        raise Failure("driftloop's GET /v1/cycles did not answer")
    if existing:
        raise Failure(f"a cycle exists before any drifted data: {existing[0]}")
    print(f"baseline: driftloop_dataset_drift{{pipeline=\"{args.pipeline}\"}} = 0 in Prometheus, no alert, "
          f"no cycle ({time.monotonic() - started:.1f} s)")


def prom_alerts(prom):
    body = try_json(f"{prom}/api/v1/alerts")
    return [] if body is None else body["data"]["alerts"]


# ---------------------------------------------------------------------------------------------- loop
def cmd_loop(args):
    pipeline = args.pipeline
    # Atomic replacement: the scheduled drift check never reads a half-written file.
    staging = f"{args.feed_to}.closed-loop-tmp"
    shutil.copyfile(args.feed_from, staging)
    os.replace(staging, args.feed_to)
    t0 = time.monotonic()
    print(f"fed drifted data: {args.feed_from} -> {args.feed_to}", flush=True)

    marks = {}

    def mark(name, label):
        if name not in marks:
            marks[name] = time.monotonic() - t0
            print(f"  +{marks[name]:5.1f} s  {label}", flush=True)

    cycle = None
    deadline = t0 + args.timeout
    while cycle is None:
        if "gauge" not in marks and gauge(args.prom, pipeline) == 1:
            mark("gauge", f'driftloop_dataset_drift{{pipeline="{pipeline}"}} = 1 in Prometheus')
        for alert in prom_alerts(args.prom):
            labels = alert["labels"]
            if labels.get("alertname") == "DatasetDriftDetected" and labels.get("pipeline") == pipeline:
                if alert["state"] == "pending":
                    mark("pending", "Prometheus: DatasetDriftDetected pending")
                elif alert["state"] == "firing":
                    mark("firing", "Prometheus: DatasetDriftDetected firing")
        if "firing" in marks and "alertmanager" not in marks:
            am = try_json(f"{args.am}/api/v2/alerts?" + urllib.parse.urlencode(
                {"filter": ['alertname="DatasetDriftDetected"', f'pipeline="{pipeline}"']}, doseq=True)) or []
            if any(a.get("status", {}).get("state") == "active" for a in am):
                mark("alertmanager", "Alertmanager: alert received (active)")
        found = [c for c in (cycles(args.api, pipeline, args.token) or []) if c.get("kind") == "alertmanager"]
        if found:
            cycle = found[-1]
            mark("cycle", f"driftloop: cycle {cycle['id']} started (kind alertmanager, state {cycle.get('state')})")
            break
        if time.monotonic() >= deadline:
            missing = [label for name, label in (
                ("gauge", "the gauge to reach 1 in Prometheus"), ("firing", "the alert to fire"),
                ("alertmanager", "Alertmanager to receive the alert"), ("cycle", "an alertmanager cycle"))
                if name not in marks]
            raise Failure(f"timed out after {args.timeout:.0f} s after the drifted data; still waiting for "
                          + ", ".join(missing))
        time.sleep(args.poll)

    # Alertmanager's own account of the delivery: its webhook integration sent, and nothing failed.
    am_metrics = urllib.request.urlopen(f"{args.am}/metrics", timeout=5).read().decode("utf-8")

    def am_counter(name):
        pattern = rf'^{name}\{{[^}}]*integration="webhook"[^}}]*\}} (\S+)$'
        return sum(float(v) for v in re.findall(pattern, am_metrics, re.M))

    sent, failed = am_counter("alertmanager_notifications_total"), am_counter("alertmanager_notifications_failed_total")
    print(f"Alertmanager webhook notifications: {sent:.0f} sent, {failed:.0f} failed")
    if sent < 1 or failed > 0:
        raise Failure(f"Alertmanager's webhook notifications: {sent:.0f} sent, {failed:.0f} failed (see its log)")

    detail = http_json(f"{args.api}/v1/cycles/{cycle['id']}", args.token)
    evidence = (detail.get("decisions", {}).get("trigger") or {}).get("evidence") or {}
    if evidence.get("externalURL") != args.am_external_url:
        raise Failure(f"cycle {cycle['id']} was not triggered by this Alertmanager: trigger evidence {evidence}")
    if (evidence.get("labels") or {}).get("alertname") != "DatasetDriftDetected":
        raise Failure(f"cycle {cycle['id']} was triggered by another alert: {evidence.get('labels')}")

    def finished():
        body = try_json(f"{args.api}/v1/cycles/{cycle['id']}", args.token)
        return body if body and body["cycle"].get("status") == "finished" else None

    final = wait_until(f"cycle {cycle['id']} to finish", args.cycle_timeout, 0.2, finished)
    mark("finished", f"driftloop: cycle finished, outcome {final['cycle'].get('outcome')}")
    states = " -> ".join(t.get("to", "?") for t in final.get("transitions", []))
    print(f"cycle {cycle['id']}: {states}")
    print(f"drifted data -> gauge up: {marks.get('gauge', float('nan')):.1f} s, alert firing: "
          f"{marks.get('firing', float('nan')):.1f} s, cycle start: {marks['cycle']:.1f} s, "
          f"cycle end: {marks['finished']:.1f} s")
    print(f"drifted data -> cycle start: {marks['cycle']:.1f} s")
    outcome = final["cycle"].get("outcome")
    if outcome != "promoted":
        raise Failure(f"cycle {cycle['id']} ended with outcome {outcome!r}; expected 'promoted' (built-in "
                      f"trainer, no champion yet). Transitions: {json.dumps(final.get('transitions'))}")
    with open(args.result, "w", encoding="utf-8") as out:
        json.dump({"cycle_id": cycle["id"], "cycle_start_s": round(marks["cycle"], 1), "outcome": outcome}, out)


# ---------------------------------------------------------------------------------------------- dashboard
def duration_seconds(text):
    total, units = 0.0, {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)", text):
        total += float(number) * units[unit]
    return total


def grafana_values(dashboard, pipeline):
    """Stand-ins for Grafana's built-in variables and the dashboard's own, as Grafana would fill them in
    with the dashboard's default time range and the given pipeline selected."""
    time_range = dashboard.get("time", {}).get("from", "now-24h")
    range_text = time_range[len("now-"):] if time_range.startswith("now-") else "24h"
    range_s = int(duration_seconds(range_text)) or 86400
    values = {
        # Grafana's $__rate_interval is max($__interval + scrape interval, 4 x scrape interval); with a 1s
        # scrape that would be a few seconds, so use the 1m a production dashboard gets (15s scrape).
        "__rate_interval": "1m",
        "__interval": "15s", "__interval_ms": "15000",
        "__range": f"{range_s}s", "__range_s": str(range_s), "__range_ms": str(range_s * 1000),
        "DS_PROMETHEUS": "prometheus",
        # Grafana regex-escapes a single selected value of a multi-value variable used in =~.
        "pipeline": re.sub(r"([\\.^$*+?()\[\]{}|])", r"\\\1", pipeline),
    }
    for var in dashboard.get("templating", {}).get("list", []):
        name = var.get("name")
        if name in values:
            continue
        current = var.get("current", {}).get("value")
        if isinstance(current, list):
            current = current[0] if current else None
        if not current or current == "$__all":
            current = str(var.get("query", "")).split(",")[0].strip() or None
        if current:
            values[name] = current
    return values


def substitute(expr, values, where):
    unknown = []

    def repl(match):
        name = match.group(1) or match.group(2) or match.group(3)
        if name not in values:
            unknown.append(name)
            return match.group(0)
        return values[name]

    result = re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]", repl, expr)
    if unknown:
        raise Failure(f"{where}: unknown template variable(s) {', '.join('$' + n for n in unknown)} in {expr!r}")
    return result


def collect_queries(dashboard):
    """(kind, id, title, refId, expr) of every panel target (rows' nested panels too) and annotation."""
    queries = []

    def walk(panels):
        for panel in panels:
            for target in panel.get("targets", []) or []:
                if target.get("expr"):
                    queries.append(("panel", panel.get("id"), panel.get("title"), target.get("refId"), target["expr"]))
            walk(panel.get("panels", []) or [])

    walk(dashboard.get("panels", []))
    for annotation in dashboard.get("annotations", {}).get("list", []):
        if annotation.get("expr"):
            queries.append(("annotation", None, annotation.get("name"), "-", annotation["expr"]))
    return queries


def describe(data):
    """(series, finite) of an instant query's result: how many series, how many with a finite value."""
    if data["resultType"] == "vector":
        values = [sample["value"][1] for sample in data["result"]]
    elif data["resultType"] == "scalar":
        values = [data["result"][1]]
    else:
        values = [s["values"][-1][1] for s in data["result"] if s.get("values")]
    finite = [float(v) for v in values if not math.isnan(float(v)) and not math.isinf(float(v))]
    return len(values), len(finite), (max(finite) if finite else None)


def cmd_dashboard(args):
    dashboard = json.load(open(args.dashboard, encoding="utf-8"))
    values = grafana_values(dashboard, args.pipeline)
    queries = collect_queries(dashboard)
    if not queries:
        raise Failure(f"no PromQL expressions in {args.dashboard}")
    print(f"dashboard queries against {args.prom} ($pipeline={values['pipeline']}, $__rate_interval="
          f"{values['__rate_interval']}, $__range={values['__range']}, $window={values.get('window')}):")
    now = time.time()
    panels, failures = {}, []
    for kind, panel_id, title, ref, expr in queries:
        where = f"panel {panel_id} {title!r} {ref}" if kind == "panel" else f"annotation {title!r}"
        query = substitute(expr, values, where)
        series, finite, top = describe(prom_query(args.prom, query, at=now))
        ok = finite > 0
        note = ""
        if not ok:
            # Diagnosis only: did the query return anything at any time during this run?
            history = prom_query_range(args.prom, query, args.since, now, "1s")
            points = [float(v) for s in history["result"] for _, v in s["values"]]
            finite_points = [p for p in points if not (math.isnan(p) or math.isinf(p))]
            note = (f"; over the whole run: {len(history['result'])} series, {len(finite_points)} finite points"
                    f" of {len(points)}")
        state = "ok     " if ok else "NO DATA"
        nan = f", {series - finite} NaN" if series != finite else ""
        top = f", max {top:.4g}" if top is not None else ""
        print(f"  {state} {where}: {series} series{nan}{top}{note}")
        if not ok:
            failures.append((where, query))
        key = (kind, panel_id, title)
        panels[key] = panels.get(key, True) and ok
    with_data = sum(1 for (kind, _, _), ok in panels.items() if kind == "panel" and ok)
    total = sum(1 for (kind, _, _) in panels if kind == "panel")
    print(f"{with_data} of {total} panels with data"
          f" ({sum(1 for (kind, _, _), ok in panels.items() if kind == 'annotation' and ok)} of "
          f"{sum(1 for (kind, _, _) in panels if kind == 'annotation')} annotation queries)")
    with open(args.result, "w", encoding="utf-8") as out:
        json.dump({"panels_with_data": with_data, "panels": total, "failures": failures}, out)
    if failures:
        raise Failure("dashboard queries without data (no series, or only NaN):\n" + "\n".join(
            f"  {where}: {query}" for where, query in failures))


def main():
    parser, sub = command_line(__doc__)

    def common(p):
        p.add_argument("--prom", required=True)
        p.add_argument("--pipeline", required=True)

    p = sub.add_parser("baseline")
    common(p)
    p.add_argument("--api", required=True)
    p.add_argument("--token")
    p.add_argument("--timeout", type=float, default=30)
    p.set_defaults(func=cmd_baseline)

    p = sub.add_parser("loop")
    common(p)
    p.add_argument("--api", required=True)
    p.add_argument("--am", required=True)
    p.add_argument("--am-external-url", required=True)
    p.add_argument("--token")
    p.add_argument("--feed-from", required=True)
    p.add_argument("--feed-to", required=True)
    p.add_argument("--timeout", type=float, default=60, help="drifted data -> cycle start")
    p.add_argument("--cycle-timeout", type=float, default=90, help="cycle start -> end")
    p.add_argument("--poll", type=float, default=0.1)
    p.add_argument("--result", required=True)
    p.set_defaults(func=cmd_loop)

    p = sub.add_parser("dashboard")
    common(p)
    p.add_argument("--dashboard", required=True)
    p.add_argument("--since", type=float, required=True, help="Unix time the run began (for the diagnosis)")
    p.add_argument("--result", required=True)
    p.set_defaults(func=cmd_dashboard)

    run_command(parser, "closed_loop", service_errors=(urllib.error.URLError, ConnectionError, socket.timeout))


if __name__ == "__main__":
    main()
