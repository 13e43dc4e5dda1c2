#!/usr/bin/env python3
"""A scikit-learn trainer that speaks driftloop's trainer protocol (README, "Trainer protocol (HTTP)").

    python3 examples/sklearn-trainer/sklearn_trainer.py --port 0 --models-dir DIR [--host 127.0.0.1] [--port-file F] [--token T]
                                       [--trust-dir DIR ...]

prints `LISTENING <port>` on stdout (flushed) once it accepts connections; logs go to stderr. Point a
pipeline at it with `trainer: {kind: http, url: http://127.0.0.1:<port>}`.

    POST /train      header Idempotency-Key (falls back to the body's cycle_id), body as in the README
                     -> 202 {"job": "job-..."}; the same key returns the same job (also 202)
                     -> 400 {"error": "missing field" | "invalid field" | "invalid JSON", "field": "data.current",
                             "detail": "..."}
    GET  /jobs/{id}  -> 200 {"job", "status": "queued|running|succeeded|failed",
                             "metrics": {"challenger": {...}, "champion": {...} | null} | null,
                             "model_uri": "file:///.../model.joblib" | null, "holdout_rows": int | null,
                             "error": str | null, "warnings": [str], "mlflow_run_id": str | null,
                             "task": "classification" | "regression" | null, "model": str | null}
                     -> 404 {"error": "unknown job", "job": id}
    GET  /health     -> 200 {"status": "ok", "jobs": n}

Training. The holdout is a seeded 25% of the *current* data (`params.seed`, default 42; `params.test_size`,
default 0.25), stratified by class when every class has at least two rows. The challenger trains on the rest of
the current data (`params.train_on: reference+current` adds every reference row to the training set). Features
are `features` or every column but the target. A column is numeric when every non-empty value is a number (the
built-in trainer's rule), and goes through mean imputation and StandardScaler; every other column is one-hot
encoded (unknown values -> all zeros). `params.model`: `logistic_regression` (default), `random_forest`,
`gradient_boosting`, or `ridge`; hyperparameters `C`, `alpha`, `max_iter`, `n_estimators`, `max_depth`,
`learning_rate` are passed through when given.

Task. `params.task` (`classification` | `regression`) decides; otherwise the target is a regression target when
every value is a number and it has more than `params.max_classes` (default 20) distinct values, else a
classification target (labels are kept as the CSV text, so `1` and `1.0` are different classes). Regression uses
Ridge (`logistic_regression`/`ridge`), RandomForestRegressor or GradientBoostingRegressor.

Metrics, computed exactly as driftloop's built-in trainer (HoldoutMetrics.swift) computes them, so challengers of
either trainer compare fairly: classification `accuracy`, `precision`, `recall`, `f1` (of the positive class,
i.e. the second of the two labels in sorted order, for two classes; macro averages over the model's classes
otherwise), `log_loss` (probabilities clipped to [1e-15, 1 - 1e-15]; a label the model never saw costs
-log(1e-15)) and, for two classes with both present in the holdout, `roc_auc`; regression `mae`, `rmse` and `r2`
(`r2` left out when the holdout target is constant). A metric that is not finite is left out.

Champion. Scored on the same holdout rows: a `file://` joblib saved by this trainer, or a built-in trainer model (`"format": "driftloop-softmax-v1"`, scored with the built-in encoder and softmax
regression reimplemented in numpy). A joblib file is unpickled only when it is one this trainer saved: its SHA-256
is that of a model in jobs.json (so driftloop's registry, which copies the file into its own directory, can hand
the copy back), or it lies under --models-dir or a --trust-dir. Anything else gives `"champion": null`, with the
reason logged and added to `warnings`.

MLflow. With MLFLOW_TRACKING_URI set and `mlflow` importable, each job logs its params, challenger metrics (and
the champion's as `champion_<metric>`) and the fitted pipeline (sklearn flavor) to the experiment named after the
pipeline; the run id is in `mlflow_run_id`. A logging failure never fails the job; it is added to `warnings`.

State. Jobs are kept in `<models-dir>/jobs.json` (written to a temporary file and os.replace'd), models in
`<models-dir>/<job>/model.joblib`. After a restart finished jobs still answer; a job that was queued or running
when the trainer stopped is failed with error "trainer restarted" (driftloop then starts a new cycle).
Jobs run one at a time on a worker thread.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import inspect
import io
import json
import logging
import math
import os
import queue
import signal
import sys
import tempfile
import threading
import traceback
import urllib.parse
import urllib.request
import uuid
import warnings as _warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

LOG = logging.getLogger("sklearn_trainer")

BUILTIN_FORMAT = "driftloop-softmax-v1"
BUNDLE_FORMAT = "driftloop-sklearn-v1"
MODELS = ("logistic_regression", "random_forest", "gradient_boosting", "ridge")
TASKS = ("auto", "classification", "regression")
TRAIN_ON = ("current", "reference+current")
MAX_BODY = 1 << 20
EPSILON = 1e-15


class TrainingError(Exception):
    """A job failure whose message is meant for the job's `error` field as it is."""


class BadRequest(Exception):
    def __init__(self, error: str, field: str, detail: str | None = None):
        super().__init__(f"{error}: {field}")
        self.payload = {"error": error, "field": field}
        if detail:
            self.payload["detail"] = detail


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------------------------
# Data


