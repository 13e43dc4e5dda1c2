#!/usr/bin/env python3
"""Store checks for Benchmarks/scripts/bench_webhooks.sh (standard library only).

  dup-body --phase P --exact N --precise M     an Alertmanager v4 notification re-sending storm alerts 0..N+M-1,
                                               the last M with startsAt at nanosecond precision (same instant)
  storm --db DB --out DIR --phase P --total N  after the storm: exactly one cycle for `storm`; one trigger row per
                                               2xx'd alert, the same fingerprints and dispositions as answered
  dup --db DB --response FILE --phase P --count N --storm-ok K
                                               every re-sent alert answered `duplicate` and stored once more as such
  final --db DB --out DIR --am-phase P --am-ok N --drift-ok M --connections C --storm-ok K --dups D
                                               after the throughput runs: still one cycle; every 2xx'd event stored

Each prints `key=value` lines and `FAIL: ...` lines; the exit status is 1 if any check failed.
"""
import argparse
import collections
import glob
import json
import os
import sqlite3
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"FAIL: {message}")
    return condition


def report(**values):
    for key, value in values.items():
        print(f"{key}={value}")


def starts_at(index, precise=False):
    # Must match starts_at() in bench_webhooks.lua.
    ms, s = index % 1000, index // 1000
    fraction = f"{ms:03d}000000" if precise else f"{ms:03d}"
    return f"2026-11-22T{(s // 3600) % 24:02d}:{(s // 60) % 60:02d}:{s % 60:02d}.{fraction}Z"


def fingerprint(phase, index):
    return f"{phase}{index:014x}"


def connect(db):
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)


def storm_cycles(con):
    return [row[0] for row in con.execute("SELECT id FROM cycles WHERE pipeline = 'storm' ORDER BY created_at")]


def read_ids(out, mode):
    rows = []
    for path in sorted(glob.glob(os.path.join(out, f"{mode}-*.ids"))):
        with open(path) as f:
            rows.extend(tuple(line.split()) for line in f if line.strip())
    return rows


def stored_alerts(con, phase, disposition_filter="disposition != 'duplicate'"):
    """fingerprint -> [(disposition, cycle_id)] for stored alertmanager triggers whose fingerprint has the phase prefix."""
    found = collections.defaultdict(list)
    query = f"SELECT dedup_key, disposition, cycle_id FROM triggers WHERE pipeline = 'storm' AND kind = 'alertmanager' AND {disposition_filter}"
    for key, disposition, cycle in con.execute(query):
        # dedup_key is alertmanager:<fingerprint>:<canonical startsAt>
        fp = key.split(":")[1]
        if fp.startswith(phase):
            found[fp].append((disposition, cycle))
    return found


def cmd_dup_body(args):
    alerts = []
    for index in range(args.exact + args.precise):
        alerts.append({
            "status": "firing",
            "labels": {"alertname": "DatasetDrift", "pipeline": "storm", "shard": str(index), "severity": "warning"},
            "annotations": {"summary": f"bench storm alert {index}"},
            "startsAt": starts_at(index, precise=index >= args.exact),
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://bench/graph",
            "fingerprint": fingerprint(args.phase, index),
        })
    body = {
        "receiver": "retrain-webhook", "status": "firing", "alerts": alerts,
        "groupLabels": {"alertname": "DatasetDrift"}, "commonLabels": {"alertname": "DatasetDrift", "pipeline": "storm"},
        "commonAnnotations": {}, "externalURL": "http://bench:9093", "version": "4",
        "groupKey": '{}:{alertname="DatasetDrift"}', "truncatedAlerts": 0,
    }
    json.dump(body, sys.stdout)


