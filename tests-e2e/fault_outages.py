#!/usr/bin/env python3
"""Neighbour outages under load: the store's disk fills up, PostgreSQL restarts, the trainer dies for a while.

    python3 tests-e2e/fault_outages.py --scenario disk_full|postgres_restart|trainer_down --binary B --work DIR
                                     [--postgres-url URL] [--data-dir DIR]

Each scenario starts `driftloop serve` on a free 127.0.0.1 port, sends drift webhooks (unique event ids) to three
pipelines from a sender thread while the fault happens and after it ends, then waits until no cycle runs and
checks from the store:
  - every answer was 202 (accepted) or 503 `store_unavailable` (nothing accepted, retry); never a 500;
  - every accepted trigger is in the store, in a cycle; every cycle ended;
  - the fault really happened (503s for disk full, a failed trainer poll for trainer down) and the system recovered
    (triggers accepted after the fault; cycles that ran through it ended promoted or rejected, or failed naming the
    cause);
and prints one summary line per scenario. stdlib only; PostgreSQL is read with psql.
"""
import argparse
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIPELINES = ["a", "b", "c"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, {"raw": text.decode(errors="replace")}
    except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout) as error:
        return 0, {"connection": str(error)}


def pipeline_yaml(name, trainer, registry=None, attempts=8, model_suffix=""):
    text = open(os.path.join(ROOT, "pipelines", "example.yaml")).read()
    data = os.path.join(ROOT, "pipelines", "data")
    text = text.replace("data/churn", data + "/churn").replace("name: example", f"name: {name}")
    text = text.replace("model: churn-classifier", f"model: outage-{name}{model_suffix}").replace("cooldown: 10m", "cooldown: 0s")
    text = text.replace("trainer:\n  kind: builtin\n  poll: 200ms", trainer)
    # Outages last seconds: give the waiting states a retry budget that outlasts them.
    text = text.replace("retry: {attempts: 5, backoff: 1s}", f"retry: {{attempts: {attempts}, backoff: 300ms, max_backoff: 2s}}")
    if registry:
        text = text.replace("registry:\n  kind: builtin\n  alias: champion", registry)
    return text