def swift_double(text: str) -> float | None:
    """`Double(text)` as Swift parses it (the built-in trainer's notion of a number): no surrounding whitespace,
    no digit separators; decimal or hexadecimal notation, nan and inf accepted."""
    if not text or text != text.strip() or "_" in text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    body = text.lstrip("+-")
    if body[:2].lower() == "0x":
        try:
            return float.fromhex(text)
        except ValueError:
            return None
    return None


def parse_column(values: pd.Series) -> np.ndarray:
    """Swift-parsed numbers of a text column, NaN where a value is not a number."""
    mapping = {}
    for value in values.unique():
        number = swift_double(value)
        mapping[value] = np.nan if number is None else number
    return values.map(mapping).to_numpy(dtype=float)


def is_numeric_column(values: pd.Series) -> bool:
    present = values[values != ""]
    if present.empty:
        return False
    return all(swift_double(v) is not None for v in present.unique())


def local_path(location: str) -> str | None:
    if location.startswith("file://"):
        parsed = urllib.parse.urlparse(location)
        return urllib.parse.unquote(parsed.path)
    if location.startswith("/"):
        return location
    return None


def load_csv(location: str) -> pd.DataFrame:
    """A CSV as text: every cell the string in the file, empty for a missing value."""
    path = local_path(location)
    try:
        if path is not None:
            if not os.path.isfile(path):
                raise TrainingError(f"cannot read training data at {location}: no such file")
            source: object = path
        else:
            with urllib.request.urlopen(location, timeout=120) as response:
                source = io.BytesIO(response.read())
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, na_filter=False)
    except TrainingError:
        raise
    except pd.errors.EmptyDataError:
        raise TrainingError(f"{location} is empty; it needs a header row") from None
    except Exception as error:  # noqa: BLE001 - any reader failure is the job's error
        raise TrainingError(f"cannot read training data at {location}: {error}") from None
    return frame.astype(object)


def typed_frame(raw: pd.DataFrame, numeric: list[str], categorical: list[str]) -> pd.DataFrame:
    """The frame the sklearn pipeline sees: numeric columns as floats (NaN when missing or not finite),
    categorical ones as the CSV text."""
    columns = {}
    for name in numeric:
        values = parse_column(raw[name])
        values[~np.isfinite(values)] = np.nan
        columns[name] = values
    for name in categorical:
        columns[name] = raw[name].astype(object).to_numpy()
    return pd.DataFrame(columns, index=raw.index, columns=numeric + categorical)


# ---------------------------------------------------------------------------------------------------------------
# Metrics (HoldoutMetrics.swift)


def roc_auc(scores: np.ndarray, positives: np.ndarray) -> float | None:
    """Area under the ROC curve by the rank-sum identity, ties counted half."""
    positive_count = int(positives.sum())
    negative_count = len(positives) - positive_count
    if positive_count == 0 or negative_count == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    ranks = np.zeros(len(scores))
    sorted_scores = scores[order]
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    positive_rank_sum = float(ranks[positives].sum())
    return (positive_rank_sum - positive_count * (positive_count + 1) / 2) / (positive_count * negative_count)


def classification_metrics(probabilities: np.ndarray, labels: np.ndarray, class_count: int) -> dict[str, float]:
    """`probabilities[i, k]`: row i's probability of the model's class k; `labels[i]`: the true class index,
    -1 for a class the model never saw."""
    labels = np.asarray(labels, dtype=int)
    if len(labels) == 0:
        return {}
    probabilities = np.asarray(probabilities, dtype=float).reshape(len(labels), class_count)
    predictions = np.argmax(probabilities, axis=1)
    metrics = {"accuracy": float(np.mean(predictions == labels))}

    def scores(positive: int) -> tuple[float, float, float]:
        true_positive = float(np.sum((predictions == positive) & (labels == positive)))
        false_positive = float(np.sum((predictions == positive) & (labels != positive)))
        false_negative = float(np.sum((predictions != positive) & (labels == positive)))
        precision = true_positive / (true_positive + false_positive) if true_positive + false_positive > 0 else 0.0
        recall = true_positive / (true_positive + false_negative) if true_positive + false_negative > 0 else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        return precision, recall, f1

    if class_count == 2:
        metrics["precision"], metrics["recall"], metrics["f1"] = scores(1)
        auc = roc_auc(probabilities[:, 1], labels == 1)
        if auc is not None:
            metrics["roc_auc"] = auc
    else:
        per_class = [scores(k) for k in range(class_count)]
        metrics["precision"] = sum(s[0] for s in per_class) / class_count
        metrics["recall"] = sum(s[1] for s in per_class) / class_count
        metrics["f1"] = sum(s[2] for s in per_class) / class_count
    true_probability = np.where(labels >= 0, probabilities[np.arange(len(labels)), np.maximum(labels, 0)], EPSILON)
    metrics["log_loss"] = float(np.sum(-np.log(np.clip(true_probability, EPSILON, 1 - EPSILON))) / len(labels))
    return finite(metrics)


