#!/usr/bin/env python3
"""Helper for tests-e2e/fault_kill.sh (stdlib only): sends triggers to a controller that is about to be killed,
waits for the last controller to finish every cycle, and checks the invariants afterwards.

Subcommands:
  ports N               print N free TCP ports on 127.0.0.1, one per line
  send ...              send triggers (forced manual retrains, drift webhooks, replayed drift events) to the
                        API until it stops answering or --max-seconds pass; every answer is appended to
                        --record as one JSON line ({"accepted": true, ...} for a 2xx with its cycle and trigger id);
                        --started-flag F is created when an answer first says a new cycle started
  aim ...               SIGKILL the controller right after the registry shows the cycle's version registered or
                        the champion alias moved to it (the built-in registry's file polled every 1 ms, MLflow's
                        REST API as fast as it answers), and log the kill
  wait-idle ...         until no pipeline has a running cycle (GET /v1/cycles?pipeline=P)
  check --manifest F    read the store, the Jenkins simulator's record (or --jenkins-state FILE, saved by an earlier
                        check with --save-jenkins-state, to re-check a kept run offline) and the registry (MLflow
                        or built-in) and check, printing each with its counts:
                          1. every accepted trigger (client-side 2xx) is in the store, in the cycle it was told;
                          2. every cycle ended (finished, in its terminal state, with an unbroken transition path);
                          3. at most one Jenkins build (and queue item) per cycle;
                          4. at most one promotion per cycle (champion history and the registry's versions);
                          5. each model's champion pointer equals the version of its last champion change.
                        Exits 1 naming every violation.

The manifest (written by fault_kill.sh) is JSON:
  {"store": {"kind": "sqlite", "path": F} | {"kind": "postgres", "url": URL},
   "registry": {"kind": "builtin", "dir": DATA_DIR/registry, "alias": "champion"}
             | {"kind": "mlflow", "url": URL, "alias": "champion"},
   "jenkins": SIMULATOR_URL, "cycle_param": "DRIFTLOOP_CYCLE",
   "pipelines": [{"name", "model", "job"}], "accepted": TRIGGERS.jsonl, "kills": KILLS.log,
   "kills_requested": N, "seed": S}
"""
import collections
import http.client
import json
import os
import random
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TERMINAL_OUTCOMES = {"promoted", "rejected", "no_drift", "failed", "cancelled", "rolled_back"}


# The shared helpers live in tests-e2e/support/ (harness.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from harness import Failure, command_line, decode_json_column, fmt_counts, psql_json, read_builtin_registry, run_command  # noqa: E402


def log(message):
    print(f"fault_kill_check: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ HTTP

def http_json(url, method="GET", body=None, timeout=10.0):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method, headers={"Accept": "application/json"})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


# ------------------------------------------------------------------ ports

# ------------------------------------------------------------------ send

