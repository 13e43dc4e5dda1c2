#!/usr/bin/env python3
"""Helper for tests-e2e/replicas_failover.sh (stdlib only; PostgreSQL is read with the `psql` client).

Subcommands:
  ports N                 print N free TCP ports on 127.0.0.1, one per line
  retry --api URL --pending F --record F
                          re-send, to URL, the request each wrk thread had in flight when its replica was killed (the
                          first unanswered one per thread in F, a .pending file), as a client whose answer was lost
                          would; answers are recorded in the wrk script's record format
  check --manifest F      read the storm's answers (the wrk script's per-thread records), the store, the trainer's
                          job files and the built-in registry's files, check the invariants, print the figures;
                          exit 1 naming every violation:
    1. every 2xx answer is a stored trigger row with the same id, pipeline, cycle and disposition, for the event sent;
       every stored row was answered 2xx or was in flight when its wrk stopped (or its replica died); no non-2xx
    2. per event (dedup key): the first row is not a duplicate, every later one is `duplicate` of the same cycle
    3. one `started` trigger per cycle; every pipeline has at least one cycle
    4. every cycle finished: its transitions form one path of the pipeline's graph from (none) -> detect to the
       terminal state it is in, no state entered twice; none failed or was cancelled
    5. one training job per cycle that left `train` (the trainer's job files, keyed by the cycle id), the one its
       transition and handle name; none for a cycle that did not; succeeded for every cycle that was evaluated
    6. at most one promotion per cycle (champion history and registry versions), one for each promoted cycle
    7. each model's champion pointer (registry.json) equals its last champion change, which replaced the one before
    8. after the drain the survivor holds every lease, the dead replica's taken after the kill
  Then the figures: triggers/s accepted (both replicas, each, before and after the kill), latency p50/p90/p99,
  cycles/s, takeover times, the survivor's RSS.
"""
import bisect
import collections
import glob
import json
import os
import statistics
import sys

TERMINALS = {"promoted", "rejected", "no_drift", "failed", "cancelled"}
INITIAL = "detect"
# The state graph of pipelines/example.yaml (the generated pipelines keep it): state -> {outcome: next state}.
# Every state also has `error` and `timeout` -> failed, and `cancelled` -> cancelled.
GRAPH = {
    "detect": {"drift": "train", "forced": "train", "no_drift": "no_drift"},
    "train": {"started": "await_training"},
    "await_training": {"succeeded": "evaluate", "failed": "failed"},
    "evaluate": {"better": "promote", "not_better": "reject"},
    "promote": {"promoted": "promoted"},
    "reject": {"rejected": "rejected"},
}
UNIVERSAL = {"error": "failed", "timeout": "failed", "cancelled": "cancelled"}


# The shared helpers live in tests-e2e/support/ (harness.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from harness import Failure, command_line, decode_json_column, fmt_counts, psql_json, read_builtin_registry, run_command  # noqa: E402