def regression_metrics(predictions: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    predictions = np.asarray(predictions, dtype=float)
    truth = np.asarray(truth, dtype=float)
    if len(truth) == 0:
        return {}
    errors = predictions - truth
    metrics = {"mae": float(np.mean(np.abs(errors))), "rmse": float(math.sqrt(np.mean(errors ** 2)))}
    total = float(np.sum((truth - truth.mean()) ** 2))
    if total > 0:
        metrics["r2"] = 1 - float(np.sum(errors ** 2)) / total
    return finite(metrics)


def finite(metrics: dict[str, float]) -> dict[str, float]:
    return {name: float(value) for name, value in metrics.items() if value is not None and math.isfinite(value)}


def label_indices(labels: np.ndarray, classes: list[str]) -> np.ndarray:
    index = {label: position for position, label in enumerate(classes)}
    return np.array([index.get(label, -1) for label in labels], dtype=int)


# ---------------------------------------------------------------------------------------------------------------
# The built-in trainer's model (SoftmaxRegression.swift, FeatureEncoder.swift)


class BuiltinModel:
    """A `driftloop-softmax-v1` model: `{"format", "target", "features", "encoder": {"columns": [
    {"numeric": {"name", "mean", "scale"}} | {"categorical": {"name", "levels"}}]}, "regression": {"classes",
    "weights": [[class][feature]], "biases"}}` (Swift's synthesized Codable for the enum `Column`)."""

    def __init__(self, document: dict):
        if document.get("format") != BUILTIN_FORMAT:
            raise ValueError(f"format is {document.get('format')!r}, not {BUILTIN_FORMAT!r}")
        self.target = str(document.get("target", ""))
        self.features = list(document.get("features") or [])
        self.columns = []
        for column in document["encoder"]["columns"]:
            if "numeric" in column:
                spec = column["numeric"]
                self.columns.append(("numeric", str(spec["name"]), float(spec["mean"]), float(spec["scale"])))
            elif "categorical" in column:
                spec = column["categorical"]
                self.columns.append(("categorical", str(spec["name"]), [str(level) for level in spec["levels"]]))
            else:
                raise ValueError(f"unknown encoder column {sorted(column)}")
        regression = document["regression"]
        self.classes = [str(c) for c in regression["classes"]]
        self.weights = np.array(regression["weights"], dtype=float).reshape(len(self.classes), -1)
        self.biases = np.array(regression["biases"], dtype=float)
        width = sum(1 if c[0] == "numeric" else len(c[2]) for c in self.columns)
        if self.biases.shape != (len(self.classes),) or (len(self.classes) and self.weights.shape[1] != width):
            raise ValueError(
                f"weights {self.weights.shape} / biases {self.biases.shape} do not fit {len(self.classes)} classes "
                f"and an encoding of width {width}")

    def encode(self, raw: pd.DataFrame) -> np.ndarray:
        parts = []
        for column in self.columns:
            name = column[1]
            values = raw[name] if name in raw.columns else pd.Series([""] * len(raw), index=raw.index, dtype=object)
            if column[0] == "numeric":
                _, _, mean, scale = column
                # `Double(text) ?? mean`: text that is not a number stands for the mean ("nan" parses as NaN).
                parsed = {value: swift_double(value) for value in values.unique()}
                numbers = values.map({v: mean if n is None else n for v, n in parsed.items()}).to_numpy(dtype=float)
                parts.append(((numbers - mean) / scale).reshape(-1, 1))
            else:
                levels = column[2]
                text = values.to_numpy(dtype=object)
                parts.append(np.stack([(text == level).astype(float) for level in levels], axis=1)
                             if levels else np.zeros((len(raw), 0)))
        return np.hstack(parts) if parts else np.zeros((len(raw), 0))

    def predict_proba(self, raw: pd.DataFrame) -> np.ndarray:
        logits = self.encode(raw) @ self.weights.T + self.biases
        logits = logits - logits.max(axis=1, keepdims=True)
        exponentials = np.exp(logits)
        return exponentials / exponentials.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------------------------------------------
# Training


def int_param(params: dict, name: str, default: int | None, low: int | None = None, high: int | None = None) -> int | None:
    if name not in params:
        return default
    try:
        value = int(params[name])
    except ValueError:
        raise BadRequest("invalid field", f"params.{name}", "must be an integer") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise BadRequest("invalid field", f"params.{name}", f"must be between {low} and {high}")
    return value


def float_param(params: dict, name: str, default: float | None, low: float = -math.inf, high: float = math.inf,
                open_interval: bool = False) -> float | None:
    if name not in params:
        return default
    try:
        value = float(params[name])
    except ValueError:
        raise BadRequest("invalid field", f"params.{name}", "must be a number") from None
    inside = (low < value < high) if open_interval else (low <= value <= high)
    if not math.isfinite(value) or not inside:
        raise BadRequest("invalid field", f"params.{name}", f"must be in {'(' if open_interval else '['}{low}, {high}{')' if open_interval else ']'}")
    return value


def choice_param(params: dict, name: str, choices: tuple[str, ...], default: str) -> str:
    value = params.get(name, default)
    if value not in choices:
        raise BadRequest("invalid field", f"params.{name}", f"must be one of {', '.join(choices)}")
    return value


def training_options(params: dict) -> dict:
    """Every parameter the trainer reads, validated (BadRequest names the offending one)."""
    return {
        "seed": int_param(params, "seed", 42, 0, 2 ** 32 - 1),
        "test_size": float_param(params, "test_size", 0.25, 0.0, 1.0, open_interval=True),
        "model": choice_param(params, "model", MODELS, "logistic_regression"),
        "task": choice_param(params, "task", TASKS, "auto"),
        "train_on": choice_param(params, "train_on", TRAIN_ON, "current"),
        "max_classes": int_param(params, "max_classes", 20, 2, None),
        "C": float_param(params, "C", None, 0.0, math.inf, open_interval=True),
        "alpha": float_param(params, "alpha", None, 0.0, math.inf),
        "max_iter": int_param(params, "max_iter", None, 1, None),
        "n_estimators": int_param(params, "n_estimators", None, 1, 100000),
        "max_depth": int_param(params, "max_depth", None, 1, 1000),
        "learning_rate": float_param(params, "learning_rate", None, 0.0, math.inf, open_interval=True),
    }


def make_estimator(task: str, options: dict):
    kind, seed = options["model"], options["seed"]
    given = {name: options[name] for name in ("C", "alpha", "max_iter", "n_estimators", "max_depth", "learning_rate")
             if options[name] is not None}

    def pick(*names):
        return {name: given[name] for name in names if name in given}

    if task == "classification":
        if kind in ("logistic_regression", "ridge"):
            return LogisticRegression(**{"max_iter": 1000, **pick("C", "max_iter")})
        if kind == "random_forest":
            return RandomForestClassifier(**{"n_estimators": 200, "random_state": seed, **pick("n_estimators", "max_depth")})
        return GradientBoostingClassifier(**{"random_state": seed, **pick("n_estimators", "max_depth", "learning_rate")})
    if kind in ("logistic_regression", "ridge"):
        return Ridge(**{"alpha": 1.0, **pick("alpha", "max_iter")})
    if kind == "random_forest":
        return RandomForestRegressor(**{"n_estimators": 200, "random_state": seed, **pick("n_estimators", "max_depth")})
    return GradientBoostingRegressor(**{"random_state": seed, **pick("n_estimators", "max_depth", "learning_rate")})


def make_pipeline(numeric: list[str], categorical: list[str], estimator) -> Pipeline:
    transformers = []
    if numeric:
        transformers.append(("numeric", Pipeline([("impute", SimpleImputer(strategy="mean")), ("scale", StandardScaler())]), numeric))
    if categorical:
        transformers.append(("categorical", OneHotEncoder(handle_unknown="ignore"), categorical))
    return Pipeline([("encode", ColumnTransformer(transformers)), ("model", estimator)])


def decide_task(target_values: pd.Series, options: dict) -> str:
    if options["task"] != "auto":
        return options["task"]
    distinct = target_values.unique()
    if len(distinct) > options["max_classes"] and all(swift_double(v) is not None for v in distinct):
        return "regression"
    return "classification"


def regression_target(values: pd.Series, target: str) -> np.ndarray:
    numbers = parse_column(values)
    if not np.all(np.isfinite(numbers)):
        bad = values[~np.isfinite(numbers)].iloc[0]
        raise TrainingError(f"target `{target}` has a value that is not a finite number ({bad!r}); regression needs numbers")
    return numbers


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_atomically(write, path: str) -> None:
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


class Champion:
    """Scores a champion model on the holdout; `load` returns None and a reason when it cannot."""

    @staticmethod
    def load(uri: str, trusted) -> tuple[object | None, str | None]:
        """`trusted(path)` tells whether a joblib file may be unpickled."""
        path = local_path(uri)
        if path is None or not uri.startswith("file://"):
            return None, f"champion model_uri {uri!r} is not a file:// URI"
        if not os.path.isfile(path):
            return None, f"champion model {path} does not exist"
        with open(path, "rb") as stream:
            head = stream.read(64).lstrip()
        if head.startswith(b"{"):
            try:
                with open(path, encoding="utf-8") as stream:
                    document = json.load(stream)
            except (OSError, ValueError) as error:
                return None, f"champion model {path} is not readable JSON: {error}"
            if not isinstance(document, dict) or document.get("format") != BUILTIN_FORMAT:
                fmt = document.get("format") if isinstance(document, dict) else None
                return None, f"champion model {path} has format {fmt!r}; this trainer scores {BUILTIN_FORMAT!r} JSON and its own joblib files"
            try:
                return BuiltinModel(document), None
            except (KeyError, TypeError, ValueError) as error:
                return None, f"champion model {path} is not a valid {BUILTIN_FORMAT} model: {error!r}"
        if not trusted(path):
            return None, (f"champion model {path} is not a joblib file this trainer saved (unknown SHA-256, outside "
                          "--models-dir and every --trust-dir); refusing to unpickle it")
        try:
            bundle = joblib.load(path)
        except Exception as error:  # noqa: BLE001
            return None, f"cannot load champion model {path}: {error!r}"
        if isinstance(bundle, dict) and bundle.get("format") == BUNDLE_FORMAT:
            return bundle, None
        return None, f"champion model {path} is not a {BUNDLE_FORMAT} bundle"

    @staticmethod
    def score(model, raw_holdout: pd.DataFrame, target: str, task: str, labels: np.ndarray) -> tuple[dict | None, str | None]:
        if isinstance(model, BuiltinModel):
            if task != "classification":
                return None, "the champion is a built-in (classification) model but this is a regression task"
            if model.target and model.target != target:
                return None, f"the champion predicts `{model.target}`, not `{target}`"
            probabilities = model.predict_proba(raw_holdout)
            return classification_metrics(probabilities, label_indices(labels, model.classes), len(model.classes)), None
        if model.get("task") != task:
            return None, f"the champion is a {model.get('task')} model but this is a {task} task"
        if model.get("target") != target:
            return None, f"the champion predicts `{model.get('target')}`, not `{target}`"
        missing = [c for c in model["numeric_features"] + model["categorical_features"] if c not in raw_holdout.columns]
        if missing:
            return None, f"the holdout lacks the champion's feature columns {missing}"
        frame = typed_frame(raw_holdout, model["numeric_features"], model["categorical_features"])
        if task == "classification":
            classes = list(model["classes"])
            probabilities = model["model"].predict_proba(frame)
            return classification_metrics(probabilities, label_indices(labels, classes), len(classes)), None
        return regression_metrics(model["model"].predict(frame), labels), None


def train(job_id: str, request: dict, models_dir: str, record_warning, trusted=lambda path: False) -> tuple[dict, Pipeline, pd.DataFrame]:
    """Runs one job; returns the fields of the finished job, the fitted pipeline and an input example
    (raises TrainingError on a failure)."""
    options = training_options(request["params"])
    target = request["target"]
    current = load_csv(request["data"]["current"])
    if target not in current.columns:
        raise TrainingError(f"target column `{target}` is not in the data; columns: {', '.join(map(str, current.columns))}")
    features = request["features"] or [c for c in current.columns if c != target]
    missing = [f for f in features if f not in current.columns]
    if missing:
        raise TrainingError(f"feature columns {missing} are not in the current data; columns: {', '.join(map(str, current.columns))}")
    if not features:
        raise TrainingError("there are no feature columns besides the target")
    reference = None
    if options["train_on"] == "reference+current":
        reference = load_csv(request["data"]["reference"])
        absent = [c for c in [target] + features if c not in reference.columns]
        if absent:
            raise TrainingError(f"reference data lacks columns {absent}")
        reference = reference[reference[target] != ""]

    unlabelled = int((current[target] == "").sum())
    if unlabelled:
        record_warning(f"dropped {unlabelled} current rows with an empty `{target}`")
        current = current[current[target] != ""]
    current = current.reset_index(drop=True)
    if len(current) < 4:
        raise TrainingError(f"the current data has {len(current)} labelled rows; at least 4 are needed for a holdout")

    all_targets = current[target] if reference is None else pd.concat([reference[target], current[target]])
    task = decide_task(all_targets, options)
    labels_all = current[target].to_numpy(dtype=object)

    # Holdout: a seeded share of the current data, stratified when every class allows it.
    indices = np.arange(len(current))
    holdout_index = None
    if task == "classification":
        try:
            train_index, holdout_index = train_test_split(
                indices, test_size=options["test_size"], random_state=options["seed"], stratify=labels_all)
        except ValueError as error:
            LOG.info("job %s: split not stratified (%s)", job_id, error)
    if holdout_index is None:
        train_index, holdout_index = train_test_split(indices, test_size=options["test_size"], random_state=options["seed"])
    holdout_index = np.sort(holdout_index)
    train_index = np.sort(train_index)
    used = [target] + features
    training = current.iloc[train_index][used]
    if reference is not None:
        training = pd.concat([reference[used], training], ignore_index=True)
    holdout = current.iloc[holdout_index].reset_index(drop=True)

    type_source = training[features]
    numeric = [f for f in features if is_numeric_column(type_source[f])]
    categorical = [f for f in features if f not in numeric]
    X_train = typed_frame(training, numeric, categorical)
    X_holdout = typed_frame(holdout, numeric, categorical)

    if task == "classification":
        y_train = training[target].to_numpy(dtype=object).astype(str)
        y_holdout = holdout[target].to_numpy(dtype=object).astype(str)
        if len(set(y_train)) < 2:
            raise TrainingError(f"target `{target}` has fewer than two classes in the training data")
    else:
        y_train = regression_target(training[target], target)
        y_holdout = regression_target(holdout[target], target)

    pipeline = make_pipeline(numeric, categorical, make_estimator(task, options))
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        pipeline.fit(X_train, y_train)
        if task == "classification":
            classes = [str(c) for c in pipeline.classes_]
            challenger = classification_metrics(pipeline.predict_proba(X_holdout), label_indices(y_holdout, classes), len(classes))
        else:
            classes = None
            challenger = regression_metrics(pipeline.predict(X_holdout), y_holdout)
    for message in dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught):
        record_warning(message.splitlines()[0][:300])

    champion_metrics = None
    champion = request.get("champion")
    if champion:
        model, reason = Champion.load(champion["model_uri"], trusted)
        if model is not None:
            try:
                with _warnings.catch_warnings():
                    _warnings.simplefilter("ignore")
                    champion_metrics, reason = Champion.score(model, holdout, target, task, y_holdout)
            except Exception as error:  # noqa: BLE001 - a champion that cannot score is reported, not fatal
                champion_metrics, reason = None, f"scoring the champion failed: {error!r}"
        if reason:
            LOG.warning("job %s: champion version %s not scored: %s", job_id, champion.get("version"), reason)
            record_warning(f"champion not scored: {reason}")

    bundle = {
        "format": BUNDLE_FORMAT, "task": task, "target": target, "features": features,
        "numeric_features": numeric, "categorical_features": categorical, "classes": classes,
        "model": pipeline, "model_kind": options["model"], "params": request["params"], "job": job_id,
        "trained_at": now(), "sklearn_version": sklearn.__version__,
    }
    model_path = os.path.abspath(os.path.join(models_dir, job_id, "model.joblib"))
    save_atomically(lambda stream: joblib.dump(bundle, stream), model_path)
    digest = file_sha256(model_path)

    result = {
        "status": "succeeded", "task": task, "model": options["model"],
        "metrics": {"challenger": challenger, "champion": champion_metrics},
        "model_uri": "file://" + urllib.parse.quote(model_path), "holdout_rows": int(len(holdout)), "error": None,
        "model_sha256": digest,
    }
    LOG.info("job %s: %s %s on %d training / %d holdout rows: challenger %s, champion %s", job_id, task,
             options["model"], len(training), len(holdout), challenger, champion_metrics)
    return result, pipeline, X_train.head(5)