def cmd_send(args):
    """Triggers at random intervals until the controller dies (connection refused/reset) or time runs out."""
    rng = random.Random(args.seed)
    pipelines = args.pipelines.split(",")
    host, port = urllib.parse.urlsplit(args.api).hostname, urllib.parse.urlsplit(args.api).port
    # Drift events accepted earlier (also before earlier kills): replaying one must be a duplicate of its cycle.
    earlier = []
    if os.path.exists(args.record):
        with open(args.record, encoding="utf-8") as f:
            for line in f:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if entry.get("accepted") and entry.get("kind") == "drift_webhook":
                    earlier.append((entry["pipeline"], entry["event_id"]))
    deadline = time.monotonic() + args.max_seconds
    sent = accepted = 0
    with open(args.record, "a", encoding="utf-8") as record:
        n = 0
        while time.monotonic() < deadline:
            pipeline = rng.choice(pipelines)
            roll = rng.random()
            event_id = None
            if roll < 0.5:
                kind, path = "manual", f"/v1/pipelines/{pipeline}/retrain"
                body = {"force": True, "reason": f"fault_kill {args.tag}-{n}", "requested_by": "fault_kill"}
            elif roll < 0.8 or not earlier:
                kind, path = "drift_webhook", "/v1/webhooks/drift"
                event_id = f"{args.tag}-{n}"
                body = {"pipeline": pipeline, "source": "fault_kill", "event_id": event_id, "force": True,
                        "reason": f"fault_kill drift {event_id}"}
            else:
                kind, path = "drift_webhook", "/v1/webhooks/drift"
                pipeline, event_id = rng.choice(earlier)
                body = {"pipeline": pipeline, "source": "fault_kill", "event_id": event_id, "force": True,
                        "reason": f"fault_kill drift {event_id} (replayed)"}
            n += 1
            entry = {"at": time.time(), "kind": kind, "pipeline": pipeline, "event_id": event_id, "accepted": False}
            stop = False
            conn = http.client.HTTPConnection(host, port, timeout=args.request_timeout)
            try:
                sent += 1
                conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                entry["status"] = response.status
                if 200 <= response.status < 300:
                    answer = json.loads(text)
                    entry.update(accepted=True, cycle_id=answer["cycle_id"], trigger_id=answer["trigger_id"],
                                 disposition=answer["disposition"], answer_pipeline=answer.get("pipeline"))
                    accepted += 1
                    if args.started_flag and answer["disposition"] == "started" and not os.path.exists(args.started_flag):
                        with open(args.started_flag, "w", encoding="utf-8") as flag:
                            flag.write(f"{answer['cycle_id']} {pipeline} {time.time():.6f}\n")
                    if kind == "drift_webhook" and answer["disposition"] != "duplicate":
                        earlier.append((pipeline, event_id))
                else:
                    entry["error"] = text[:500]
            except (ConnectionError, http.client.HTTPException, socket.timeout, OSError) as error:
                # The controller was killed (refused), or killed while answering (reset / no response):
                # not accepted from the client's side.
                entry["error"] = f"{type(error).__name__}: {error}"
                stop = True
            finally:
                conn.close()
            entry["done"] = time.time()
            record.write(json.dumps(entry) + "\n")
            record.flush()
            if stop:
                break
            pause = rng.uniform(0.0, args.max_gap)
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
    print(f"sent {sent} accepted {accepted}")


# ------------------------------------------------------------------ aim

def registry_view(registry, model, cycle_id):
    """(version registered by cycle_id or None, champion version or None) from the registry's own record."""
    alias = registry.get("alias", "champion")
    if registry["kind"] == "builtin":
        path = os.path.join(registry["dir"], model.replace("/", "_"), "registry.json")
        try:
            with open(path, encoding="utf-8") as f:
                index = json.load(f)
        except (OSError, json.JSONDecodeError):
            return None, None
        mine = next((v["version"] for v in index.get("versions", [])
                     if v.get("tags", {}).get("driftloop.cycle_id") == cycle_id), None)
        return mine, index.get("aliases", {}).get(alias)
    url = registry["url"].rstrip("/")
    found = mlflow_get(url, "model-versions/search",
                       {"filter": f"name='{model}' and tags.`driftloop.cycle_id`='{cycle_id}'", "max_results": "10"})
    versions = [] if "__error__" in found else found.get("model_versions", [])
    mine = str(versions[0]["version"]) if versions else None
    champion = None
    if mine is not None:
        holder = mlflow_get(url, "registered-models/alias", {"name": model, "alias": alias})
        if "__error__" not in holder:
            champion = str(holder["model_version"]["version"])
    return mine, champion


