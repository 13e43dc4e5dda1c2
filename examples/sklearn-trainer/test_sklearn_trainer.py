#!/usr/bin/env python3
"""Tests of examples/sklearn-trainer/sklearn_trainer.py: the trainer runs as a subprocess on a free port and is driven over HTTP.

    python3 -m venv /tmp/sktrainer-venv
    /tmp/sktrainer-venv/bin/pip install -r examples/sklearn-trainer/requirements.txt
    /tmp/sktrainer-venv/bin/python examples/sklearn-trainer/test_sklearn_trainer.py [-v]

The interpreter running the tests also runs the trainer, so it needs the requirements installed.
"""
import csv
import importlib.util
import json
import math
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
from unittest import mock
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.join(HERE, "sklearn_trainer.py")
CHURN = os.path.join(os.path.dirname(os.path.dirname(HERE)), "pipelines", "data", "churn")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # importing sklearn_trainer must leave no __pycache__ in examples/sklearn-trainer/
import sklearn_trainer  # noqa: E402 - after the path is set


class TrainerProcess:
    """The trainer as a subprocess: `python sklearn_trainer.py --port 0 --models-dir DIR --port-file F`."""

    def __init__(self, models_dir, env=None):
        self.models_dir = models_dir
        # No MLflow unless a test asks for it, whatever the environment (or an earlier test) set.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
        self.env.update(env or {})
        self.process = None
        self.url = None

    def start(self):
        os.makedirs(self.models_dir, exist_ok=True)
        port_file = os.path.join(self.models_dir, "..", os.path.basename(self.models_dir) + ".port")
        self.log_path = self.models_dir.rstrip("/") + ".log"
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, TRAINER, "--port", "0", "--models-dir", self.models_dir, "--port-file", port_file],
            stdout=subprocess.PIPE, stderr=self.log, env=self.env, cwd=os.path.dirname(self.models_dir))
        lines = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.process.stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=60).decode().strip()
        except queue.Empty:
            self.stop()
            raise AssertionError(f"trainer printed nothing in 60 s; log:\n{self.read_log()}")
        if not line.startswith("LISTENING "):
            self.stop()
            raise AssertionError(f"trainer printed {line!r}; log:\n{self.read_log()}")
        port = int(line.split()[1])
        with open(port_file) as stream:
            assert int(stream.read().strip()) == port, "port file and LISTENING line disagree"
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stdout:
            self.process.stdout.close()
        self.log.close()

    def read_log(self):
        try:
            with open(self.log_path, errors="replace") as stream:
                return stream.read()[-5000:]
        except OSError:
            return ""

    def request(self, method, path, body=None, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def train(self, body, key):
        return self.request("POST", "/train", body, {"Idempotency-Key": key})

    def wait(self, job_id, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, job = self.request("GET", f"/jobs/{job_id}")
            assert status == 200, (status, job)
            if job["status"] in ("succeeded", "failed"):
                return job
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s; log:\n{self.read_log()}")

    def run(self, body, key):
        status, answer = self.train(body, key)
        assert status == 202, (status, answer)
        return self.wait(answer["job"])


def write_csv(path, header, rows):
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def classification_rows(rng, count):
    """`label` is yes exactly when x1 + 2·[c = b] > 1 (no noise), so a model of that rule is always right."""
    rows = []
    for _ in range(count):
        x1 = round(rng.uniform(-1.5, 1.5), 3)
        x2 = round(rng.gauss(5, 2), 3)
        c = rng.choice("abc")
        label = "yes" if x1 + (2 if c == "b" else 0) > 1 else "no"
        rows.append([x1, x2, c, label])
    return rows


def builtin_model(sign):
    """A model in the built-in trainer's JSON format (BuiltinModel in SoftmaxRegression.swift, as Swift's
    JSONEncoder writes it) whose logit for `yes` is sign·10·(x1 + 2·[c = b] - 1). Its encoder lists the columns
    in another order than the CSV and has a column the CSV lacks (`legacy`), as an older champion might."""
    return {
        "encoder": {"columns": [
            {"numeric": {"mean": 0.0, "name": "x1", "scale": 1.0}},
            {"categorical": {"levels": ["a", "b", "c"], "name": "c"}},
            {"numeric": {"mean": 5.0, "name": "x2", "scale": 2.0}},
            {"numeric": {"mean": 3.0, "name": "legacy", "scale": 1.5}},
        ]},
        "features": ["x1", "c", "x2", "legacy"],
        "format": "driftloop-softmax-v1",
        "regression": {
            "biases": [0.0, -10.0 * sign],
            "classes": ["no", "yes"],
            "weights": [[0, 0, 0, 0, 0, 0], [10.0 * sign, 0, 20.0 * sign, 0, 0, 0]],
        },
        "target": "label",
    }


class TrainerTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.mkdtemp(prefix="sktrainer-test-")
        rng = random.Random(7)
        header = ["x1", "x2", "c", "label"]
        cls.reference = os.path.join(cls.directory, "reference.csv")
        cls.current = os.path.join(cls.directory, "current.csv")
        write_csv(cls.reference, header, classification_rows(rng, 300))
        write_csv(cls.current, header, classification_rows(rng, 400))
        regression = [[round(x, 3), c, round(3 * x + (1.5 if c == "b" else 0) + rng.gauss(0, 0.3), 4)]
                      for x, c in ((rng.uniform(-2, 2), rng.choice("abc")) for _ in range(300))]
        cls.regression_csv = os.path.join(cls.directory, "regression.csv")
        write_csv(cls.regression_csv, ["x", "c", "y"], regression)
        cls.trainer = TrainerProcess(os.path.join(cls.directory, "models")).start()

    @classmethod
    def tearDownClass(cls):
        cls.trainer.stop()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def body(self, cycle="c", **overrides):
        body = {"cycle_id": cycle, "pipeline": "test", "model_name": "m",
                "data": {"reference": self.reference, "current": self.current},
                "target": "label", "features": None, "champion": None, "params": {"seed": "42"}}
        body.update(overrides)
        return body

    def assert_classification_metrics(self, metrics):
        self.assertEqual(set(metrics), {"accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"})
        for name in ("accuracy", "precision", "recall", "f1", "roc_auc"):
            self.assertGreaterEqual(metrics[name], 0.0, name)
            self.assertLessEqual(metrics[name], 1.0, name)
        self.assertGreaterEqual(metrics["log_loss"], 0.0)

    def test_classification_job_succeeds(self):
        status, answer = self.trainer.train(self.body("classify"), "classify")
        self.assertEqual(status, 202)
        self.assertEqual(set(answer), {"job", "request_digest"})
        self.assertEqual(answer["request_digest"], sklearn_trainer.request_digest(self.body("classify")))
        job = self.trainer.wait(answer["job"])
        self.assertEqual(job["status"], "succeeded", job)
        self.assertIsNone(job["error"])
        self.assertEqual(job["task"], "classification")
        self.assertEqual(job["holdout_rows"], 100)  # a quarter of the 400 current rows
        self.assert_classification_metrics(job["metrics"]["challenger"])
        self.assertGreater(job["metrics"]["challenger"]["accuracy"], 0.8)
        self.assertIsNone(job["metrics"]["champion"])
        self.assertTrue(job["model_uri"].startswith("file:///"))
        path = job["model_uri"][len("file://"):]
        self.assertEqual(path, os.path.join(self.trainer.models_dir, job["job"], "model.joblib"))
        self.assertTrue(os.path.isfile(path))
        with open(os.path.join(self.trainer.models_dir, "jobs.json")) as stream:
            stored = {j["job"]: j for j in json.load(stream)["jobs"]}
        self.assertEqual(stored[job["job"]]["status"], "succeeded")

    def test_other_models(self):
        for model in ("random_forest", "gradient_boosting"):
            with self.subTest(model=model):
                job = self.trainer.run(self.body(f"model-{model}", params={"model": model, "n_estimators": "50"}), f"model-{model}")
                self.assertEqual(job["status"], "succeeded", job)
                self.assertEqual(job["model"], model)
                self.assert_classification_metrics(job["metrics"]["challenger"])

    def test_idempotency(self):
        first = self.trainer.train(self.body("idem"), "idem-key")
        second = self.trainer.train(self.body("idem"), "idem-key")
        self.assertEqual(first[0], 202)
        self.assertEqual(second, (200, first[1]))
        # The same key with another request (other data, as a planted job would have) is refused, not adopted.
        planted = self.trainer.train(self.body("idem", data={"reference": self.current, "current": self.current}), "idem-key")
        self.assertEqual(planted[0], 409, planted)
        self.assertEqual(planted[1]["field"], "Idempotency-Key")
        other = self.trainer.train(self.body("idem"), "idem-key-2")
        self.assertEqual(other[0], 202)
        self.assertNotEqual(other[1]["job"], first[1]["job"])
        # Without the header the cycle id is the key.
        third = self.trainer.request("POST", "/train", self.body("idem-by-cycle"))
        fourth = self.trainer.request("POST", "/train", self.body("idem-by-cycle"))
        self.assertEqual((third[0], fourth[0]), (202, 200))
        self.assertEqual(third[1], fourth[1])
        self.trainer.wait(first[1]["job"])
        self.assertEqual(self.trainer.train(self.body("idem"), "idem-key"), (200, first[1]))

    def test_champion_from_previous_job_is_scored_on_same_holdout(self):
        previous = self.trainer.run(self.body("champ-1"), "champ-1")
        self.assertEqual(previous["status"], "succeeded", previous)
        champion = {"version": "1", "model_uri": previous["model_uri"]}
        # driftloop's registry copies the model into its own directory and hands the copy back as the champion.
        registry_copy = os.path.join(self.directory, "registry", "m", "versions", "1", "model.joblib")
        os.makedirs(os.path.dirname(registry_copy))
        shutil.copyfile(previous["model_uri"][len("file://"):], registry_copy)
        # Same data, seed and model: the champion must score exactly as it did as a challenger.
        again = self.trainer.run(self.body("champ-2", champion={"version": "1", "model_uri": "file://" + registry_copy}), "champ-2")
        self.assertEqual(again["status"], "succeeded", again)
        self.assertEqual(again["holdout_rows"], previous["holdout_rows"])
        self.assertEqual(again["metrics"]["champion"], previous["metrics"]["challenger"])
        # Another challenger model, same holdout: the champion's metrics do not move.
        forest = self.trainer.run(self.body("champ-3", champion=champion, params={"seed": "42", "model": "random_forest"}), "champ-3")
        self.assertEqual(forest["status"], "succeeded", forest)
        self.assertEqual(forest["holdout_rows"], previous["holdout_rows"])
        self.assertEqual(forest["metrics"]["champion"], previous["metrics"]["challenger"])
        self.assertNotEqual(forest["metrics"]["challenger"], forest["metrics"]["champion"])

    def test_builtin_champion_is_scored(self):
        for sign, expected in ((1, 1.0), (-1, 0.0)):
            with self.subTest(sign=sign):
                path = os.path.join(self.directory, f"builtin-{sign}.json")
                with open(path, "w") as stream:
                    json.dump(builtin_model(sign), stream, sort_keys=True)
                champion = {"version": "3", "model_uri": "file://" + path}
                job = self.trainer.run(self.body(f"builtin-{sign}", champion=champion), f"builtin-{sign}")
                self.assertEqual(job["status"], "succeeded", job)
                metrics = job["metrics"]["champion"]
                self.assertIsNotNone(metrics, job["warnings"])
                self.assertEqual(set(metrics), {"accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"})
                self.assertEqual(metrics["accuracy"], expected)
                self.assertEqual(metrics["f1"], expected)
                self.assertEqual(metrics["roc_auc"], expected)
                if sign == 1:
                    self.assertLess(metrics["log_loss"], 0.1)
                else:
                    self.assertGreater(metrics["log_loss"], 1.0)

    def test_unusable_champion_gives_null_metrics_and_a_warning(self):
        path = os.path.join(self.directory, "other.json")
        with open(path, "w") as stream:
            json.dump({"format": "something-else"}, stream)
        import joblib
        untrusted = os.path.join(self.directory, "elsewhere.joblib")
        joblib.dump({"format": "driftloop-sklearn-v1"}, untrusted)  # not saved by the trainer: never unpickled
        for uri in ("file://" + path, "s3://bucket/model.pkl", "file:///nonexistent/model.joblib", "file://" + untrusted):
            with self.subTest(uri=uri):
                job = self.trainer.run(self.body(f"bad-champion-{uri}", champion={"version": "1", "model_uri": uri}), f"bad-champion-{uri}")
                self.assertEqual(job["status"], "succeeded", job)
                self.assertIsNone(job["metrics"]["champion"])
                self.assertTrue(any(w.startswith("champion not scored") for w in job["warnings"]), job["warnings"])
                if uri.endswith("elsewhere.joblib"):
                    self.assertIn("refusing to unpickle", " ".join(job["warnings"]))

    def test_regression(self):
        body = self.body("regress", target="y", data={"reference": self.regression_csv, "current": self.regression_csv})
        job = self.trainer.run(body, "regress")
        self.assertEqual(job["status"], "succeeded", job)
        self.assertEqual(job["task"], "regression")
        self.assertEqual(set(job["metrics"]["challenger"]), {"mae", "rmse", "r2"})
        self.assertGreater(job["metrics"]["challenger"]["r2"], 0.9)
        self.assertLess(job["metrics"]["challenger"]["mae"], 0.5)
        again = self.trainer.run(dict(body, cycle_id="regress-2", champion={"version": "1", "model_uri": job["model_uri"]}), "regress-2")
        self.assertEqual(again["metrics"]["champion"], job["metrics"]["challenger"])

    def test_bad_requests_name_the_field(self):
        body = self.body("bad")
        del body["data"]["current"]
        self.assertEqual(self.trainer.train(body, "bad-1"), (400, {"error": "missing field", "field": "data.current"}))
        cases = [
            ({k: v for k, v in self.body("bad").items() if k != "target"}, "missing field", "target"),
            (self.body("bad", data={"reference": "relative.csv", "current": self.current}), "invalid field", "data.reference"),
            (self.body("bad", features="x1"), "invalid field", "features"),
            (self.body("bad", champion={"version": "1"}), "missing field", "champion.model_uri"),
            (self.body("bad", params={"model": "svm"}), "invalid field", "params.model"),
            (self.body("bad", params={"seed": "forty-two"}), "invalid field", "params.seed"),
            (self.body("bad", params={"nested": {"a": 1}}), "invalid field", "params.nested"),
            (["not", "an", "object"], "invalid field", "body"),
        ]
        for body, error, field in cases:
            with self.subTest(field=field):
                status, answer = self.trainer.train(body, "bad-2")
                self.assertEqual(status, 400, answer)
                self.assertEqual((answer["error"], answer["field"]), (error, field))
        status, answer = self.trainer.request("POST", "/train", raw=b"{not json", headers={"Idempotency-Key": "bad-3"})
        self.assertEqual((status, answer["error"], answer["field"]), (400, "invalid JSON", "body"))
        # A refused request creates no job: the key is still free.
        status, answer = self.trainer.train(self.body("bad"), "bad-2")
        self.assertEqual(status, 202)

    def test_unknown_job_is_404(self):
        status, answer = self.trainer.request("GET", "/jobs/job-doesnotexist")
        self.assertEqual(status, 404)
        self.assertEqual(answer["error"], "unknown job")
        status, answer = self.trainer.request("GET", "/nowhere")
        self.assertEqual(status, 404)

    def test_missing_target_column_fails_the_job(self):
        job = self.trainer.run(self.body("no-target", target="churned"), "no-target")
        self.assertEqual(job["status"], "failed")
        self.assertIn("target column `churned` is not in the data", job["error"])
        self.assertIsNone(job["metrics"])
        job = self.trainer.run(self.body("no-file", data={"reference": self.reference, "current": "/nonexistent.csv"}), "no-file")
        self.assertEqual(job["status"], "failed")
        self.assertIn("/nonexistent.csv", job["error"])

    @unittest.skipUnless(os.path.exists(os.path.join(CHURN, "current.csv")), "no demo churn data")
    def test_churn_demo_data(self):
        body = self.body("churn", target="churned", data={"reference": os.path.join(CHURN, "reference.csv"),
                                                          "current": os.path.join(CHURN, "current.csv")})
        results = {}
        for model in ("logistic_regression", "random_forest", "gradient_boosting"):
            for train_on in ("current", "reference+current"):
                key = f"churn-{model}-{train_on}"
                job = self.trainer.run(dict(body, cycle_id=key, params={"seed": "42", "model": model, "train_on": train_on}), key)
                self.assertEqual(job["status"], "succeeded", job)
                self.assert_classification_metrics(job["metrics"]["challenger"])
                results[(model, train_on)] = job
        baseline = results[("logistic_regression", "current")]
        self.assertGreater(baseline["metrics"]["challenger"]["accuracy"], 0.65)
        # The drifted current data needs the current concept: the model of both batches scored as the champion.
        both = results[("logistic_regression", "reference+current")]
        job = self.trainer.run(dict(body, cycle_id="churn-vs", champion={"version": "1", "model_uri": both["model_uri"]}), "churn-vs")
        self.assertEqual(job["metrics"]["champion"], both["metrics"]["challenger"])
        sys.stderr.write(f"\nchurn (current.csv, target churned, seed 42, holdout {baseline['holdout_rows']} rows):\n")
        for (model, train_on), result in results.items():
            metrics = ", ".join(f"{k} {v:.4f}" for k, v in result["metrics"]["challenger"].items())
            sys.stderr.write(f"  {model:20s} train_on={train_on:18s} {metrics}\n")


class RestartTests(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="sktrainer-restart-")
        self.current = os.path.join(self.directory, "current.csv")
        write_csv(self.current, ["x1", "x2", "c", "label"], classification_rows(random.Random(3), 200))

    def tearDown(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def body(self, cycle):
        return {"cycle_id": cycle, "pipeline": "restart", "model_name": "m",
                "data": {"reference": self.current, "current": self.current}, "target": "label",
                "features": ["x1", "c"], "champion": None, "params": {}}

    def test_finished_jobs_survive_a_restart_and_running_ones_fail(self):
        models = os.path.join(self.directory, "models")
        trainer = TrainerProcess(models).start()
        try:
            finished = trainer.run(self.body("r1"), "r1")
            self.assertEqual(finished["status"], "succeeded", finished)
        finally:
            trainer.stop()
        # A job that was running when the trainer died, as jobs.json would hold it.
        path = os.path.join(models, "jobs.json")
        with open(path) as stream:
            document = json.load(stream)
        running = dict(document["jobs"][0], job="job-wasrunning1", idempotency_key="r2", status="running",
                       metrics=None, model_uri=None, holdout_rows=None,
                       request_digest=sklearn_trainer.request_digest(self.body("r2")))
        document["jobs"].append(running)
        with open(path, "w") as stream:
            json.dump(document, stream)

        trainer = TrainerProcess(models).start()
        try:
            status, again = trainer.request("GET", f"/jobs/{finished['job']}")
            self.assertEqual((status, again), (200, finished))
            self.assertEqual(trainer.train(self.body("r1"), "r1"),
                             (200, {"job": finished["job"], "request_digest": sklearn_trainer.request_digest(self.body("r1"))}))
            status, crashed = trainer.request("GET", "/jobs/job-wasrunning1")
            self.assertEqual(status, 200)
            self.assertEqual((crashed["status"], crashed["error"]), ("failed", "trainer restarted"))
            self.assertEqual(trainer.train(self.body("r2"), "r2"),
                             (200, {"job": "job-wasrunning1", "request_digest": sklearn_trainer.request_digest(self.body("r2"))}))
        finally:
            trainer.stop()

    def test_mlflow_problems_do_not_fail_the_job(self):
        has_mlflow = importlib.util.find_spec("mlflow") is not None
        # Without mlflow: a warning. With mlflow: a closed loopback port, so logging fails fast.
        uri = "http://127.0.0.1:9" if has_mlflow else "file://" + os.path.join(self.directory, "mlruns")
        env = {"MLFLOW_TRACKING_URI": uri, "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_TIMEOUT": "5"}
        trainer = TrainerProcess(os.path.join(self.directory, "models"), env).start()
        try:
            job = trainer.run(self.body("m1"), "m1")
        finally:
            trainer.stop()
        self.assertEqual(job["status"], "succeeded", job)
        self.assertTrue(any("mlflow" in w.lower() for w in job["warnings"]), job["warnings"])

    @unittest.skipUnless(importlib.util.find_spec("mlflow"), "mlflow is not installed")
    def test_mlflow_logging(self):
        import mlflow
        import mlflow.sklearn
        uri = "sqlite:///" + os.path.join(self.directory, "mlflow.db")
        trainer = TrainerProcess(os.path.join(self.directory, "models"), {"MLFLOW_TRACKING_URI": uri}).start()
        try:
            job = trainer.run(self.body("ml1"), "ml1")
        finally:
            trainer.stop()
        self.assertEqual(job["status"], "succeeded", job)
        self.assertIsNotNone(job["mlflow_run_id"], job["warnings"])
        self.assertEqual(job["warnings"], [])
        # set_tracking_uri also exports MLFLOW_TRACKING_URI; keep it out of the other tests.
        environment = mock.patch.dict(os.environ)
        environment.start()
        self.addCleanup(environment.stop)
        mlflow.set_tracking_uri(uri)
        run = mlflow.get_run(job["mlflow_run_id"])
        self.assertEqual(run.data.metrics["f1"], job["metrics"]["challenger"]["f1"])
        self.assertEqual(mlflow.get_experiment(run.info.experiment_id).name, "restart")
        self.assertEqual(run.data.params["model"], "logistic_regression")
        # The logged pipeline loads back and predicts the CSV's labels.
        import pandas as pd
        model = mlflow.sklearn.load_model(f"runs:/{job['mlflow_run_id']}/model")
        predictions = model.predict(pd.DataFrame({"x1": [1.45, -1.45, 0.5], "c": ["a", "a", "b"]}))
        self.assertEqual([str(p) for p in predictions], ["yes", "no", "yes"])


class RequestDigestTests(unittest.TestCase):
    """The digest must be the one driftloop computes (TrainerPortSecurityTests pins the same value in Swift)."""

    def test_the_digest_matches_driftloops(self):
        body = {"cycle_id": "c-1", "pipeline": "churn", "model_name": "m",
                "data": {"reference": "/data/ref \u00e9.csv", "current": "https://x/cur?a=1&b=\"2\""}, "target": "y",
                "features": ["a", "b\n"], "champion": {"version": "3", "model_uri": "file:///m/3.json"},
                "params": {"seed": "42", "\u03b1": "\u0001"}, "reason": "ignored", "cycle_url": "ignored too"}
        self.assertEqual(sklearn_trainer.request_digest(body), "11395e2292c4c4835d7034b12066c2c7cb062a1ae0a490dc4c4818af2b5c34af")
        self.assertEqual(sklearn_trainer.request_digest(dict(body, reason="other")), sklearn_trainer.request_digest(body))
        self.assertNotEqual(sklearn_trainer.request_digest(dict(body, params={"seed": "43"})), sklearn_trainer.request_digest(body))


class MetricTests(unittest.TestCase):
    """The in-process pieces against independent implementations."""

    @classmethod
    def setUpClass(cls):
        import numpy as np
        import pandas as pd
        import sklearn_trainer
        cls.np, cls.pd, cls.trainer = np, pd, sklearn_trainer

    def test_metrics_match_scikit_learn(self):
        from sklearn import metrics as sk
        np = self.np
        rng = np.random.default_rng(0)
        for classes in (2, 3):
            with self.subTest(classes=classes):
                labels = rng.integers(0, classes, 200)
                logits = rng.normal(size=(200, classes)) + 1.5 * np.eye(classes)[labels]
                probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
                ours = self.trainer.classification_metrics(probabilities, labels, classes)
                predictions = probabilities.argmax(axis=1)
                average = "binary" if classes == 2 else "macro"
                expected = {
                    "accuracy": sk.accuracy_score(labels, predictions),
                    "precision": sk.precision_score(labels, predictions, average=average),
                    "recall": sk.recall_score(labels, predictions, average=average),
                    "f1": sk.f1_score(labels, predictions, average=average),
                    "log_loss": sk.log_loss(labels, probabilities, labels=list(range(classes))),
                }
                if classes == 2:
                    expected["roc_auc"] = sk.roc_auc_score(labels, probabilities[:, 1])
                self.assertEqual(set(ours), set(expected))
                for name, value in expected.items():
                    self.assertAlmostEqual(ours[name], value, places=9, msg=name)
        # A label the model never saw counts as wrong and costs -log(1e-15).
        ours = self.trainer.classification_metrics(np.array([[0.2, 0.8], [0.9, 0.1]]), np.array([1, -1]), 2)
        self.assertEqual(ours["accuracy"], 0.5)
        self.assertAlmostEqual(ours["log_loss"], (-math.log(0.8) - math.log(1e-15)) / 2)
        regression = self.trainer.regression_metrics(np.array([1.0, 2.0, 4.0]), np.array([1.0, 3.0, 3.0]))
        self.assertAlmostEqual(regression["mae"], 2 / 3)
        self.assertAlmostEqual(regression["rmse"], math.sqrt(2 / 3))
        self.assertAlmostEqual(regression["r2"], 0.25)  # 1 - 2 / (8/3)

    def test_builtin_model_matches_a_plain_port_of_the_swift_code(self):
        rng = random.Random(11)
        document = {
            "format": "driftloop-softmax-v1", "target": "t", "features": ["a", "b", "k", "gone"],
            "encoder": {"columns": [
                {"numeric": {"name": "a", "mean": 1.5, "scale": 2.0}},
                {"categorical": {"name": "k", "levels": ["p", "q", "r"]}},
                {"numeric": {"name": "b", "mean": -3.0, "scale": 0.5}},
                {"numeric": {"name": "gone", "mean": 7.0, "scale": 1.0}},
                {"categorical": {"name": "gone2", "levels": ["z"]}},
            ]},
            "regression": {"classes": ["x", "y", "z"],
                           "weights": [[rng.uniform(-2, 2) for _ in range(7)] for _ in range(3)],
                           "biases": [rng.uniform(-1, 1) for _ in range(3)]},
        }
        rows = [[str(round(rng.uniform(-3, 5), 3)), rng.choice(["1e1", "", " 2", "0x1p1", "abc", "-4.5"]),
                 rng.choice(["p", "q", "r", "s", ""])] for _ in range(50)]
        raw = self.pd.DataFrame(rows, columns=["a", "b", "k"], dtype=object)

        special = {"1e1": 10.0, "": None, " 2": None, "0x1p1": 2.0, "abc": None, "-4.5": -4.5}

        def swift_double(text):  # what Swift's Double(String) gives for the values the rows use
            return special[text] if text in special else float(text)

        def encode(row):
            header = ["a", "b", "k"]
            vector = []
            for column in document["encoder"]["columns"]:
                kind, spec = next(iter(column.items()))
                text = row[header.index(spec["name"])] if spec["name"] in header else ""
                if kind == "numeric":
                    number = swift_double(text)
                    vector.append(((spec["mean"] if number is None else number) - spec["mean"]) / spec["scale"])
                else:
                    vector.extend(1.0 if level == text else 0.0 for level in spec["levels"])
            return vector

        def probabilities(vector):
            regression = document["regression"]
            logits = [b + sum(w * x for w, x in zip(weights, vector))
                      for weights, b in zip(regression["weights"], regression["biases"])]
            top = max(logits)
            exps = [math.exp(v - top) for v in logits]
            return [e / sum(exps) for e in exps]

        model = self.trainer.BuiltinModel(document)
        ours = model.predict_proba(raw)
        for row, got in zip(rows, ours):
            for a, b in zip(probabilities(encode(row)), got):
                self.assertAlmostEqual(a, b, places=12)


if __name__ == "__main__":
    unittest.main()