MLFLOW_LOCK = threading.Lock()


def mlflow_model_arguments(mlflow, pipeline) -> dict:
    """`log_model` arguments for the installed MLflow: 3.x names the artifact `name` (2.x `artifact_path`), and
    recent 3.x serializes with skops, which loads only the types it is told to trust: those of this pipeline,
    which the trainer built itself."""
    accepted = inspect.signature(mlflow.sklearn.log_model).parameters
    arguments = {"name": "model"} if "name" in accepted else {"artifact_path": "model"}
    if "skops_trusted_types" in accepted:
        try:
            import skops.io
            arguments["skops_trusted_types"] = skops.io.get_untrusted_types(data=skops.io.dumps(pipeline))
        except Exception:  # noqa: BLE001 - no skops: MLflow's pickle-based format
            arguments["serialization_format"] = "cloudpickle"
    return arguments


def log_to_mlflow(job_id: str, request: dict, result: dict, pipeline, example, record_warning) -> str | None:
    tracking_uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not tracking_uri:
        return None
    try:
        import mlflow
        import mlflow.sklearn
    except Exception as error:  # noqa: BLE001
        record_warning(f"MLFLOW_TRACKING_URI is set but mlflow cannot be imported ({error}); nothing was logged")
        return None
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
    run_id = None
    with MLFLOW_LOCK:
        try:
            mlflow.set_tracking_uri(tracking_uri)
            mlflow.set_experiment(request["pipeline"])
            with mlflow.start_run(run_name=f"{request['model_name']}-{request['cycle_id']}"[:250]) as run:
                run_id = run.info.run_id
                tags = {"driftloop.job": job_id, "driftloop.cycle_id": request["cycle_id"],
                        "driftloop.model_name": request["model_name"], "driftloop.task": result["task"]}
                tags.update({f"driftloop.{name}": request[name][:5000] for name in ("reason", "cycle_url") if request.get(name)})
                mlflow.set_tags(tags)
                params = {**{k: str(v)[:500] for k, v in request["params"].items()},
                          "model": result["model"], "task": result["task"], "target": request["target"],
                          "holdout_rows": str(result["holdout_rows"])}
                mlflow.log_params(params)
                metrics = dict(result["metrics"]["challenger"])
                metrics.update({f"champion_{k}": v for k, v in (result["metrics"]["champion"] or {}).items()})
                mlflow.log_metrics(metrics)
                mlflow.sklearn.log_model(pipeline, input_example=example, **mlflow_model_arguments(mlflow, pipeline))
        except Exception as error:  # noqa: BLE001 - logging must never fail the job
            LOG.warning("job %s: MLflow logging failed: %s", job_id, error)
            record_warning(f"MLflow logging failed: {type(error).__name__}: {str(error)[:300]}")
    return run_id