def cmd_aim(args):
    """Kill the controller (SIGKILL to --kill PID) right after the registry shows the cycle's version registered,
    or the champion alias moved to it: the moments between the registry's change and the store's record."""
    with open(args.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    model = next(p["model"] for p in manifest["pipelines"] if p["name"] == args.pipeline)
    deadline = time.monotonic() + args.timeout
    mode = args.event
    while True:
        mine, champion = registry_view(manifest["registry"], model, args.cycle)
        if (args.event == "registered" and mine is not None) or (args.event == "promoted" and mine is not None and champion == mine):
            break
        if time.monotonic() >= deadline:
            mode = f"{args.event}-missed"
            break
        time.sleep(args.poll)
    try:
        os.kill(args.kill, 9)
    except ProcessLookupError:
        pass
    with open(args.kills_log, "a", encoding="utf-8") as f:
        f.write(f"{time.time():.6f} {mode} 0 {args.cycle}\n")
    print(mode)


# ------------------------------------------------------------------ wait-idle

def cmd_wait_idle(args):
    pipelines = args.pipelines.split(",")
    deadline = time.monotonic() + args.timeout
    last_report = time.monotonic()
    while True:
        running = []
        try:
            for p in pipelines:
                body = http_json(f"{args.api}/v1/cycles?pipeline={urllib.parse.quote(p)}&limit=20")
                running += [f"{c['id']} ({p}, {c['state']})" for c in body.get("cycles", []) if c.get("status") == "running"]
        except (urllib.error.URLError, ConnectionError, socket.timeout, json.JSONDecodeError) as error:
            running = [f"API not answering ({error})"]
        if not running:
            return
        if time.monotonic() >= deadline:
            raise Failure(f"cycles still running after {args.timeout:.0f} s: {', '.join(running)}")
        if time.monotonic() - last_report > 10:
            log(f"waiting for {len(running)} running cycle(s): {', '.join(running)}")
            last_report = time.monotonic()
        time.sleep(0.2)


# ------------------------------------------------------------------ reading the records

STORE_QUERIES = {
    "cycles": "SELECT id, pipeline, kind, state, status, outcome, created_at, finished_at, handles, failure "
              "FROM cycles ORDER BY created_at, id",
    "transitions": "SELECT id, cycle_id, from_state, to_state, outcome, at FROM transitions ORDER BY id",
    "triggers": "SELECT id, pipeline, kind, dedup_key, cycle_id, disposition FROM triggers ORDER BY id",
    "history": "SELECT id, model, version, previous_version, cycle_id, kind, actor FROM champion_history ORDER BY id",
}


def read_store(store):
    tables = {}
    if store["kind"] == "sqlite":
        import sqlite3
        path = store["path"]
        if not os.path.exists(path):
            raise Failure(f"no SQLite store at {path}")
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        for name, sql in STORE_QUERIES.items():
            tables[name] = [dict(row) for row in db.execute(sql)]
        db.close()
    elif store["kind"] == "postgres":
        for name, sql in STORE_QUERIES.items():
            tables[name] = psql_json(store["url"], sql, timeout=120)
    else:
        raise Failure(f"unknown store kind {store['kind']!r}")
    decode_json_column(tables["cycles"], "handles")
    return tables


def read_accepted(path):
    entries = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError:
                    raise Failure(f"{path}:{number}: not JSON: {line[:200]}")
    return entries


def read_kills(path):
    """[(time, mode, aimed cycle id or None)] from the kill log: `TIME MODE DELAY_MS [CYCLE]` per line."""
    kills = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    kills.append((float(parts[0]), parts[1], parts[3] if len(parts) > 3 else None))
    return kills


def mlflow_get(url, route, params):
    query = urllib.parse.urlencode(params)
    try:
        return http_json(f"{url}/api/2.0/mlflow/{route}?{query}", timeout=30)
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")
        return {"__error__": error.code, "__detail__": detail}


def read_registry(registry, models):
    """Per model: {"versions": [{"version", "cycle_id", "tags"}], "champion": v|None, "previous": v|None}."""
    alias = registry.get("alias", "champion")
    out = {}
    for model in models:
        if registry["kind"] == "builtin":
            out[model] = read_builtin_registry(registry["dir"], model, alias)
        elif registry["kind"] == "mlflow":
            url = registry["url"].rstrip("/")
            versions, token = [], None
            while True:
                params = {"filter": f"name='{model}'", "max_results": "1000"}
                if token:
                    params["page_token"] = token
                page = mlflow_get(url, "model-versions/search", params)
                if "__error__" in page:
                    raise Failure(f"MLflow model-versions/search for {model}: HTTP {page['__error__']} {page['__detail__'][:300]}")
                for v in page.get("model_versions", []):
                    tags = {t["key"]: t.get("value") for t in v.get("tags", [])}
                    versions.append({"version": str(v["version"]), "cycle_id": tags.get("driftloop.cycle_id"), "tags": tags})
                token = page.get("next_page_token")
                if not token:
                    break

            def holder(name):
                found = mlflow_get(url, "registered-models/alias", {"name": model, "alias": name})
                if "__error__" in found:
                    return None  # 400 alias not found / 404 model not found: no holder
                return str(found["model_version"]["version"])

            out[model] = {"versions": versions, "champion": holder(alias), "previous": holder(f"previous_{alias}"),
                          "source": f"{url} registered model {model}"}
        else:
            raise Failure(f"unknown registry kind {registry['kind']!r}")
    return out


# ------------------------------------------------------------------ check

class Report:
    def __init__(self):
        self.violations = []
        self.warnings = []

    def violation(self, invariant, message):
        self.violations.append(f"[{invariant}] {message}")

    def warning(self, kind, message):
        self.warnings.append((kind, message))


def describe_cycle(cycle_id, store, sim_items):
    """A short account of one cycle for a violation message: its row, transitions and Jenkins record."""
    cycle = next((c for c in store["cycles"] if c["id"] == cycle_id), None)
    lines = []
    if cycle:
        lines.append(f"    cycle {cycle_id}: pipeline {cycle['pipeline']} kind {cycle['kind']} state {cycle['state']} "
                     f"status {cycle['status']} outcome {cycle['outcome']} failure {cycle['failure']!r}")
        lines.append(f"    handles: {json.dumps(cycle['handles'], sort_keys=True)}")
    for t in store["transitions"]:
        if t["cycle_id"] == cycle_id:
            lines.append(f"    transition #{t['id']} {t['from_state']} -> {t['to_state']} ({t['outcome']}) at {t['at']:.3f}")
    for item in sim_items.get(cycle_id, []):
        lines.append(f"    jenkins: {item}")
    return "\n".join(lines)


def cmd_check(args):
    with open(args.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    report = Report()
    store = read_store(manifest["store"])
    cycles = {c["id"]: c for c in store["cycles"]}
    models = sorted({p["model"] for p in manifest["pipelines"]})
    transitions_by_cycle = collections.defaultdict(list)
    for t in store["transitions"]:
        transitions_by_cycle[t["cycle_id"]].append(t)
    triggers_by_id = {t["id"]: t for t in store["triggers"]}
    triggers_by_cycle = collections.defaultdict(list)
    for t in store["triggers"]:
        triggers_by_cycle[t["cycle_id"]].append(t)
    param = manifest.get("cycle_param", "DRIFTLOOP_CYCLE")

    # Jenkins' own record: every queue item (one per accepted buildWithParameters) and every build.
    if args.jenkins_state:
        with open(args.jenkins_state, encoding="utf-8") as f:
            sim = json.load(f)
    else:
        sim = http_json(f"{manifest['jenkins']}/__sim/state", timeout=30)
        if args.save_jenkins_state:
            with open(args.save_jenkins_state, "w", encoding="utf-8") as f:
                json.dump({k: sim.get(k) for k in ("builds", "queue", "trigger_calls", "stops", "cancel_calls")}, f)
    jobs = {p["job"] for p in manifest["pipelines"]}
    builds_by_cycle = collections.defaultdict(list)
    items_by_cycle = collections.defaultdict(list)
    sim_lines = collections.defaultdict(list)
    builds_total = items_total = 0
    for build in sim.get("builds", []):
        if build.get("job") not in jobs:
            continue
        builds_total += 1
        cid = (build.get("parameters") or {}).get(param)
        builds_by_cycle[cid].append(build)
        sim_lines[cid].append(f"build {build['job']} #{build['number']} (queue item {build.get('queue_id')}) "
                              f"building={build.get('building')} result={build.get('result')} url={build.get('url')}")
    for item in sim.get("queue", []):
        if item.get("job") not in jobs:
            continue
        items_total += 1
        cid = (item.get("parameters") or {}).get(param)
        items_by_cycle[cid].append(item)
        sim_lines[cid].append(f"queue item {item['id']} state={item.get('state')} cancelled={item.get('cancelled')} "
                              f"build={item.get('build_number')}")

    # ---- 1. accepted triggers
    entries = read_accepted(manifest["accepted"])
    accepted = [e for e in entries if e.get("accepted")]
    refused = collections.Counter(str(e.get("status", "no answer")) for e in entries if not e.get("accepted"))
    missing = wrong_cycle = 0
    for e in accepted:
        row = triggers_by_id.get(e["trigger_id"])
        if row is None:
            missing += 1
            report.violation("triggers", f"trigger {e['trigger_id']} ({e['kind']} for {e['pipeline']}, answered "
                                         f"{e['disposition']} into cycle {e['cycle_id']} at {e['at']:.3f}) is not in the store")
            continue
        problems = []
        if row["cycle_id"] != e["cycle_id"]:
            problems.append(f"the store has it in cycle {row['cycle_id']}, the client was told {e['cycle_id']}")
        if row["pipeline"] != e["pipeline"]:
            problems.append(f"pipeline {row['pipeline']} in the store, {e['pipeline']} sent")
        if row["disposition"] != e["disposition"]:
            problems.append(f"disposition {row['disposition']} in the store, {e['disposition']} answered")
        if row["cycle_id"] not in cycles:
            problems.append(f"its cycle {row['cycle_id']} is not in the store")
        if problems:
            wrong_cycle += 1
            report.violation("triggers", f"trigger {e['trigger_id']}: " + "; ".join(problems))
    orphan_triggers = [t for t in store["triggers"] if t["cycle_id"] not in cycles]
    for t in orphan_triggers:
        report.violation("triggers", f"stored trigger {t['id']} names cycle {t['cycle_id']}, which is not in the store")
    unstarted = [c for c in store["cycles"] if c["kind"] != "rollback"
                 and not any(t["disposition"] == "started" for t in triggers_by_cycle[c["id"]])]
    for c in unstarted:
        report.violation("triggers", f"cycle {c['id']} ({c['pipeline']}) has no trigger with disposition started")
    acknowledged_ids = {e["trigger_id"] for e in accepted}
    unacknowledged = sum(1 for t in store["triggers"] if t["id"] not in acknowledged_ids)
    ok1 = missing == 0 and wrong_cycle == 0 and not orphan_triggers and not unstarted
    print(f"[{'ok' if ok1 else 'FAIL'}] every accepted trigger is in a cycle: {len(accepted)} accepted by the API "
          f"({fmt_counts(collections.Counter(e['disposition'] for e in accepted))}), {len(accepted) - missing - wrong_cycle} "
          f"in the store in the cycle they were told, {missing} missing, {wrong_cycle} elsewhere; "
          f"{len(store['triggers'])} stored ({unacknowledged} whose answer the kill cut off); "
          f"not accepted: {fmt_counts(refused)}")

    # ---- 2. every cycle ends
    unfinished = broken = 0
    for c in store["cycles"]:
        chain = transitions_by_cycle[c["id"]]
        problems = []
        if c["status"] != "finished":
            problems.append(f"status {c['status']} in state {c['state']}")
        if c["outcome"] not in TERMINAL_OUTCOMES:
            problems.append(f"outcome {c['outcome']!r}")
        if chain:
            if chain[0]["from_state"] is not None:
                problems.append(f"its first transition starts from {chain[0]['from_state']}")
            for before, after in zip(chain, chain[1:]):
                if after["from_state"] != before["to_state"]:
                    problems.append(f"transition #{after['id']} leaves {after['from_state']} but the cycle was in "
                                    f"{before['to_state']} (#{before['id']})")
            if chain[-1]["to_state"] != c["state"]:
                problems.append(f"last transition goes to {chain[-1]['to_state']}, the cycle says {c['state']}")
        elif c["kind"] != "rollback":
            problems.append("no transitions")
        if problems:
            if c["status"] != "finished":
                unfinished += 1
            else:
                broken += 1
            report.violation("cycles end", f"cycle {c['id']} ({c['pipeline']}): " + "; ".join(problems) + "\n"
                             + describe_cycle(c["id"], store, sim_lines))
    outcomes = collections.Counter(c["outcome"] if c["status"] == "finished" else f"running in {c['state']}"
                                   for c in store["cycles"])
    per_pipeline = collections.Counter(c["pipeline"] for c in store["cycles"])
    ok2 = unfinished == 0 and broken == 0
    print(f"[{'ok' if ok2 else 'FAIL'}] every cycle ends: {len(store['cycles'])} cycles ({fmt_counts(per_pipeline)}), "
          f"{len(store['cycles']) - unfinished} finished ({fmt_counts(outcomes)}), {unfinished} not finished, "
          f"{broken} with a broken transition path; {len(store['transitions'])} transitions")
    for c in store["cycles"]:
        if c["outcome"] != "promoted":
            report.warning("outcome", f"cycle {c['id']} ({c['pipeline']}) ended {c['outcome']} (every build succeeds and every "
                           f"challenger is better, so promoted was expected): {c['failure']!r}\n"
                           + describe_cycle(c["id"], store, sim_lines))

    # ---- 3. at most one build per cycle
    over_builds = 0
    for cid in sorted(set(builds_by_cycle) | set(items_by_cycle), key=str):
        if cid not in cycles:
            report.violation("builds", f"Jenkins has {len(builds_by_cycle[cid])} build(s) / {len(items_by_cycle[cid])} queue "
                                       f"item(s) with {param}={cid!r}, a cycle the store does not have\n"
                             + "\n".join(f"    jenkins: {line}" for line in sim_lines[cid]))
            continue
        if len(builds_by_cycle[cid]) > 1 or len(items_by_cycle[cid]) > 1:
            over_builds += 1
            report.violation("builds", f"cycle {cid} has {len(builds_by_cycle[cid])} builds and {len(items_by_cycle[cid])} "
                                       f"queue items in Jenkins\n" + describe_cycle(cid, store, sim_lines))
    handle_mismatch = 0
    for cid, c in cycles.items():
        recorded = c["handles"].get("jenkins_build_url")
        builds = builds_by_cycle.get(cid, [])
        if recorded and len(builds) == 1 and not recorded.rstrip("/").endswith(builds[0]["url"].rstrip("/")):
            handle_mismatch += 1
            report.violation("builds", f"cycle {cid} records build {recorded}, but Jenkins ran {builds[0]['url']} for it")
        if recorded and not builds:
            handle_mismatch += 1
            report.violation("builds", f"cycle {cid} records build {recorded}, but Jenkins has no build for it")
        if c["outcome"] == "promoted" and c["kind"] != "rollback" and not any(b.get("result") == "SUCCESS" for b in builds):
            handle_mismatch += 1
            report.violation("builds", f"cycle {cid} was promoted without a successful Jenkins build\n"
                             + describe_cycle(cid, store, sim_lines))
    with_build = sum(1 for cid in builds_by_cycle if cid in cycles)
    still_building = sum(1 for bs in builds_by_cycle.values() for b in bs if b.get("building"))
    max_builds = max([len(v) for v in builds_by_cycle.values()] or [0])
    ok3 = over_builds == 0 and handle_mismatch == 0 and all(cid in cycles for cid in builds_by_cycle) \
        and all(cid in cycles for cid in items_by_cycle)
    print(f"[{'ok' if ok3 else 'FAIL'}] at most one build per cycle: {builds_total} builds and {items_total} queue items "
          f"in Jenkins, {with_build} cycles with a build (max {max_builds} per cycle), {over_builds} with more than one, "
          f"{handle_mismatch} whose record disagrees with Jenkins; {still_building} still building; "
          f"{sum(1 for t in sim.get('trigger_calls', []) if t.get('job') in jobs)} buildWithParameters calls")
    if still_building:
        report.warning("building", f"{still_building} Jenkins build(s) still running after every cycle ended")

    # ---- 4. at most one promotion per cycle
    promotions = [h for h in store["history"] if h["kind"] == "promotion"]
    promotions_by_cycle = collections.defaultdict(list)
    for h in promotions:
        promotions_by_cycle[h["cycle_id"]].append(h)
    registry = read_registry(manifest["registry"], models)
    over_promotions = inconsistent = 0
    for cid, rows in promotions_by_cycle.items():
        if len(rows) > 1:
            over_promotions += 1
            report.violation("promotions", f"cycle {cid} has {len(rows)} promotions in the champion history: "
                             + ", ".join(f"#{r['id']} {r['model']} v{r['version']}" for r in rows) + "\n"
                             + describe_cycle(cid, store, sim_lines))
        c = cycles.get(cid)
        if c is None:
            inconsistent += 1
            report.violation("promotions", f"champion history #{rows[0]['id']} names cycle {cid}, not in the store")
        elif c["outcome"] != "promoted":
            inconsistent += 1
            report.violation("promotions", f"cycle {cid} promoted {rows[0]['model']} v{rows[0]['version']} (history "
                                           f"#{rows[0]['id']}) but ended {c['outcome']}\n" + describe_cycle(cid, store, sim_lines))
    for cid, c in cycles.items():
        if c["outcome"] == "promoted" and c["kind"] != "rollback" and not promotions_by_cycle.get(cid):
            inconsistent += 1
            report.violation("promotions", f"cycle {cid} ended promoted but the champion history has no promotion for it\n"
                             + describe_cycle(cid, store, sim_lines))
    registered_total = 0
    over_registered = 0
    registry_promoted_tags = 0
    for model in models:
        by_cycle = collections.defaultdict(list)
        for v in registry[model]["versions"]:
            registered_total += 1
            by_cycle[v["cycle_id"]].append(v)
            if "driftloop.promoted_at" in v["tags"]:
                registry_promoted_tags += 1
        for cid, versions in by_cycle.items():
            if len(versions) > 1:
                over_registered += 1
                report.violation("promotions", f"model {model} has {len(versions)} versions from cycle {cid}: "
                                 + ", ".join(f"v{v['version']}" for v in versions))
        for h in promotions:
            if h["model"] != model:
                continue
            mine = by_cycle.get(h["cycle_id"], [])
            if not mine:
                inconsistent += 1
                report.violation("promotions", f"history #{h['id']} promoted {model} v{h['version']} for cycle "
                                               f"{h['cycle_id']}, but the registry has no version from that cycle")
            elif all(v["version"] != h["version"] for v in mine):
                inconsistent += 1
                report.violation("promotions", f"history #{h['id']} promoted {model} v{h['version']} for cycle "
                                               f"{h['cycle_id']}, the registry's version from that cycle is "
                                               + ", ".join(f"v{v['version']}" for v in mine))
            elif manifest["registry"]["kind"] == "mlflow":
                version = next(v for v in mine if v["version"] == h["version"])
                if "driftloop.promoted_at" not in version["tags"]:
                    report.violation("promoted_at", f"MLflow {model} v{h['version']} (cycle {h['cycle_id']}) was promoted "
                                   f"(history #{h['id']}) but lacks the driftloop.promoted_at tag")
        for cid in by_cycle:
            if cid not in cycles:
                inconsistent += 1
                report.violation("promotions", f"model {model} has a version from cycle {cid}, not in the store")
    promoted_cycles = sum(1 for c in cycles.values() if c["outcome"] == "promoted")
    ok4 = over_promotions == 0 and inconsistent == 0 and over_registered == 0
    extra = f", {registry_promoted_tags} tagged driftloop.promoted_at" if manifest["registry"]["kind"] == "mlflow" else ""
    print(f"[{'ok' if ok4 else 'FAIL'}] at most one promotion per cycle: {len(promotions)} promotions in the champion "
          f"history over {len(promotions_by_cycle)} cycles (max {max([len(v) for v in promotions_by_cycle.values()] or [0])} "
          f"per cycle), {promoted_cycles} cycles ended promoted; {manifest['registry']['kind']} registry: "
          f"{registered_total} versions{extra}, {over_registered} cycles with more than one; {inconsistent} disagreements")

    # ---- 5. champion pointer == last promotion
    pointer_bad = 0
    pointer_lines = []
    for model in models:
        changes = [h for h in store["history"] if h["model"] == model]
        reg = registry[model]
        if not changes:
            if reg["champion"] is not None:
                pointer_bad += 1
                report.violation("champion", f"model {model}: no champion change in the history, but the registry's "
                                             f"champion is v{reg['champion']} ({reg['source']})")
            pointer_lines.append(f"{model} none")
            continue
        last = changes[-1]
        if reg["champion"] != last["version"]:
            pointer_bad += 1
            report.violation("champion", f"model {model}: the registry's champion is v{reg['champion']} but the last champion "
                                         f"change (history #{last['id']}, {last['kind']} by cycle {last['cycle_id']}) is "
                                         f"v{last['version']} ({reg['source']})")
        if last["previous_version"] is not None and reg["previous"] != last["previous_version"]:
            pointer_bad += 1
            report.violation("champion", f"model {model}: previous champion in the registry is v{reg['previous']}, the "
                                         f"last change (history #{last['id']}) replaced v{last['previous_version']}")
        # Each change must start from the version the one before it left.
        for before, after in zip(changes, changes[1:]):
            if after["previous_version"] != before["version"]:
                pointer_bad += 1
                report.violation("champion", f"model {model}: history #{after['id']} replaced v{after['previous_version']}, "
                                             f"but #{before['id']} had made v{before['version']} the champion")
        pointer_lines.append(f"{model} v{reg['champion']} after {len(changes)} changes")
    print(f"[{'ok' if pointer_bad == 0 else 'FAIL'}] champion pointer equals the last promotion: "
          f"{'; '.join(pointer_lines)}; {pointer_bad} disagreements")

    # ---- where the kills landed
    kills = read_kills(manifest["kills"])
    landed = collections.Counter()
    for at, mode, _ in kills:
        states = []
        for c in store["cycles"]:
            if c["created_at"] <= at and (c["finished_at"] is None or c["finished_at"] > at):
                state = "created"
                for t in transitions_by_cycle[c["id"]]:
                    if t["at"] <= at:
                        state = t["to_state"]
                states.append(state)
        if mode == "startup":
            landed["during start-up"] += 1
        for s in states:
            landed[s] += 1
        if not states:
            landed["no cycle running"] += 1
    # The narrow window of start_training: Jenkins has queued the build, the store does not yet have the cycle in
    # await_training (a restart must find the build by the cycle's id instead of triggering another).
    queued_at = {cid: min(item["in_queue_since"] for item in items) / 1000.0
                 for cid, items in items_by_cycle.items() if items}
    left_train = {}
    for t in store["transitions"]:
        if t["from_state"] == "train" and t["cycle_id"] not in left_train:
            left_train[t["cycle_id"]] = t["at"]
    in_window = sum(1 for at, _, _ in kills for cid, q in queued_at.items()
                    if q <= at < left_train.get(cid, float("inf")) and cycles.get(cid, {}).get("created_at", at) <= at)
    # Kills aimed at the registry's change: hits are those that landed before the store recorded the promotion.
    recorded = {}
    for t in store["transitions"]:
        if t["from_state"] == "promote":
            recorded.setdefault(t["cycle_id"], t["at"])
    aimed = collections.Counter()
    for at, mode, cid in kills:
        if cid and mode in ("registered", "promoted"):
            aimed[f"{mode} {'hit' if at < recorded.get(cid, float('inf')) else 'late'}"] += 1
    print(f"kills: {len(kills)} ({fmt_counts(collections.Counter(m for _, m, _ in kills))}); running cycles' states at the "
          f"kills: {fmt_counts(landed)}; {in_window} after Jenkins queued a build and before its cycle left train; "
          f"aimed at the registry, landing before the store recorded the promotion: {fmt_counts(aimed)}")

    sys.stdout.flush()
    # Warnings (not invariants): at most 5 of each kind, then how many more.
    shown = collections.Counter()
    for kind, w in report.warnings:
        shown[kind] += 1
        if shown[kind] <= 5:
            log(f"warning: {w}")
    for kind, n in shown.items():
        if n > 5:
            log(f"warning: ... and {n - 5} more like the above ({n} in all)")
    for v in report.violations:
        log(f"VIOLATION {v}")
    sys.stderr.flush()
    print(f"fault_kill: store={manifest['store']['kind']} registry={manifest['registry']['kind']} kills={len(kills)} "
          f"cycles={len(store['cycles'])} triggers={len(accepted)} builds={builds_total} promotions={len(promotions)} "
          f"violations={len(report.violations)} warnings={len(report.warnings)}", flush=True)
    if args.result:
        with open(args.result, "w", encoding="utf-8") as f:
            json.dump({"kills": len(kills), "cycles": len(store["cycles"]), "triggers": len(accepted),
                       "builds": builds_total, "promotions": len(promotions), "violations": report.violations,
                       "warnings": [w for _, w in report.warnings], "outcomes": dict(outcomes), "landed": dict(landed)}, f, indent=1)
    if report.violations:
        raise Failure(f"{len(report.violations)} invariant violation(s), listed above")


def main():
    parser, sub = command_line(__doc__)
    p = sub.add_parser("send")
    p.add_argument("--api", required=True)
    p.add_argument("--pipelines", required=True, help="comma-separated")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--tag", required=True, help="prefix of event ids and reasons (unique per send)")
    p.add_argument("--max-seconds", type=float, required=True)
    p.add_argument("--max-gap", type=float, default=0.3, help="longest pause between triggers (s)")
    p.add_argument("--request-timeout", type=float, default=10.0)
    p.add_argument("--record", required=True)
    p.add_argument("--started-flag", help="create this file when an answer first says a cycle started")
    p.set_defaults(func=cmd_send)
    p = sub.add_parser("aim")
    p.add_argument("--manifest", required=True)
    p.add_argument("--pipeline", required=True)
    p.add_argument("--cycle", required=True)
    p.add_argument("--event", choices=["registered", "promoted"], required=True)
    p.add_argument("--kill", type=int, required=True, help="the controller's pid")
    p.add_argument("--kills-log", required=True)
    p.add_argument("--timeout", type=float, default=6.0)
    p.add_argument("--poll", type=float, default=0.001)
    p.set_defaults(func=cmd_aim)
    p = sub.add_parser("wait-idle")
    p.add_argument("--api", required=True)
    p.add_argument("--pipelines", required=True)
    p.add_argument("--timeout", type=float, default=120)
    p.set_defaults(func=cmd_wait_idle)
    p = sub.add_parser("check")
    p.add_argument("--manifest", required=True)
    p.add_argument("--result", help="also write the counts and violations as JSON here")
    p.add_argument("--save-jenkins-state", help="keep the simulator's record (builds, queue, trigger calls) here")
    p.add_argument("--jenkins-state", help="read the simulator's record from this file (saved by an earlier check) "
                                           "instead of asking the running simulator")
    p.set_defaults(func=cmd_check)
    run_command(parser, "fault_kill_check")


if __name__ == "__main__":
    main()