def log(message):
    print(f"replicas_failover_check: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ retry

def cmd_retry(args):
    """Per wrk thread, the first request never answered is the one in flight at the kill (later ones were refused)."""
    import http.client
    import time
    import urllib.parse
    first = {}
    with open(args.pending, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            kind, event, pipeline = parts
            thread = event.split("-")[-2]
            first.setdefault(thread, (kind, event, pipeline))
    url = urllib.parse.urlsplit(args.api)
    with open(args.record, "w", encoding="utf-8") as out:
        for thread, (kind, event, pipeline) in sorted(first.items()):
            body = json.dumps({"pipeline": pipeline, "source": "rf", "event_id": event,
                               "reason": "replicas_failover retry after the kill"})
            for attempt in range(20):
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
                try:
                    conn.request("POST", "/v1/webhooks/drift", body=body, headers={"Content-Type": "application/json"})
                    response = conn.getresponse()
                    text = response.read().decode("utf-8", "replace")
                    break
                except (OSError, http.client.HTTPException):
                    time.sleep(0.25)
                finally:
                    conn.close()
            else:
                raise Failure(f"{args.api} did not answer the retry of {event}")
            if 200 <= response.status < 300:
                a = json.loads(text)
                out.write(f"retry {event} {pipeline} {response.status} {a['trigger_id']} {a['cycle_id']} "
                          f"{a['disposition']} {a['pipeline']}\n")
            else:
                out.write(f"retry {event} {pipeline} {response.status} - - - -\n")
    print(len(first))


# ------------------------------------------------------------------ reading

QUERIES = {
    "cycles": "SELECT id, pipeline, kind, state, status, outcome, created_at, finished_at, handles, failure "
              "FROM cycles ORDER BY created_at, seq",
    "transitions": "SELECT id, cycle_id, from_state, to_state, outcome, at, details FROM transitions ORDER BY id",
    "triggers": "SELECT id, pipeline, kind, dedup_key, cycle_id, disposition, received_at FROM triggers ORDER BY id",
    "history": "SELECT id, model, version, previous_version, cycle_id, kind, at, actor FROM champion_history ORDER BY id",
}


def read_store(url):
    tables = {name: psql_json(url, sql) for name, sql in QUERIES.items()}
    decode_json_column(tables["cycles"], "handles")
    decode_json_column(tables["transitions"], "details")
    return tables


def read_records(out, side):
    """[{kind, event, pipeline, status, trigger_id, cycle_id, disposition, answer_pipeline, side}] of one storm."""
    rows = []
    for path in sorted(glob.glob(os.path.join(out, f"{side}-*.rec"))):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                parts = line.split()
                if len(parts) != 8:
                    raise Failure(f"{path}:{number}: expected 8 fields, got {line!r}")
                kind, event, pipeline, status, tid, cid, disposition, apipe = parts
                rows.append({"kind": kind, "event": event, "pipeline": pipeline, "status": int(status),
                             "trigger_id": None if tid == "-" else int(tid), "cycle_id": None if cid == "-" else cid,
                             "disposition": None if disposition == "-" else disposition,
                             "answer_pipeline": None if apipe == "-" else apipe, "side": side})
    return rows


def read_pending(out, side):
    path = os.path.join(out, f"{side}.pending")
    entries = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3:
                    entries.append({"kind": parts[0], "event": parts[1], "pipeline": parts[2], "side": side})
    return entries


def read_wrk(out, side):
    path = os.path.join(out, f"{side}.wrk")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("RF "):
                return {k: v for k, v in (kv.split("=", 1) for kv in line.split()[1:])}
    raise Failure(f"{path}: no RF line (wrk gave no result)")


def read_latency(out, side):
    """(count, max_us, [(percentile, us)]) from the wrk script's dump."""
    path = os.path.join(out, f"{side}.latency")
    count, top, points = 0, 0, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, value = line.split()
            if key == "count":
                count = int(value)
            elif key == "max":
                top = int(value)
            else:
                points.append((float(key), int(value)))
    return count, top, sorted(points)


def mixture_percentile(dists, q):
    """The q-th percentile (µs) of several latency distributions together, each given as (count, max, points)."""
    dists = [d for d in dists if d[0] > 0 and d[2]]
    if not dists:
        return 0.0
    total = sum(d[0] for d in dists)

    def cdf(points, top, x):  # share (0..100) of this distribution at or below x, linear between the points
        values = [v for _, v in points]
        i = bisect.bisect_right(values, x)
        if i == 0:
            p0, v0 = points[0]
            return p0 * (x / v0) if v0 > 0 else p0
        if i >= len(points):
            pl, vl = points[-1]
            return 100.0 if x >= top or top <= vl else pl + (100.0 - pl) * (x - vl) / (top - vl)
        (pa, va), (pb, vb) = points[i - 1], points[i]
        return pa if vb == va else pa + (pb - pa) * (x - va) / (vb - va)

    lo, hi = 0.0, float(max(d[1] for d in dists))
    for _ in range(60):
        mid = (lo + hi) / 2
        share = sum(d[0] * cdf(d[2], d[1], mid) for d in dists) / total
        if share < q:
            lo = mid
        else:
            hi = mid
    return hi


def read_jobs(directory):
    jobs = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path, encoding="utf-8") as f:
            job = json.load(f)
        jobs.append({"file": path, "key": job.get("idempotencyKey"), "cycle_id": job.get("request", {}).get("cycle_id"),
                     "job": job.get("status", {}).get("job"), "status": job.get("status", {}).get("status"),
                     "pipeline": job.get("request", {}).get("pipeline")})
    return jobs


def read_registry(directory, models):
    return {model: read_builtin_registry(directory, model) for model in models}


# ------------------------------------------------------------------ check

def seconds(text):
    """A driftloop duration (`3s`, `250ms`, `1m`) in seconds."""
    for suffix, factor in (("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)):
        if text.endswith(suffix) and text[: -len(suffix)].replace(".", "", 1).isdigit():
            return float(text[: -len(suffix)]) * factor
    raise Failure(f"cannot read the duration {text!r}")


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q / 100.0 * (len(values) - 1)))))]