# ---------------------------------------------------------------------------------------------------------------
# Jobs


class JobStore:
    """Every job, keyed by id, persisted whole to `<models-dir>/jobs.json` after each change."""

    def __init__(self, models_dir: str, trust_dirs: list[str] | None = None):
        self.models_dir = models_dir
        self.trust_dirs = [os.path.realpath(d) for d in [models_dir] + list(trust_dirs or [])]
        self.path = os.path.join(models_dir, "jobs.json")
        self.lock = threading.Lock()
        self.jobs: dict[str, dict] = {}
        self.by_key: dict[str, str] = {}
        if os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as stream:
                document = json.load(stream)
            restarted = 0
            for job in document.get("jobs", []):
                if job["status"] in ("queued", "running"):
                    job.update(status="failed", error="trainer restarted", finished_at=now())
                    restarted += 1
                self.jobs[job["job"]] = job
                self.by_key[job["idempotency_key"]] = job["job"]
            if restarted:
                LOG.warning("%d job(s) were unfinished when the trainer stopped; marked failed", restarted)
                self._persist()

    def _persist(self) -> None:
        payload = json.dumps({"version": 1, "jobs": list(self.jobs.values())}, indent=1, sort_keys=True,
                             allow_nan=False).encode()
        save_atomically(lambda stream: stream.write(payload), self.path)

    def submit(self, key: str, request: dict, digest: str) -> tuple[str, bool]:
        with self.lock:
            existing = self.by_key.get(key)
            if existing is not None:
                if self.jobs[existing].get("request_digest") != digest:
                    raise KeyConflict(existing)
                return existing, False
            job_id = "job-" + uuid.uuid4().hex[:12]
            self.jobs[job_id] = {
                "job": job_id, "idempotency_key": key, "request": request, "request_digest": digest, "status": "queued", "metrics": None,
                "model_uri": None, "holdout_rows": None, "error": None, "warnings": [], "mlflow_run_id": None,
                "task": None, "model": None, "model_sha256": None, "created_at": now(), "started_at": None,
                "finished_at": None,
            }
            self.by_key[key] = job_id
            try:
                self._persist()
            except Exception:
                del self.jobs[job_id], self.by_key[key]
                raise
            return job_id, True

    def update(self, job_id: str, **fields) -> None:
        with self.lock:
            self.jobs[job_id].update(fields)
            self._persist()

    def add_warning(self, job_id: str, message: str) -> None:
        with self.lock:
            self.jobs[job_id]["warnings"].append(message)

    def request(self, job_id: str) -> dict:
        with self.lock:
            return self.jobs[job_id]["request"]

    def public(self, job_id: str) -> dict | None:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            return {k: job[k] for k in ("job", "status", "metrics", "model_uri", "holdout_rows", "error",
                                        "warnings", "mlflow_run_id", "task", "model")} | {
                "warnings": list(job["warnings"]), "request_digest": job.get("request_digest")}

    def trusts(self, path: str) -> bool:
        """Whether a joblib file may be unpickled: it lies under a trusted directory, or it has the bytes of a
        model this trainer saved."""
        real = os.path.realpath(path)
        if any(os.path.commonpath([real, root]) == root for root in self.trust_dirs):
            return True
        with self.lock:
            known = {job.get("model_sha256") for job in self.jobs.values()} - {None}
        return bool(known) and file_sha256(path) in known

    def count(self) -> int:
        with self.lock:
            return len(self.jobs)