class Server:
    def __init__(self, binary, work, store_yaml, trainer_yaml="trainer:\n  kind: builtin\n  poll: 200ms", data_dir=None, env=None, registry_yaml=None, attempts=8, model_suffix=""):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        os.makedirs(os.path.join(work, "pipelines"), exist_ok=True)
        for name in PIPELINES:
            with open(os.path.join(work, "pipelines", f"{name}.yaml"), "w") as handle:
                handle.write(pipeline_yaml(name, trainer_yaml, registry_yaml, attempts, model_suffix))
        self.config = os.path.join(work, "config.yaml")
        with open(self.config, "w") as handle:
            handle.write(f'listen: "127.0.0.1:{self.port}"\ndata_dir: {data_dir or os.path.join(work, "data")}\n')
            handle.write(f"pipelines_dir: {os.path.join(work, 'pipelines')}\nlog_level: warning\n{store_yaml}\n")
        self.log = open(os.path.join(work, "serve.log"), "ab")
        self.process = subprocess.Popen([binary, "serve", "--config", self.config], stdout=self.log, stderr=self.log, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"fault_outages: serve exited {self.process.returncode}; see {work}/serve.log")
            if request("GET", self.url + "/readyz", timeout=2)[0] == 200:
                return
            time.sleep(0.1)
        sys.exit("fault_outages: serve did not become ready")

    def running_cycles(self):
        status, body = request("GET", self.url + "/v1/cycles?limit=500")
        if status != 200:
            return None
        return [c for c in body["cycles"] if c["status"] == "running"]

    def wait_idle(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            running = self.running_cycles()
            if running == []:
                return True
            time.sleep(0.3)
        return False

    def wait_for_cycle_in(self, states, timeout):
        """Until one of the newest cycles is in one of `states` (the moment to start a fault), or `timeout` seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, body = request("GET", self.url + "/v1/cycles?limit=20")
            if status == 200 and any(c["state"] in states for c in body["cycles"]):
                return
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class Sender(threading.Thread):
    """Drift webhooks at a steady rate, each with a unique event id; every answer recorded."""

    def __init__(self, url, rate=25):
        super().__init__(daemon=True)
        self.url, self.interval, self.stopping, self.answers, self.sequence = url, 1.0 / rate, threading.Event(), [], 0

    def run(self):
        while not self.stopping.is_set():
            self.sequence += 1
            event = f"outage-{os.getpid()}-{self.sequence}"
            pipeline = PIPELINES[self.sequence % len(PIPELINES)]
            status, body = request("POST", self.url + "/v1/webhooks/drift", {"pipeline": pipeline, "event_id": event, "reason": "outage test"})
            self.answers.append((time.time(), event, pipeline, status, body))
            time.sleep(self.interval)

    def stop(self):
        self.stopping.set()
        self.join()


def store_rows(args, sqlite_path):
    """(triggers by dedup key -> cycle id, cycles as dicts)"""
    if args.scenario == "postgres_restart":
        def psql(sql):
            out = subprocess.run(["psql", args.postgres_url, "-At", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
            return [line.split("\t") for line in out.splitlines() if line]
        triggers = {key: cycle for key, cycle in psql("SELECT dedup_key, cycle_id FROM triggers WHERE dedup_key IS NOT NULL")}
        cycles = [dict(zip(["id", "pipeline", "status", "outcome", "failure"], row)) for row in psql("SELECT id, pipeline, status, coalesce(outcome, ''), coalesce(failure, '') FROM cycles")]
        return triggers, cycles
    db = sqlite3.connect(sqlite_path)
    triggers = {key: cycle for key, cycle in db.execute("SELECT dedup_key, cycle_id FROM triggers WHERE dedup_key IS NOT NULL")}
    cycles = [dict(zip(["id", "pipeline", "status", "outcome", "failure"], row)) for row in db.execute("SELECT id, pipeline, status, coalesce(outcome, ''), coalesce(failure, '') FROM cycles")]
    return triggers, cycles


def check(args, name, sender, sqlite_path, fault_started, fault_ended, needs_unavailable):
    violations = []
    accepted = [a for a in sender.answers if a[3] == 202]
    unavailable = [a for a in sender.answers if a[3] == 503]
    for a in unavailable:
        if not (isinstance(a[4], dict) and a[4].get("error", {}).get("code") == "store_unavailable"):
            violations.append(f"503 without a store_unavailable JSON error: {a[4]}")
    other = [a for a in sender.answers if a[3] not in (202, 503)]
    for a in other:
        violations.append(f"answer {a[3]} to {a[1]}: {json.dumps(a[4])[:300]}")
    triggers, cycles = store_rows(args, sqlite_path)
    missing = [a[1] for a in accepted if ("drift:" + a[1]) not in triggers and a[1] not in triggers and not any(k.endswith(a[1]) for k in triggers)]
    if missing:
        violations.append(f"{len(missing)} accepted triggers are not in the store, e.g. {missing[:3]}")
    running = [c for c in cycles if c["status"] != "finished"]
    if running:
        violations.append(f"{len(running)} cycles never ended: {running[:3]}")
    after = [a for a in accepted if a[0] > fault_ended]
    if not after:
        violations.append("no trigger was accepted after the fault ended: no recovery")
    if needs_unavailable and not unavailable:
        violations.append("the fault never showed: no 503 store_unavailable answer")
    outcomes = {}
    for c in cycles:
        outcomes[c["outcome"]] = outcomes.get(c["outcome"], 0) + 1
    failures = sorted({c["failure"][:160] for c in cycles if c["outcome"] == "failed"})
    print(
        f"fault_outages: scenario={name} answers={len(sender.answers)} accepted={len(accepted)} unavailable_503={len(unavailable)} "
        f"other={len(other)} accepted_after_fault={len(after)} cycles={len(cycles)} outcomes={json.dumps(outcomes, sort_keys=True)} "
        f"fault={fault_ended - fault_started:.1f}s violations={len(violations)}")
    for failure in failures:
        print(f"  failed cycle reason: {failure}")
    for violation in violations:
        print(f"  VIOLATION: {violation}")
    return not violations


def drain(server, sender):
    """Stops the load, waits for every cycle to end; (all ended, server alive)."""
    sender.stop()
    return server.wait_idle(), server.process.poll() is None


def verdict(ok, idle, alive):
    if not idle:
        print("  VIOLATION: cycles still running after 180 s")
    if not alive:
        print("  VIOLATION: the server died")
    return ok and idle and alive


def got_through(cycles, neighbour, names):
    """Cycles that ran through a neighbour's outage end promoted or rejected, or failed naming the neighbour."""
    ok = True
    if not any(c["outcome"] in ("promoted", "rejected") for c in cycles):
        print(f"  VIOLATION: no cycle got through the {neighbour} outage to promoted or rejected")
        ok = False
    for c in cycles:
        if c["outcome"] == "failed" and not any(name in c["failure"] for name in names):
            print(f"  VIOLATION: cycle {c['id']} failed without naming the {neighbour}: {c['failure']}")
            ok = False
    return ok


def disk_full(args):
    data_dir = args.data_dir
    server = Server(args.binary, args.work, f"store: {{kind: sqlite, path: {data_dir}/driftloop.sqlite}}", data_dir=data_dir)
    try:
        sender = Sender(server.url)
        sender.start()
        time.sleep(2)
        fault_started = time.time()
        filler = os.path.join(data_dir, "filler")
        with open(filler, "wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        # Keep the disk full until the store has refused some triggers (or 10 s passed).
        deadline = time.time() + 10
        while time.time() < deadline and not any(a[3] == 503 for a in sender.answers[-50:]):
            time.sleep(0.2)
        time.sleep(1.5)
        os.remove(filler)
        fault_ended = time.time()
        time.sleep(3)
        idle, alive = drain(server, sender)
    finally:
        server.stop()
    ok = check(args, "disk_full", sender, os.path.join(data_dir, "driftloop.sqlite"), fault_started, fault_ended, needs_unavailable=True)
    return verdict(ok, idle, alive)


def postgres_restart(args):
    env = dict(os.environ, DRIFTLOOP_POSTGRES_URL=args.postgres_url)
    server = Server(args.binary, args.work, "store: {kind: postgres, url_env: DRIFTLOOP_POSTGRES_URL}", env=env)
    try:
        sender = Sender(server.url)
        sender.start()
        time.sleep(3)
        fault_started = time.time()
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "postgres_server.sh"), "restart"] + ([args.postgres_port] if args.postgres_port else []),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        fault_ended = time.time()
        time.sleep(4)
        idle, alive = drain(server, sender)
    finally:
        server.stop()
    ok = check(args, "postgres_restart", sender, None, fault_started, fault_ended, needs_unavailable=False)
    return verdict(ok, idle, alive)