def cmd_storm(args):
    sent = ok = bad = fillers = 0
    statuses = collections.Counter()
    counts = sorted(glob.glob(os.path.join(args.out, "storm-*.counts")))
    for path in counts:
        fields = dict(part.split("=", 1) for part in open(path).read().split())
        sent += int(fields["sent"])
        ok += int(fields["ok"])
        bad += int(fields["bad"])
        fillers += int(fields["fillers"])
        for item in filter(None, fields["statuses"].split(",")):
            status, n = item.split(":")
            statuses[status] += int(n)
    answered = read_ids(args.out, "storm")
    answered_fps = collections.Counter(fp for fp, _ in answered)
    expected = {fingerprint(args.phase, i) for i in range(args.total)}
    check(len(counts) > 0, "no storm-*.counts files: the wrk threads did not finish")
    check(sent == args.total, f"sent {sent} alerts, expected {args.total}")
    check(ok + bad == sent, f"{ok} 2xx + {bad} non-2xx answers for {sent} alerts sent")
    check(len(answered) == ok, f"{len(answered)} fingerprints recorded for {ok} 2xx answers")
    check(set(answered_fps) <= expected, "a 2xx answer named a fingerprint that was not sent")
    check(all(n == 1 for n in answered_fps.values()), "a fingerprint was answered twice")
    with connect(args.db) as con:
        cycles = storm_cycles(con)
        check(len(cycles) == 1, f"{len(cycles)} cycles for pipeline storm, expected exactly 1")
        stored = stored_alerts(con, args.phase)
        rows = sum(len(v) for v in stored.values())
        all_rows = con.execute("SELECT count(*) FROM triggers WHERE pipeline = 'storm'").fetchone()[0]
        dispositions = collections.Counter(d for v in stored.values() for d, _ in v)
        doubled = sum(1 for v in stored.values() if len(v) > 1)
        check(all_rows == ok, f"{all_rows} trigger rows for storm, {ok} alerts answered 2xx")
        check(rows == ok, f"{rows} stored storm alerts, {ok} answered 2xx")
        check(doubled == 0, f"{doubled} alerts stored more than once")
        missing = set(answered_fps) - set(stored)
        extra = set(stored) - set(answered_fps)
        check(not missing, f"{len(missing)} 2xx'd alerts not in the store (e.g. {sorted(missing)[:3]})")
        check(not extra, f"{len(extra)} stored alerts were not answered 2xx (e.g. {sorted(extra)[:3]})")
        mismatched = sum(1 for fp, d in answered if fp in stored and stored[fp][0][0] != d)
        check(mismatched == 0, f"{mismatched} alerts stored with another disposition than answered")
        check(dispositions.get("started", 0) == 1, f"{dispositions.get('started', 0)} alerts started a cycle, expected 1")
        check(all(c == cycles[0] for v in stored.values() for _, c in v) if cycles else False, "trigger rows on more than one cycle")
        state = con.execute("SELECT state, status, coalesce(outcome, '-') FROM cycles WHERE pipeline = 'storm'").fetchall()
    report(storm_sent=sent, storm_ok=ok, storm_non2xx=bad, storm_fillers=fillers,
           storm_statuses=",".join(f"{k}:{v}" for k, v in sorted(statuses.items())) or "-",
           storm_cycles=len(cycles), storm_cycle=cycles[0] if cycles else "-",
           storm_cycle_state="/".join(state[0]) if state else "-", storm_trigger_rows=all_rows,
           storm_dispositions=",".join(f"{k}:{v}" for k, v in sorted(dispositions.items())))


def cmd_dup(args):
    answer = json.load(open(args.response))
    alerts = answer.get("alerts", [])
    dispositions = collections.Counter(a.get("disposition") for a in alerts)
    check(len(alerts) == args.count, f"{len(alerts)} alerts in the answer, {args.count} re-sent")
    check(dispositions.get("duplicate", 0) == args.count, f"re-sent alerts answered {dict(dispositions)}, expected all duplicate")
    with connect(args.db) as con:
        cycles = storm_cycles(con)
        check(len(cycles) == 1, f"{len(cycles)} cycles for storm after the re-send")
        check(all(a.get("cycle_id") == cycles[0] for a in alerts) if cycles else False, "a duplicate answer names another cycle")
        dups = stored_alerts(con, args.phase, "disposition = 'duplicate'")
        dup_rows = sum(len(v) for v in dups.values())
        expected = {fingerprint(args.phase, i) for i in range(args.count)}
        non_dup = con.execute("SELECT count(*) FROM triggers WHERE pipeline = 'storm' AND disposition != 'duplicate'").fetchone()[0]
        check(dup_rows == args.count, f"{dup_rows} trigger rows with disposition duplicate, {args.count} re-sent")
        check(set(dups) == expected, "the duplicate rows are not the re-sent fingerprints")
        check(non_dup == args.storm_ok, f"{non_dup} non-duplicate rows after the re-send, {args.storm_ok} before")
    report(dup_sent=len(alerts), dup_answered=",".join(f"{k}:{v}" for k, v in sorted(dispositions.items())), dup_rows=dup_rows)