class Worker(threading.Thread):
    def __init__(self, store: JobStore):
        super().__init__(name="trainer-worker", daemon=True)
        self.store = store
        self.queue: queue.Queue[str] = queue.Queue()

    def run(self) -> None:
        while True:
            job_id = self.queue.get()
            self.run_job(job_id)

    def run_job(self, job_id: str) -> None:
        store = self.store
        store.update(job_id, status="running", started_at=now())
        request = store.request(job_id)
        LOG.info("job %s: running (pipeline %s, cycle %s)", job_id, request["pipeline"], request["cycle_id"])

        def warn(message: str) -> None:
            store.add_warning(job_id, message)

        try:
            result, pipeline, example = train(job_id, request, store.models_dir, warn, store.trusts)
        except TrainingError as error:
            LOG.warning("job %s: failed: %s", job_id, error)
            store.update(job_id, status="failed", error=str(error), finished_at=now())
            return
        except BadRequest as error:  # parameters were validated at submission; kept for safety
            store.update(job_id, status="failed", error=f"{error.payload}", finished_at=now())
            return
        except Exception as error:  # noqa: BLE001 - any failure fails the job, with its text
            LOG.error("job %s: failed:\n%s", job_id, traceback.format_exc())
            store.update(job_id, status="failed", error=f"{type(error).__name__}: {error}", finished_at=now())
            return
        run_id = log_to_mlflow(job_id, request, result, pipeline, example, warn)
        store.update(job_id, **result, mlflow_run_id=run_id, finished_at=now())