def trainer_down(args):
    trainer_port = free_port()
    trainer_dir = os.path.join(args.work, "trainer")
    os.makedirs(trainer_dir, exist_ok=True)
    trainer_config = os.path.join(trainer_dir, "config.yaml")
    # The trainer answers only callers with its token, and trains only on data the pipelines it loads declare: the
    # same pipelines the server runs (Server writes the same files again).
    # Its models are in its own data dir: the pipelines name that folder as a place models may come from.
    trainer_yaml = (f'trainer:\n  kind: http\n  url: "http://127.0.0.1:{trainer_port}"\n  token_env: DRIFTLOOP_TRAINER_TOKEN\n'
                    f'  model_roots: ["{trainer_dir}/data/trainer/models"]\n  poll: 200ms')
    os.makedirs(os.path.join(args.work, "pipelines"), exist_ok=True)
    for name in PIPELINES:
        with open(os.path.join(args.work, "pipelines", f"{name}.yaml"), "w") as handle:
            handle.write(pipeline_yaml(name, trainer_yaml))
    with open(trainer_config, "w") as handle:
        handle.write(f"data_dir: {trainer_dir}/data\npipelines_dir: {args.work}/pipelines\nlog_level: warning\n")
    env = dict(os.environ, DRIFTLOOP_TRAINER_TOKEN=uuid.uuid4().hex)

    def start_trainer():
        log = open(os.path.join(trainer_dir, "trainer.log"), "ab")
        process = subprocess.Popen([args.binary, "trainer", "--config", trainer_config, "--port", str(trainer_port)], stdout=log, stderr=log, env=env)
        deadline = time.time() + 30
        while time.time() < deadline and request("GET", f"http://127.0.0.1:{trainer_port}/jobs/none", timeout=1)[0] == 0:
            time.sleep(0.1)
        return process

    trainer = start_trainer()
    server = Server(args.binary, args.work, f"store: {{kind: sqlite, path: {args.work}/data/driftloop.sqlite}}", trainer_yaml=trainer_yaml, env=env)
    try:
        sender = Sender(server.url, rate=5)
        sender.start()
        # Wait until a cycle is training, then take the trainer away for a while.
        server.wait_for_cycle_in(("await_training",), timeout=30)
        fault_started = time.time()
        trainer.kill()
        trainer.wait()
        time.sleep(4)
        trainer = start_trainer()
        fault_ended = time.time()
        time.sleep(3)
        idle, alive = drain(server, sender)
    finally:
        server.stop()
        trainer.kill()
    ok = check(args, "trainer_down", sender, os.path.join(args.work, "data", "driftloop.sqlite"), fault_started, fault_ended, needs_unavailable=False)
    _, cycles = store_rows(args, os.path.join(args.work, "data", "driftloop.sqlite"))
    return verdict(got_through(cycles, "trainer", ["trainer", "127.0.0.1"]) and ok, idle, alive)