def cmd_final(args):
    am = read_ids(args.out, "alertmanager")
    drift = read_ids(args.out, "drift")
    check(len(am) == args.am_ok, f"{len(am)} Alertmanager fingerprints recorded for {args.am_ok} 2xx answers")
    check(len(drift) == args.drift_ok, f"{len(drift)} drift trigger ids recorded for {args.drift_ok} 2xx answers")
    with connect(args.db) as con:
        cycles = storm_cycles(con)
        check(len(cycles) == 1, f"{len(cycles)} cycles for storm after the throughput runs, expected 1")
        stored = stored_alerts(con, args.am_phase)
        am_fps = collections.Counter(fp for fp, _ in am)
        check(all(n == 1 for n in am_fps.values()), "an Alertmanager fingerprint was answered twice")
        missing = set(am_fps) - set(stored)
        check(not missing, f"{len(missing)} 2xx'd Alertmanager alerts not in the store")
        check(all(len(v) == 1 for v in stored.values()), "an Alertmanager alert stored twice")
        unanswered_am = len(stored) - len(set(am_fps) & set(stored))
        check(0 <= unanswered_am <= args.connections, f"{unanswered_am} stored alerts without a counted 2xx (more than the {args.connections} in flight when wrk stopped)")
        drift_rows = {row[0]: row[1] for row in con.execute(
            "SELECT id, dedup_key FROM triggers WHERE pipeline = 'storm' AND kind = 'drift_webhook' AND disposition != 'duplicate'")}
        drift_ids = collections.Counter(int(t) for t, _ in drift)
        check(all(n == 1 for n in drift_ids.values()), "a drift trigger id was answered twice")
        missing_drift = set(drift_ids) - set(drift_rows)
        check(not missing_drift, f"{len(missing_drift)} 2xx'd drift events not in the store")
        check(len(set(drift_rows.values())) == len(drift_rows), "two stored drift events share an event id")
        unanswered_drift = len(drift_rows) - len(set(drift_ids) & set(drift_rows))
        check(0 <= unanswered_drift <= args.connections, f"{unanswered_drift} stored drift events without a counted 2xx (more than the {args.connections} in flight)")
        total = con.execute("SELECT count(*) FROM triggers WHERE pipeline = 'storm'").fetchone()[0]
        expected_total = args.storm_ok + args.dups + len(stored) + len(drift_rows)
        check(total == expected_total, f"{total} trigger rows in all, expected {expected_total}")
        by = con.execute("SELECT disposition, count(*) FROM triggers WHERE pipeline = 'storm' GROUP BY disposition ORDER BY 1").fetchall()
    report(final_cycles=len(cycles), am_stored=len(stored), am_stored_unanswered=unanswered_am,
           drift_stored=len(drift_rows), drift_stored_unanswered=unanswered_drift, final_trigger_rows=total,
           final_dispositions=",".join(f"{d}:{n}" for d, n in by))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("dup-body"); p.add_argument("--phase", required=True); p.add_argument("--exact", type=int, required=True); p.add_argument("--precise", type=int, default=0)
    p = sub.add_parser("storm"); p.add_argument("--db", required=True); p.add_argument("--out", required=True); p.add_argument("--phase", required=True); p.add_argument("--total", type=int, required=True)
    p = sub.add_parser("dup"); p.add_argument("--db", required=True); p.add_argument("--response", required=True); p.add_argument("--phase", required=True); p.add_argument("--count", type=int, required=True); p.add_argument("--storm-ok", type=int, required=True)
    p = sub.add_parser("final")
    for name in ("--db", "--out", "--am-phase"):
        p.add_argument(name, required=True)
    for name in ("--am-ok", "--drift-ok", "--connections", "--storm-ok", "--dups"):
        p.add_argument(name, type=int, required=True)
    args = parser.parse_args()
    {"dup-body": cmd_dup_body, "storm": cmd_storm, "dup": cmd_dup, "final": cmd_final}[args.command](args)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