# ---------------------------------------------------------------------------------------------------------------
# Requests


def request_digest(body: dict) -> str:
    """driftloop's TrainingRequestDigest: SHA-256 of the canonical JSON of the fields that decide what is trained and
    scored. A repeated idempotency key is answered with its job only when the request is the same, so nobody can plant
    a job under a cycle's key for the controller to adopt (see the README's trainer protocol)."""
    champion = body.get("champion")
    data = body.get("data") or {}
    canonical = {
        "cycle_id": body.get("cycle_id"), "pipeline": body.get("pipeline"), "model_name": body.get("model_name"),
        "data": {"reference": data.get("reference"), "current": data.get("current")}, "target": body.get("target"),
        "features": body.get("features"),
        "champion": None if champion is None else {"version": champion.get("version"), "model_uri": champion.get("model_uri")},
        "params": body.get("params") or {},
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class KeyConflict(Exception):
    """The idempotency key names a job made from a different request."""

    def __init__(self, job_id: str):
        super().__init__(job_id)
        self.job_id = job_id


def validate(body: object) -> dict:
    """The request as the worker uses it; BadRequest names the first field that is wrong."""
    if not isinstance(body, dict):
        raise BadRequest("invalid field", "body", "must be a JSON object")

    def text(container: dict, name: str, path: str) -> str:
        if name not in container or container[name] is None:
            raise BadRequest("missing field", path)
        value = container[name]
        if not isinstance(value, str) or not value:
            raise BadRequest("invalid field", path, "must be a non-empty string")
        return value

    request = {name: text(body, name, name) for name in ("cycle_id", "pipeline", "model_name")}
    data = body.get("data")
    if data is None:
        raise BadRequest("missing field", "data")
    if not isinstance(data, dict):
        raise BadRequest("invalid field", "data", "must be an object with `reference` and `current`")
    request["data"] = {}
    for side in ("reference", "current"):
        location = text(data, side, f"data.{side}")
        if local_path(location) is None and not location.startswith(("http://", "https://")):
            raise BadRequest("invalid field", f"data.{side}", "must be an absolute path, a file:// URI or an http(s) URL")
        request["data"][side] = location
    request["target"] = text(body, "target", "target")

    features = body.get("features")
    if features is not None:
        if not isinstance(features, list) or not features or not all(isinstance(f, str) and f for f in features):
            raise BadRequest("invalid field", "features", "must be null or a non-empty list of column names")
        if request["target"] in features:
            raise BadRequest("invalid field", "features", "must not contain the target")
        features = list(dict.fromkeys(features))
    request["features"] = features

    champion = body.get("champion")
    if champion is not None:
        if not isinstance(champion, dict):
            raise BadRequest("invalid field", "champion", "must be null or an object with `version` and `model_uri`")
        version = champion.get("version")
        if version is None:
            raise BadRequest("missing field", "champion.version")
        if not isinstance(version, (str, int)) or isinstance(version, bool):
            raise BadRequest("invalid field", "champion.version", "must be a string")
        champion = {"version": str(version), "model_uri": text(champion, "model_uri", "champion.model_uri")}
    request["champion"] = champion

    params = body.get("params")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise BadRequest("invalid field", "params", "must be an object of strings")
    normalized = {}
    for name, value in params.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            raise BadRequest("invalid field", f"params.{name}", "must be a string")
        normalized[str(name)] = value
    request["params"] = normalized
    training_options(normalized)
    for name in ("reason", "cycle_url"):  # informational; tagged on the MLflow run
        if isinstance(body.get(name), str):
            request[name] = body[name]
    return request


class Handler(BaseHTTPRequestHandler):
    server_version = "driftloop-sklearn-trainer/1"
    store: JobStore
    worker: Worker
    token: str | None = None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        LOG.debug("%s %s", self.address_string(), format % args)

    def reply(self, status: int, payload: dict) -> None:
        body = json.dumps(payload, allow_nan=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def path_only(self) -> str:
        path = urllib.parse.urlsplit(self.path).path
        return path.rstrip("/") or "/"

    def authorized(self) -> bool:
        if not self.token:
            return True
        if self.headers.get("Authorization", "") == f"Bearer {self.token}":
            return True
        self.reply(401, {"error": "unauthorized"})
        return False

    def do_GET(self) -> None:  # noqa: N802
        path = self.path_only()
        if path == "/health":
            self.reply(200, {"status": "ok", "jobs": self.store.count()})
            return
        if not self.authorized():
            return
        if path.startswith("/jobs/") and path.count("/") == 2:
            job_id = urllib.parse.unquote(path[len("/jobs/"):])
            job = self.store.public(job_id)
            if job is None:
                self.reply(404, {"error": "unknown job", "job": job_id})
            else:
                self.reply(200, job)
            return
        self.reply(404, {"error": "not found", "path": path})

    def do_POST(self) -> None:  # noqa: N802
        path = self.path_only()
        if path != "/train":
            self.reply(404, {"error": "not found", "path": path})
            return
        if not self.authorized():
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.reply(411, {"error": "Content-Length required", "field": "body"})
            return
        if length > MAX_BODY:
            self.reply(413, {"error": "body too large", "field": "body", "detail": f"at most {MAX_BODY} bytes"})
            return
        raw = self.rfile.read(length)
        try:
            try:
                body = json.loads(raw)
            except ValueError as error:
                raise BadRequest("invalid JSON", "body", str(error)) from None
            request = validate(body)
        except BadRequest as error:
            self.reply(400, error.payload)
            return
        key = self.headers.get("Idempotency-Key", "").strip() or request["cycle_id"]
        digest = request_digest(body)
        try:
            job_id, created = self.store.submit(key, request, digest)
        except KeyConflict as conflict:
            self.reply(409, {"error": "idempotency conflict", "field": "Idempotency-Key",
                             "detail": f"job {conflict.job_id} was made under this key from a different request"})
            return
        except Exception as error:  # noqa: BLE001 - cannot persist: a transient 503
            LOG.error("cannot record job: %s", error)
            self.reply(503, {"error": f"cannot record the job: {error}"})
            return
        if created:
            LOG.info("job %s: queued for pipeline %s, cycle %s (key %s)", job_id, request["pipeline"], request["cycle_id"], key)
            self.worker.queue.put(job_id)
        self.reply(202 if created else 200, {"job": job_id, "request_digest": digest})

    def not_allowed(self) -> None:
        self.reply(405, {"error": "method not allowed"})

    do_PUT = do_DELETE = do_PATCH = not_allowed  # noqa: N815


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="driftloop HTTP trainer backed by scikit-learn")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    parser.add_argument("--models-dir", required=True, help="where models and jobs.json are kept")
    parser.add_argument("--port-file", help="also write the bound port to this file")
    parser.add_argument("--token", default=os.environ.get("SKLEARN_TRAINER_TOKEN"),
                        help="require `Authorization: Bearer TOKEN` (default: $SKLEARN_TRAINER_TOKEN; none)")
    parser.add_argument("--trust-dir", action="append", default=[], metavar="DIR",
                        help="also unpickle champion joblib files under DIR (repeatable); files this trainer saved "
                             "are recognised by their SHA-256 wherever they were copied")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    models_dir = os.path.abspath(args.models_dir)
    os.makedirs(models_dir, exist_ok=True)
    try:
        store = JobStore(models_dir, [os.path.abspath(d) for d in args.trust_dir])
    except (OSError, ValueError, KeyError) as error:
        LOG.error("cannot read %s: %s", os.path.join(models_dir, "jobs.json"), error)
        return 2
    worker = Worker(store)
    worker.start()
    handler = type("BoundHandler", (Handler,), {"store": store, "worker": worker, "token": args.token})
    server = ThreadingHTTPServer((args.host, args.port), handler)
    server.daemon_threads = True
    port = server.server_address[1]

    def stop(signum, _frame):
        LOG.info("signal %d: stopping", signum)
        threading.Thread(target=server.shutdown, daemon=True).start()

    # A parent may start us with signals blocked (threads of Swift's Dispatch block them, and a child keeps its
    # parent's mask); unblock the ones we stop on, or SIGTERM would stay pending forever.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.port_file:
        save_atomically(lambda stream: stream.write(f"{port}\n".encode()), os.path.abspath(args.port_file))
    LOG.info("serving on %s:%d, models in %s (%d jobs known)", args.host, port, models_dir, store.count())
    print(f"LISTENING {port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