def registry_down(args):
    """MLflow stopped for a while under load, then started again on the same state: the registry calls are retried
    within their states' budgets and the cycles go on."""
    url = os.environ.get("DRIFTLOOP_MLFLOW_URL", "")
    if not url:
        print("fault_outages: registry_down needs a running MLflow (DRIFTLOOP_MLFLOW_URL); skipped")
        return True
    port = url.rsplit(":", 1)[1].strip("/")
    stamp = f"{os.getpid()}-{int(time.time())}"
    registry = f'registry:\n  kind: mlflow\n  url: "{url}"\n  alias: champion'
    # Each run's models are its own (MLflow keeps them).
    server = Server(
        args.binary, args.work, f"store: {{kind: sqlite, path: {args.work}/data/driftloop.sqlite}}", registry_yaml=registry, attempts=30,
        model_suffix=f"-{stamp}")
    mlflow = os.path.join(ROOT, "scripts", "mlflow_server.sh")
    try:
        sender = Sender(server.url, rate=5)
        sender.start()
        server.wait_for_cycle_in(("await_training", "evaluate", "promote"), timeout=60)
        fault_started = time.time()
        subprocess.run(["bash", mlflow, "stop", port], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)
        subprocess.run(["bash", mlflow, "start", port], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        fault_ended = time.time()
        time.sleep(3)
        idle, alive = drain(server, sender)
    finally:
        server.stop()
        if subprocess.run(["bash", mlflow, "status", port], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["bash", mlflow, "start", port], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    database = os.path.join(args.work, "data", "driftloop.sqlite")
    ok = check(args, "registry_down", sender, database, fault_started, fault_ended, needs_unavailable=False)
    _, cycles = store_rows(args, database)
    return verdict(got_through(cycles, "registry", ["MLflow", "127.0.0.1"]) and ok, idle, alive)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", required=True, choices=["disk_full", "postgres_restart", "trainer_down", "registry_down"])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--postgres-url")
    parser.add_argument("--postgres-port")
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    scenario = {"disk_full": disk_full, "postgres_restart": postgres_restart, "trainer_down": trainer_down, "registry_down": registry_down}[args.scenario]
    sys.exit(0 if scenario(args) else 1)


if __name__ == "__main__":
    main()