def cmd_check(args):
    with open(args.manifest, encoding="utf-8") as f:
        m = json.load(f)
    out = m["out"]
    violations = []

    def violation(invariant, message):
        violations.append(f"[{invariant}] {message}")

    store = read_store(m["postgres_url"])
    cycles = {c["id"]: c for c in store["cycles"]}
    transitions = collections.defaultdict(list)
    for t in store["transitions"]:
        transitions[t["cycle_id"]].append(t)
    triggers = {t["id"]: t for t in store["triggers"]}
    jobs = read_jobs(m["trainer_jobs"])
    jobs_by_key = collections.defaultdict(list)
    for j in jobs:
        jobs_by_key[j["key"]].append(j)
    logs = {}
    for name, path in m["logs"].items():
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                logs[name] = f.read().splitlines()

    def describe(cid):
        c = cycles.get(cid)
        lines = []
        if c:
            lines.append(f"    cycle {cid}: pipeline {c['pipeline']} kind {c['kind']} state {c['state']} status {c['status']} "
                         f"outcome {c['outcome']} created {c['created_at']:.3f} finished {c['finished_at']} "
                         f"failure {c['failure']!r} handles {json.dumps(c['handles'], sort_keys=True)}")
        for t in transitions.get(cid, []):
            lines.append(f"    transition #{t['id']} {t['from_state']} -> {t['to_state']} ({t['outcome']}) at {t['at']:.3f} "
                         f"(kill {t['at'] - m['kill_t']:+.3f} s) {json.dumps(t['details'], sort_keys=True)[:300]}")
        for j in jobs_by_key.get(cid, []):
            lines.append(f"    trainer job {j['job']} status {j['status']} ({j['file']})")
        for name, text in logs.items():
            # "resuming cycle" repeats on every lease poll while a cycle runs: left out.
            hits = [line for line in text if cid in line and "resuming cycle" not in line]
            for line in hits[-6:]:
                lines.append(f"    {name}.log: {line[:400]}")
        return "\n".join(lines)

    sides = list(m["sides"].keys())
    records = [r for side in sides for r in read_records(out, side)]
    pending = [p for side in sides for p in read_pending(out, side)]
    wrk_sides = [side for side in sides if os.path.exists(os.path.join(out, f"{side}.wrk"))]
    wrk = {side: read_wrk(out, side) for side in wrk_sides}
    ok_answers = [r for r in records if 200 <= r["status"] < 300]
    bad_answers = [r for r in records if not 200 <= r["status"] < 300]
    victim, survivor, kill_t = m["victim"], m["survivor"], m["kill_t"]

    # ---- 1. answers <-> stored triggers
    mismatched = 0
    answered_ids = set()
    for r in ok_answers:
        row = triggers.get(r["trigger_id"])
        expect_key = f"drift:rf:{r['event']}"
        if row is None:
            mismatched += 1
            violation("answers", f"{r['side']}: event {r['event']} answered {r['status']} trigger {r['trigger_id']} cycle "
                                 f"{r['cycle_id']} ({r['disposition']}), but no trigger row has that id")
            continue
        answered_ids.add(row["id"])
        problems = []
        if row["cycle_id"] != r["cycle_id"]:
            problems.append(f"cycle {row['cycle_id']} stored, {r['cycle_id']} answered")
        if row["disposition"] != r["disposition"]:
            problems.append(f"disposition {row['disposition']} stored, {r['disposition']} answered")
        if row["pipeline"] != r["pipeline"] or r["answer_pipeline"] != r["pipeline"]:
            problems.append(f"pipeline {row['pipeline']} stored, {r['answer_pipeline']} answered, {r['pipeline']} sent")
        if row["dedup_key"] != expect_key:
            problems.append(f"dedup key {row['dedup_key']} stored, {expect_key} sent")
        if row["cycle_id"] not in cycles:
            problems.append(f"its cycle {row['cycle_id']} is not in the store")
        if problems:
            mismatched += 1
            violation("answers", f"{r['side']}: event {r['event']} (trigger {r['trigger_id']}): " + "; ".join(problems))
    pending_keys = {f"drift:rf:{p['event']}": p for p in pending}
    unanswered_rows = [t for t in store["triggers"] if t["id"] not in answered_ids]
    in_flight_stored = collections.Counter()
    strays = 0
    for t in unanswered_rows:
        p = pending_keys.get(t["dedup_key"])
        if p is None:
            strays += 1
            violation("answers", f"trigger row {t['id']} ({t['pipeline']}, {t['dedup_key']}, {t['disposition']}, cycle "
                                 f"{t['cycle_id']}) was never answered 2xx and was not in flight when a storm stopped")
        else:
            in_flight_stored[p["side"]] += 1
    if len(answered_ids) != len(ok_answers):
        mismatched += 1
        violation("answers", f"{len(ok_answers)} 2xx answers name only {len(answered_ids)} distinct trigger rows")
    if bad_answers:
        violation("answers", f"{len(bad_answers)} non-2xx answers: "
                             f"{fmt_counts(collections.Counter(r['status'] for r in bad_answers))}; first: {bad_answers[0]}")
    ok1 = mismatched == 0 and strays == 0 and not bad_answers
    dispositions = collections.Counter(r["disposition"] for r in ok_answers)
    print(f"[{'ok' if ok1 else 'FAIL'}] every 2xx trigger is stored with its cycle: {len(ok_answers)} answers 2xx "
          f"({fmt_counts(dispositions)}), {len(bad_answers)} non-2xx; {len(store['triggers'])} trigger rows, "
          f"{len(unanswered_rows)} never answered, all of them in flight when a storm stopped or a replica died "
          f"({fmt_counts(in_flight_stored)}); {mismatched} mismatches, {strays} strays")

    # ---- 2. deduplication across replicas
    by_key = collections.defaultdict(list)
    for t in store["triggers"]:
        by_key[(t["pipeline"], t["dedup_key"])].append(t)
    dedup_bad = 0
    for (pipeline, key), rows in by_key.items():
        first, rest = rows[0], rows[1:]
        if first["disposition"] == "duplicate":
            dedup_bad += 1
            violation("dedup", f"{pipeline} {key}: its first row #{first['id']} is a duplicate")
        for r in rest:
            if r["disposition"] != "duplicate" or r["cycle_id"] != first["cycle_id"]:
                dedup_bad += 1
                violation("dedup", f"{pipeline} {key}: row #{r['id']} is {r['disposition']} of cycle {r['cycle_id']}, but "
                                   f"row #{first['id']} ({first['disposition']}, cycle {first['cycle_id']}) came first")
    resends = [r for r in ok_answers if r["kind"] == "dup"]
    resend_dup = sum(1 for r in resends if r["disposition"] == "duplicate")
    # Re-sends of events the dead replica accepted, answered by the survivor (s2 repeats the dead one's storm).
    dead_side = f"{victim}1"
    dead_accepted = {r["event"] for r in ok_answers if r["side"] == dead_side}
    after_death = [r for r in resends if r["side"] == "s2" and r["event"] in dead_accepted]
    after_death_dup = sum(1 for r in after_death if r["disposition"] == "duplicate")
    if after_death_dup != len(after_death):
        violation("dedup", f"{len(after_death) - after_death_dup} re-sends to the survivor of events the dead replica "
                           f"had accepted were not answered duplicate")
    retries = [r for r in records if r["kind"] == "retry"]
    retry_kinds = collections.Counter()
    for r in retries:
        earlier = [row for row in by_key.get((r["pipeline"], f"drift:rf:{r['event']}"), [])
                   if r["trigger_id"] is not None and row["id"] < r["trigger_id"]]
        # Whatever came first, the retry must be its duplicate (checked above with every other row).
        if any(row["id"] not in answered_ids for row in earlier):
            retry_kinds["lost answer, committed"] += 1
        elif earlier:
            retry_kinds["re-send, original stored"] += 1
        else:
            retry_kinds["never committed"] += 1
    multi = sum(1 for rows in by_key.values() if len(rows) > 1)
    ok2 = dedup_bad == 0 and after_death_dup == len(after_death)
    print(f"[{'ok' if ok2 else 'FAIL'}] duplicates join the first event's cycle: {len(by_key)} distinct events stored, "
          f"{multi} of them more than once; {len(resends)} re-sends to the other replica answered 2xx: {resend_dup} "
          f"duplicate, {len(resends) - resend_dup} arrived before the original; {after_death_dup}/{len(after_death)} "
          f"re-sends to the survivor of events the dead replica had accepted answered duplicate; {len(retries)} requests in "
          f"flight at the kill retried on the survivor ({fmt_counts(retry_kinds)}; answered "
          f"{fmt_counts(collections.Counter(r['disposition'] for r in retries))}); {dedup_bad} violations")

    # ---- 3. one started trigger per cycle, every pipeline has cycles
    started = collections.defaultdict(list)
    for t in store["triggers"]:
        if t["disposition"] == "started":
            started[t["cycle_id"]].append(t)
    start_bad = 0
    for cid in cycles:
        if len(started.get(cid, [])) != 1:
            start_bad += 1
            violation("cycles", f"cycle {cid} has {len(started.get(cid, []))} `started` triggers\n{describe(cid)}")
    for cid in started:
        if cid not in cycles:
            start_bad += 1
            violation("cycles", f"`started` trigger for cycle {cid}, which is not in the store")
    per_pipeline = collections.Counter(c["pipeline"] for c in cycles.values())
    names = [f"p{i:02d}" for i in range(m["pipelines"])]
    empty = [p for p in names if per_pipeline[p] == 0]
    unknown = sorted(set(per_pipeline) - set(names))
    for p in empty:
        violation("cycles", f"pipeline {p} has no cycle")
    for p in unknown:
        violation("cycles", f"cycles for unknown pipeline {p}")
    counts = [per_pipeline[p] for p in names]
    ok3 = start_bad == 0 and not empty and not unknown
    print(f"[{'ok' if ok3 else 'FAIL'}] every pipeline has cycles, each started once: {len(cycles)} cycles over "
          f"{len(names) - len(empty)}/{len(names)} pipelines (per pipeline min {min(counts)}, median "
          f"{statistics.median(counts):g}, max {max(counts)}); {start_bad} cycles without exactly one `started` trigger")

    # ---- 4. one path per cycle, every cycle finished, none failed
    path_bad = 0
    failed = []
    outcomes = collections.Counter()
    for cid, c in cycles.items():
        ts = transitions.get(cid, [])
        problems = []
        if c["status"] != "finished":
            problems.append(f"status {c['status']} in state {c['state']}")
        if not ts:
            problems.append("no transitions")
        else:
            if ts[0]["from_state"] is not None or ts[0]["to_state"] != INITIAL or ts[0]["outcome"] != "started":
                problems.append(f"first transition is {ts[0]['from_state']} -> {ts[0]['to_state']} ({ts[0]['outcome']})")
            entered = [t["to_state"] for t in ts]
            again = [s for s, n in collections.Counter(entered).items() if n > 1]
            if again:
                problems.append(f"state(s) entered more than once: {', '.join(again)}")
            for before, after in zip(ts, ts[1:]):
                if after["from_state"] != before["to_state"]:
                    problems.append(f"transition #{after['id']} leaves {after['from_state']}, the cycle was in {before['to_state']}")
                expected = GRAPH.get(after["from_state"], {}).get(after["outcome"], UNIVERSAL.get(after["outcome"]))
                if expected != after["to_state"]:
                    problems.append(f"transition #{after['id']} {after['from_state']} -> {after['to_state']} on "
                                    f"{after['outcome']} is not an edge of the pipeline (expected {expected})")
                if before["at"] > after["at"] + 1e-6:
                    problems.append(f"transition #{after['id']} is earlier than #{before['id']}")
            last = ts[-1]["to_state"]
            if last not in TERMINALS:
                problems.append(f"last transition enters {last}, not a terminal state")
            elif c["state"] != last or c["outcome"] != last or c["finished_at"] is None:
                problems.append(f"row says state {c['state']} outcome {c['outcome']} finished_at {c['finished_at']}, "
                                f"the transitions end in {last}")
        if problems:
            path_bad += 1
            violation("path", f"cycle {cid}: " + "; ".join(problems) + "\n" + describe(cid))
        outcomes[c["outcome"] or c["state"]] += 1
        if c["outcome"] in ("failed", "cancelled"):
            failed.append(cid)
            violation("path", f"cycle {cid} ended {c['outcome']}: {c['failure']}\n" + describe(cid))
    running = sum(1 for c in cycles.values() if c["status"] == "running")
    lengths = collections.Counter(len(transitions.get(cid, [])) for cid in cycles)
    ok4 = path_bad == 0 and not failed
    print(f"[{'ok' if ok4 else 'FAIL'}] every cycle ran once, along one path, to its end: outcomes {fmt_counts(outcomes)}; "
          f"{running} running; transitions per cycle {fmt_counts(lengths)}; {path_bad} broken paths, {len(failed)} failed "
          f"or cancelled")

    # ---- 5. one training job per cycle
    train_bad = 0
    trained = 0
    for cid, c in cycles.items():
        ts = transitions.get(cid, [])
        left_train = [t for t in ts if t["from_state"] == "train" and t["to_state"] == "await_training"]
        evaluated = any(t["from_state"] == "await_training" and t["to_state"] == "evaluate" for t in ts)
        mine = jobs_by_key.get(cid, [])
        if left_train:
            trained += 1
            named = left_train[0]["details"].get("job")
            handle = c["handles"].get("training_job")
            if len(mine) != 1:
                train_bad += 1
                violation("training", f"cycle {cid} left train but has {len(mine)} training jobs: "
                                      + ", ".join(f"{j['job']} ({j['status']})" for j in mine) + "\n" + describe(cid))
            elif mine[0]["job"] != named or handle != named:
                train_bad += 1
                violation("training", f"cycle {cid}: job {mine[0]['job']} in the trainer, {named} in its transition, "
                                      f"{handle} in its handles\n" + describe(cid))
            elif evaluated and mine[0]["status"] != "succeeded":
                train_bad += 1
                violation("training", f"cycle {cid} was evaluated but its job {mine[0]['job']} is {mine[0]['status']}")
        elif mine:
            train_bad += 1
            violation("training", f"cycle {cid} never left train but has {len(mine)} training job(s)\n" + describe(cid))
    orphans = [j for j in jobs if j["key"] not in cycles]
    for j in orphans:
        train_bad += 1
        violation("training", f"trainer job {j['job']} ({j['status']}) is keyed {j['key']}, not a cycle in the store")
    job_status = collections.Counter(j["status"] for j in jobs)
    ok5 = train_bad == 0
    print(f"[{'ok' if ok5 else 'FAIL'}] one training job per cycle that trained: {len(jobs)} job files "
          f"({fmt_counts(job_status)}) for {trained} cycles that left train; max "
          f"{max([len(v) for v in jobs_by_key.values()] or [0])} per cycle; {train_bad} violations")

    # ---- 6. at most one promotion per cycle
    models = [f"m{i:02d}" for i in range(m["pipelines"])]
    registry = read_registry(m["registry"], models)
    promotions = [h for h in store["history"] if h["kind"] == "promotion"]
    by_cycle = collections.defaultdict(list)
    for h in promotions:
        by_cycle[h["cycle_id"]].append(h)
    promo_bad = 0
    for cid, rows in by_cycle.items():
        if len(rows) > 1:
            promo_bad += 1
            violation("promotions", f"cycle {cid} has {len(rows)} promotions: "
                                    + ", ".join(f"#{r['id']} {r['model']} v{r['version']}" for r in rows) + "\n" + describe(cid))
        if cycles.get(cid, {}).get("outcome") != "promoted":
            promo_bad += 1
            violation("promotions", f"champion history #{rows[0]['id']} names cycle {cid}, which did not end promoted")
    for cid, c in cycles.items():
        if c["outcome"] == "promoted" and not by_cycle.get(cid):
            promo_bad += 1
            violation("promotions", f"cycle {cid} ended promoted without a champion history row\n" + describe(cid))
    versions_total = 0
    for model in models:
        per = collections.defaultdict(list)
        for v in registry[model]["versions"]:
            versions_total += 1
            per[v["cycle_id"]].append(v["version"])
        for cid, vs in per.items():
            if len(vs) > 1:
                promo_bad += 1
                violation("promotions", f"{model} has {len(vs)} versions from cycle {cid}: {', '.join(vs)}")
            if cid not in cycles:
                promo_bad += 1
                violation("promotions", f"{model} has version(s) {', '.join(vs)} from cycle {cid}, not in the store")
        for h in (h for h in promotions if h["model"] == model):
            if h["version"] not in per.get(h["cycle_id"], []):
                promo_bad += 1
                violation("promotions", f"history #{h['id']}: {model} v{h['version']} by cycle {h['cycle_id']}, the registry "
                                        f"has {per.get(h['cycle_id'], [])} from that cycle")
    ok6 = promo_bad == 0
    print(f"[{'ok' if ok6 else 'FAIL'}] at most one promotion per cycle: {len(promotions)} promotions over {len(by_cycle)} "
          f"cycles, {outcomes.get('promoted', 0)} cycles ended promoted; registry: {versions_total} versions; "
          f"{promo_bad} violations")

    # ---- 7. champion pointer
    pointer_bad = 0
    changes_n = []
    for model in models:
        changes = [h for h in store["history"] if h["model"] == model]
        reg = registry[model]
        changes_n.append(len(changes))
        if not changes:
            if reg["champion"] is not None:
                pointer_bad += 1
                violation("champion", f"{model}: no champion change stored, the registry says v{reg['champion']}")
            continue
        last = changes[-1]
        if reg["champion"] != last["version"]:
            pointer_bad += 1
            violation("champion", f"{model}: registry champion v{reg['champion']}, last change #{last['id']} (cycle "
                                  f"{last['cycle_id']}) made v{last['version']} ({reg['source']})")
        if last["previous_version"] is not None and reg["previous"] != last["previous_version"]:
            pointer_bad += 1
            violation("champion", f"{model}: registry previous_champion v{reg['previous']}, last change replaced "
                                  f"v{last['previous_version']}")
        for before, after in zip(changes, changes[1:]):
            if after["previous_version"] != before["version"]:
                pointer_bad += 1
                violation("champion", f"{model}: change #{after['id']} replaced v{after['previous_version']}, #{before['id']} "
                                      f"had made v{before['version']} the champion")
    print(f"[{'ok' if pointer_bad == 0 else 'FAIL'}] each champion pointer equals the last promotion: {len(models)} models, "
          f"{sum(changes_n)} champion changes (per model min {min(changes_n)}, max {max(changes_n)}); {pointer_bad} disagreements")

    # ---- 8. leases
    with open(os.path.join(out, "leases-before-kill.json"), encoding="utf-8") as f:
        before = json.load(f)
    with open(os.path.join(out, "leases-end.json"), encoding="utf-8") as f:
        end = json.load(f)
    held_by_victim = sorted(l["pipeline"] for l in before if l["owner"] == victim)
    end_by = {l["pipeline"]: l for l in end}
    lease_bad = 0
    not_survivor = [p for p in names if end_by.get(p, {}).get("owner") != survivor]
    if not_survivor:
        lease_bad += 1
        violation("leases", f"after the drain {len(not_survivor)} pipelines are not leased to the survivor {survivor}: "
                            + ", ".join(f"{p} ({end_by.get(p, {}).get('owner')})" for p in not_survivor[:10]))
    early = [p for p in held_by_victim if p in end_by and end_by[p]["acquired_at"] <= kill_t]
    if early:
        lease_bad += 1
        violation("leases", f"{len(early)} of the dead replica's pipelines show a lease acquired before the kill: {early[:10]}")
    takes = sorted(end_by[p]["acquired_at"] - kill_t for p in held_by_victim if p in end_by)
    print(f"[{'ok' if lease_bad == 0 else 'FAIL'}] the survivor took every lease: before the kill {victim} held "
          f"{len(held_by_victim)}, {survivor} {sum(1 for l in before if l['owner'] == survivor)}; after the drain {survivor} "
          f"holds {len(names) - len(not_survivor)}/{len(names)}")

    # ------------------------------------------------------------------ figures
    t0, t1, drain_t = m["storm_t0"], m["storm_t1"], m["drain_t"]
    storm_s = t1 - t0
    received = {r["trigger_id"]: triggers[r["trigger_id"]]["received_at"] for r in ok_answers if r["trigger_id"] in triggers}
    per_replica = collections.Counter(m["sides"][r["side"]] for r in ok_answers)
    before_kill = sum(1 for r in ok_answers if received.get(r["trigger_id"], t1) < kill_t)
    after_kill = len(ok_answers) - before_kill
    started_n = dispositions.get("started", 0)
    both = [read_latency(out, side) for side in wrk_sides]
    p50 = mixture_percentile(both, 50) / 1000
    p90 = mixture_percentile(both, 90) / 1000
    p99 = mixture_percentile(both, 99) / 1000
    top = max(d[1] for d in both) / 1000
    finished = [c for c in cycles.values() if c["finished_at"] is not None]
    first_trigger = min(t["received_at"] for t in store["triggers"])
    last_end = max(c["finished_at"] for c in finished)
    in_storm = sum(1 for c in finished if t0 <= c["finished_at"] <= t1)
    durations = [c["finished_at"] - c["created_at"] for c in finished]
    victim_pipes = set(held_by_victim)
    # A cycle's first transition (none -> detect) is written by whichever replica accepted its trigger; every later
    # one by the lease holder, which after the kill is the survivor.
    after = [t for t in store["transitions"] if t["at"] > kill_t and t["from_state"] is not None
             and cycles[t["cycle_id"]]["pipeline"] in victim_pipes]
    first_move = min((t["at"] for t in after), default=None)
    interrupted = [c for c in cycles.values() if c["pipeline"] in victim_pipes and c["created_at"] < kill_t
                   and (c["finished_at"] is None or c["finished_at"] > kill_t)]
    moved = []
    for c in interrupted:
        nxt = [t["at"] for t in transitions[c["id"]] if t["at"] > kill_t and t["from_state"] is not None]
        if nxt:
            moved.append(min(nxt) - kill_t)
    states_at_kill = collections.Counter()
    for c in interrupted:
        state = "?"
        for t in transitions[c["id"]]:
            if t["at"] <= kill_t:
                state = t["to_state"]
        states_at_kill[state] += 1
    in_flight_dead = [p for p in pending if p["side"] == dead_side]
    wv = wrk[dead_side]
    print()
    print(f"== replicas_failover figures ({m['cores']} cores, {m['pipelines']} pipelines, trainer {m['trainer']}, "
          f"wrk -t{m['connections']} -c{m['connections']} per replica, lease_ttl {m['lease_ttl']}, poll {m['poll']}; "
          f"{os.path.basename(m['binary'])} {m['binary']})")
    print(f"  storm {storm_s:.1f} s, replica {victim} killed at +{kill_t - t0:.1f} s: {len(ok_answers)} triggers accepted = "
          f"{len(ok_answers) / storm_s:.0f}/s ({started_n} started a cycle, {dispositions.get('joined_running', 0)} joined "
          f"a running one, {dispositions.get('duplicate', 0)} duplicates)")
    print(f"  per replica: {victim} (until killed) {per_replica[victim]} = {per_replica[victim] / (kill_t - t0):.0f}/s; "
          f"{survivor} {per_replica[survivor]} = {per_replica[survivor] / storm_s:.0f}/s; before the kill (both) "
          f"{before_kill / (kill_t - t0):.0f}/s, after (survivor only) {after_kill / max(1e-9, t1 - kill_t):.0f}/s")
    for side in wrk_sides:
        w = wrk[side]
        print(f"  wrk {side} -> {m['sides'][side]}: {w['ok']} 2xx in {float(w['duration_s']):.1f} s = {float(w['rps']):.0f}/s, "
              f"p50 {w['p50_ms']} ms, p90 {w['p90_ms']} ms, p99 {w['p99_ms']} ms, max {w['max_ms']} ms; socket errors "
              f"connect {w['err_connect']} read {w['err_read']} write {w['err_write']} timeout {w['err_timeout']}")
    print(f"  trigger latency, all replicas: p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms, max {top:.1f} ms")
    print(f"  to the dead replica: {len(in_flight_dead)} requests never answered (in flight at the kill, or sent in the moment "
          f"before its wrk was stopped, refused), {in_flight_stored.get(dead_side, 0)} of them committed before it died; "
          f"its wrk saw socket errors connect {wv['err_connect']} read {wv['err_read']} write {wv['err_write']}")
    print(f"  cycles: {len(finished)} finished in {last_end - first_trigger:.1f} s from the first trigger = "
          f"{len(finished) / (last_end - first_trigger):.2f} cycles/s ({in_storm} during the storm = {in_storm / storm_s:.2f}/s; "
          f"drain {drain_t - t1:.1f} s); cycle duration p50 {pct(durations, 50):.1f} s, p99 {pct(durations, 99):.1f} s")
    ttl = seconds(m["lease_ttl"])
    expiries = sorted(l["expires_at"] for l in before if l["owner"] == victim)
    takeover = "no leases to take"
    if takes and expiries:
        # The dead replica's last renewal (expires_at - ttl, as read just before the kill) and the survivor's pick-up
        # after expiry add up to the takeover time.
        renewed = kill_t - (expiries[-1] - ttl)
        after_expiry = [end_by[p]["acquired_at"] - l["expires_at"] for l in before if l["owner"] == victim
                        for p in [l["pipeline"]] if p in end_by]
        takeover = (f"leases taken {takes[0]:.2f}-{takes[-1]:.2f} s after the kill (its last renewal was {renewed:.2f} s "
                    f"before the kill, lease_ttl {ttl:g} s; picked up {min(after_expiry):.2f}-{max(after_expiry):.2f} s "
                    f"after expiry)")
    print(f"  takeover: {takeover}; first transition on the dead replica's pipelines "
          + (f"{first_move - kill_t:.2f} s after the kill" if first_move else "none")
          + f"; {len(interrupted)} cycles interrupted ({fmt_counts(states_at_kill)}), each made its next transition within "
          + (f"{max(moved):.2f} s (median {statistics.median(moved):.2f} s)" if moved else "-"))
    print(f"  survivor {survivor}: RSS {m['survivor_rss_kb'] / 1024:.0f} MiB at the end (peak {m['survivor_hwm_kb'] / 1024:.0f} MiB), "
          f"{m['survivor_threads']} threads; stopped {m['survivor_stop_s']} s after SIGTERM (exit {m['survivor_stop_rc']})")
    sys.stdout.flush()
    for v in violations[:200]:
        log(f"VIOLATION {v}")
    if len(violations) > 200:
        log(f"... and {len(violations) - 200} more violations")
    print(f"replicas_failover: pipelines={m['pipelines']} cycles={len(cycles)} triggers={len(store['triggers'])} "
          f"answered_2xx={len(ok_answers)} jobs={len(jobs)} promotions={len(promotions)} violations={len(violations)}", flush=True)
    with open(os.path.join(m["work"], "result.json"), "w", encoding="utf-8") as f:
        json.dump({"violations": violations, "cycles": len(cycles), "triggers_2xx": len(ok_answers),
                   "triggers_per_s": len(ok_answers) / storm_s, "p50_ms": p50, "p99_ms": p99,
                   "cycles_per_s": len(finished) / (last_end - first_trigger),
                   "takeover_lease_s": takes[-1] if takes else None,
                   "first_transition_s": (first_move - kill_t) if first_move else None,
                   "rss_kb": m["survivor_rss_kb"]}, f, indent=1)
    if violations:
        raise Failure(f"{len(violations)} invariant violation(s), listed above")


def main():
    parser, sub = command_line(__doc__)
    p = sub.add_parser("retry")
    p.add_argument("--api", required=True)
    p.add_argument("--pending", required=True)
    p.add_argument("--record", required=True)
    p.set_defaults(func=cmd_retry)
    p = sub.add_parser("check")
    p.add_argument("--manifest", required=True)
    p.set_defaults(func=cmd_check)
    run_command(parser, "replicas_failover_check")


if __name__ == "__main__":
    main()
