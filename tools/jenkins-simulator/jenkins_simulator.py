#!/usr/bin/env python3
"""A faithful, stdlib-only simulator of Jenkins' remote-access API, for driftloop's tests.

No real Jenkins can be installed here (PROTOCOLS.md §2), so this server reproduces what the Jenkins
source (jenkinsci/jenkins at 2.578) does on the endpoints driftloop uses: authentication and CSRF
crumbs, triggering builds, the queue item lifecycle and its 5-minute expiry, build JSON, abort,
console logs and artifacts. Section references (§2.x) point into
shared/reference/protocols/PROTOCOLS.md; payload shapes follow protocols/jenkins/examples.json.

Usage
-----
    python3 tools/jenkins-simulator/jenkins_simulator.py --port 0 --config sim.json [--port-file PATH] [--verbose]

It binds 127.0.0.1 (``--host`` to change), prints exactly one line ``LISTENING <port>`` to stdout
once it accepts connections, optionally writes the port to ``--port-file`` atomically, and runs
until SIGTERM or SIGINT (exit status 0).

Config (JSON file, or POST /__sim/config at run time; every key is optional)
----------------------------------------------------------------------------
    {
      "users": {"alice": {"password": "pw", "api_token": "tok",
                          "full_name": "Alice",                        # default: the user id
                          "permissions": ["read", "build", "cancel"]}}, # default: all three
      "anonymous": [],            # permissions of anonymous: any of "read", "build", "cancel"
      "token_needs_read": false,  # false: a request carrying ?token= on build/buildWithParameters
                                  # skips the Overall/Read gate (as with the Build Token Root
                                  # plugin); true: real core behaviour, anonymous needs "read" (§2.2)
      "csrf": true,               # CSRF protection (crumbs) on
      "time_scale": 1.0,          # multiplies every simulated duration: quiet periods, delay=,
                                  # build_duration_s, buildable_s and the 5-minute left-item expiry.
                                  # Fault "delay" seconds are real seconds (they test client timeouts).
      "quiet_period_s": 5,        # global default quiet period (Jenkins default 5 s)
      "root_url": null,           # Jenkins root URL used in JSON "url" fields; default
                                  # http://<Host header>/ like an unconfigured Jenkins
      "jenkins_version": "2.578", # X-Jenkins header
      "session_cookie_name": null,# default "JSESSIONID.<8 hex>", like the Jenkins war (JENKINS-25046)
      "queue_id_start": 1,        # first queue item id (make it differ from build numbers)
      "jobs": {
        "ml/retrain": {           # full name; "/" separates folders: /job/ml/job/retrain/
          "type": "freestyle",    # or "pipeline" (changes _class values, §2.4)
          "description": null,
          "parameters": [{"name": "MODEL", "default": "churn"},
                         {"name": "DRY", "type": "boolean", "default": false},
                         {"name": "ENV", "type": "choice", "choices": ["dev", "prod"]},
                         {"name": "NOTES", "type": "text"}],  # type default "string"
          "disabled": false,
          "remote_token": null,   # "Trigger builds remotely" token
          "quiet_period_s": null, # null: the global quiet_period_s
          "concurrent": false,    # false: one build at a time (later items are Blocked)
          "buildable_s": 0,       # how long an item stays Buildable before an executor takes it
          "build_duration_s": 10, # null: runs until POST .../stop or /__sim/finish
          "result": "SUCCESS",    # SUCCESS | UNSTABLE | FAILURE | NOT_BUILT | ABORTED
          "artifacts": {"out/metrics.json": {"accuracy": 0.94, "model": "${MODEL}"},
                        "run.txt": "build ${BUILD_NUMBER} of ${JOB_NAME}"},
          "console": ["Training ${MODEL}", "done"],
          "next_build_number": 1
        }
      }
    }
Placeholders ``${NAME}`` in artifacts (strings, or string values inside JSON artifacts) and
console lines are replaced by the build's parameters and by BUILD_NUMBER, BUILD_ID, JOB_NAME,
JOB_BASE_NAME, BUILD_URL and JENKINS_URL; unknown placeholders stay as written. Job settings are
read when an item is queued / a build starts, so changing them affects later builds only.

Control API (no authentication, never subject to faults, not in the request log)
-------------------------------------------------------------------------------
    GET  /__sim/state      -> 200 {"now_ms", "restarts", "jenkins_session", "jobs": {name:
                              {"next_build_number", "stop_calls", "builds": [build]}},
                              "builds": [build, ...in start order],
                              "queue": [{"id", "job", "state": waiting|blocked|buildable|left,
                                         "cancelled", "build_number", "parameters", "causes",
                                         "in_queue_since", "left_at", "expired", "forgotten"}],
                              "trigger_calls": [{"job", "endpoint", "status", "queue_id",
                                                 "created"}],
                              "stop_calls": N, "stops": [{"job", "number", "user",
                                                          "was_building"}],
                              "cancel_calls": [{"id", "status"}],
                              "requests": [{"method", "path", "status", "fault", "user"}],
                              "faults": [pending faults]}
                           build = {"job", "number", "queue_id", "parameters": {name: value},
                                    "causes": [text], "building", "result", "timestamp",
                                    "duration", "aborted_by", "stop_calls", "url"}
    GET  /__sim/config     -> 200 the effective config
    POST /__sim/config     body: config JSON, merged: top-level keys replace, except "users" and
                           "jobs" which merge per name (a job's keys merge into its current
                           definition; a null value deletes the job or user)
                           -> 200 {"ok": true, "config": {...}} | 400 {"error": "..."}
    POST /__sim/faults     body: a fault, a list of faults or {"faults": [...]}; appended
                           (?replace=1 replaces the pending list) -> 200 {"ok": true, "faults": [...]}
                           fault = {"match": "<regex searched in 'METHOD /path?query'>",
                                    "times": 1,            # -1 = unlimited
                                    "kind": "status" | "drop" | "delay" | "hang" | "restart",
                                    "status": 503,         # kind status (default 503)
                                    "body": "...", "headers": {...},  # kind status, optional
                                    "seconds": 2.0,        # kind delay (real seconds)
                                    "when": "before"}      # "after": the request is processed
                                                           # first (state changes), then the
                                                           # fault replaces/defers its response
                           status: answer with that status (proxy-style HTML page, no X-Jenkins);
                           drop: close the connection without a response; delay: sleep, then
                           answer normally; hang: never answer until reset/restart/shutdown;
                           restart: do a restart (below), then answer normally.
    POST /__sim/reset      forget all state (builds, queue, sessions, faults, logs) and go back
                           to the startup config (?keep_config=1 keeps the current config)
                           -> 200 {"ok": true}
    POST /__sim/restart    like a Jenkins restart: left queue items are lost (their
                           /queue/item/N/api/json answers 404), web sessions (and so crumbs) are
                           invalidated, X-Jenkins-Session changes, hung connections are closed.
                           Waiting/blocked/buildable items survive (Jenkins persists queue.xml);
                           running builds keep running (like a resumed Pipeline).
                           -> 200 {"ok": true, "restarts": N, "jenkins_session": "..."}
    POST /__sim/finish?job=ml/retrain&number=3&result=FAILURE
                           force-finish a running build now (result default: the job's
                           configured result; artifacts are archived)
                           -> 200 build | 404 {"error"} | 409 {"error": "... is not building"}

Simplifications (deliberate, documented)
-----------------------------------------
* Permissions are global per principal ("read" = Overall/Read + Item/Read/Discover, "build",
  "cancel"), not per job.
* ``tree=`` is implemented (fields, nested [..] and {M,N} ranges; ``_class`` always kept);
  ``depth=`` is ignored: without ``tree`` the shapes are those of depth=0 (for example a job's
  ``builds`` entries are only {_class, number, url}; ask
  ``?tree=builds[number,queueId,result,building,url]`` for more, as with a real Jenkins).
* Displayed times are real (scaled) times: with time_scale 0.01 a new item's ``why`` reads
  "In the quiet period. Expires in 49 ms" and ``timestamp - inQueueSince`` is 50.
* Multipart bodies (file parameters) are not parsed; api/xml exists only for the crumb issuer.
* Time advances lazily: every request first replays, in order, the transitions (quiet period
  ends, executor picks up, build ends) that became due since the previous request.
"""

import argparse
import base64
import copy
import hashlib
import hmac
import html
import io
import json
import math
import mimetypes
import os
import re
import secrets
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.parse
import zipfile
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# ----------------------------------------------------------------------------------------------
# Constants
# ----------------------------------------------------------------------------------------------

PERMISSIONS = ("read", "build", "cancel")
# Permission ids and display names as Jenkins prints them in 403s (§2.1, AccessDeniedException3).
PERMISSION_IDS = {
    "read": ("hudson.model.Hudson.Read", "Overall/Read"),
    "build": ("hudson.model.Item.Build", "Job/Build"),
    "cancel": ("hudson.model.Item.Cancel", "Job/Cancel"),
}
RESULTS = ("SUCCESS", "UNSTABLE", "FAILURE", "NOT_BUILT", "ABORTED")  # best to worst (Result ordinal)
RESULT_COLOR = {"SUCCESS": "blue", "UNSTABLE": "yellow", "FAILURE": "red",
                "NOT_BUILT": "notbuilt", "ABORTED": "aborted"}
LEFT_ITEM_TTL_S = 5 * 60  # Queue.leftItems: expireAfterWrite(5 * 60, SECONDS) (§2.3)

CLASSES = {
    "freestyle": {"job": "hudson.model.FreeStyleProject", "run": "hudson.model.FreeStyleBuild",
                  "executor": "hudson.model.Executor"},
    "pipeline": {"job": "org.jenkinsci.plugins.workflow.job.WorkflowJob",
                 "run": "org.jenkinsci.plugins.workflow.job.WorkflowRun",
                 "executor": "hudson.model.OneOffExecutor"},
}
FOLDER_CLASS = "com.cloudbees.hudson.plugins.folder.Folder"
PARAM_TYPES = {  # type -> (definition _class, value _class)
    "string": ("hudson.model.StringParameterDefinition", "hudson.model.StringParameterValue"),
    "text": ("hudson.model.TextParameterDefinition", "hudson.model.TextParameterValue"),
    "boolean": ("hudson.model.BooleanParameterDefinition", "hudson.model.BooleanParameterValue"),
    "choice": ("hudson.model.ChoiceParameterDefinition", "hudson.model.StringParameterValue"),
}
PERMALINKS = ("lastBuild", "lastCompletedBuild", "lastSuccessfulBuild", "lastStableBuild",
              "lastUnstableBuild", "lastFailedBuild", "lastUnsuccessfulBuild", "firstBuild")

DEFAULT_CONFIG = {
    "users": {},
    "anonymous": [],
    "token_needs_read": False,
    "csrf": True,
    "time_scale": 1.0,
    "quiet_period_s": 5,
    "root_url": None,
    "jenkins_version": "2.578",
    "session_cookie_name": None,
    "queue_id_start": 1,
    "jobs": {},
}
JOB_DEFAULTS = {
    "type": "freestyle",
    "description": None,
    "parameters": [],
    "disabled": False,
    "remote_token": None,
    "quiet_period_s": None,
    "concurrent": False,
    "buildable_s": 0,
    "build_duration_s": 10,
    "result": "SUCCESS",
    "artifacts": {},
    "console": [],
    "next_build_number": 1,
}
FAULT_KINDS = ("status", "drop", "delay", "hang", "restart")


# ----------------------------------------------------------------------------------------------
# Small helpers reproducing Jenkins utilities
# ----------------------------------------------------------------------------------------------

def _java_number(value):
    """Format a number the way java.text.MessageFormat does in Jenkins messages (max 3 decimals)."""
    if isinstance(value, float):
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def time_span_string(duration_ms):
    """hudson.Util.getTimeSpanString: "4.9 sec", "3 min 10 sec", "49 ms" (§2.3 why texts)."""
    duration = int(duration_ms)
    day, hour, minute, second = 86400000, 3600000, 60000, 1000
    units = [("yr", 365 * day), ("mo", 30 * day), ("day", day), ("hr", hour), ("min", minute)]
    values = []
    for _, size in units:
        values.append(duration // size)
        duration %= size
    seconds, millis = duration // second, duration % second

    def label(unit, n):
        if unit == "day":
            return f"{n} {'day' if n == 1 else 'days'}"
        return f"{_java_number(n)} {unit}"

    small_values = values[1:] + [seconds]
    small_units = [u for u, _ in units[1:]] + ["sec"]
    for (unit, _), big, small, small_unit in zip(units, values, small_values, small_units):
        if big > 0:
            text = label(unit, big)
            if big < 10:  # makeTimeSpanString adds the smaller unit below 10
                text += " " + label(small_unit, small)
            return text
    if seconds >= 10:
        return f"{seconds} sec"
    if seconds >= 1:
        return f"{_java_number(seconds + (millis // 100) / 10)} sec"  # "1.2 sec"
    if millis >= 100:
        return f"{_java_number((millis // 10) / 100)} sec"  # "0.12 sec"
    return f"{millis} ms"


def parse_time_duration(text):
    """jenkins.util.TimeDuration.fromString: "10sec"/"10secs" are seconds, a bare number is MILLISECONDS
    (§2.2). Returns milliseconds; raises ValueError like the IllegalArgumentException in Jenkins."""
    delay = text.strip()
    multiplier = 1
    if delay.endswith("sec") or delay.endswith("secs"):
        delay = delay[:delay.rindex("sec")].strip()
        multiplier = 1000
    if not re.fullmatch(r"[+-]?\d+", delay.strip()):
        raise ValueError(f"Invalid time duration value: {delay}")
    return int(delay.strip()) * multiplier


def java_round(value):
    """Math.round: half up (Python's round() is half-even)."""
    return int(math.floor(value + 0.5))


def raw_encode(segment):
    """hudson.Util.rawEncode for one URL path segment."""
    return urllib.parse.quote(segment, safe="-_.!~*'()")


def parse_tree(spec):
    """Parse a Stapler ``tree=`` expression into {name: (subtree | None, (lo, hi) | None)}."""
    pos = 0

    def parse_list():
        nonlocal pos
        fields = {}
        while True:
            match = re.compile(r"[^,\[\]{}]*").match(spec, pos)
            name = match.group(0).strip()
            pos = match.end()
            sub, rng = None, None
            if pos < len(spec) and spec[pos] == "[":
                pos += 1
                sub = parse_list()
                if pos >= len(spec) or spec[pos] != "]":
                    raise ValueError("unbalanced [ in tree")
                pos += 1
            if pos < len(spec) and spec[pos] == "{":
                end = spec.find("}", pos)
                if end < 0:
                    raise ValueError("unbalanced { in tree")
                rng = _parse_range(spec[pos + 1:end])
                pos = end + 1
            if name:
                fields[name] = (sub, rng)
            if pos < len(spec) and spec[pos] == ",":
                pos += 1
                continue
            return fields

    tree = parse_list()
    if pos != len(spec):
        raise ValueError(f"Malformed tree expression at {pos}")
    return tree


def _parse_range(text):
    text = text.strip()
    if "," not in text:
        n = int(text)
        return (n, n + 1)
    lo, hi = text.split(",", 1)
    return (int(lo) if lo.strip() else 0, int(hi) if hi.strip() else None)


def apply_tree(obj, tree):
    """Keep only the fields named in ``tree``; nested objects without a sub-tree keep only _class."""
    if not isinstance(obj, dict):
        return obj
    out = {"_class": obj["_class"]} if "_class" in obj else {}
    for name, (sub, rng) in tree.items():
        if name not in obj:
            continue
        value = obj[name]
        if isinstance(value, list):
            if rng is not None:
                value = value[rng[0]:rng[1]]
            out[name] = [apply_tree(v, sub or {}) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            out[name] = apply_tree(value, sub or {})
        else:
            out[name] = value
    return out


def is_safe_to_redirect_to(url):
    """hudson.Util.isSafeToRedirectTo: not an absolute URI and not protocol-relative."""
    return not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) and not url.startswith("//")


def substitute(text, variables):
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}",
                  lambda m: variables.get(m.group(1), m.group(0)), text)


def substitute_json(value, variables):
    if isinstance(value, str):
        return substitute(value, variables)
    if isinstance(value, list):
        return [substitute_json(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: substitute_json(v, variables) for k, v in value.items()}
    return value


def jetty_error_page(status, message, uri):
    """The HTML body Jetty writes for HttpServletResponse.sendError (Jenkins error responses)."""
    msg = html.escape(message)
    return (f"<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>\n"
            f"<title>Error {status} {msg}</title>\n</head>\n<body>\n<h2>HTTP ERROR {status} {msg}</h2>\n"
            f"<table>\n<tr><th>URI:</th><td>{html.escape(uri)}</td></tr>\n"
            f"<tr><th>STATUS:</th><td>{status}</td></tr>\n<tr><th>MESSAGE:</th><td>{msg}</td></tr>\n"
            f"<tr><th>SERVLET:</th><td>Stapler</td></tr>\n</table>\n\n</body>\n</html>\n")


def json_bytes(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ----------------------------------------------------------------------------------------------
# Requests, responses, errors
# ----------------------------------------------------------------------------------------------

class Response:
    def __init__(self, status, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.headers = list(headers or [])
        if content_type:
            self.headers.append(("Content-Type", content_type))


class HttpError(Exception):
    """An error answered with Jetty's HTML error page (HttpResponses.error / sendError)."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers or [])

    def to_response(self, uri):
        return Response(self.status, jetty_error_page(self.status, self.message, uri),
                        "text/html;charset=utf-8", self.headers)


class Request:
    def __init__(self, method, target, headers, body, client_addr):
        self.method = method
        self.target = target
        split = urllib.parse.urlsplit(target)
        self.path = split.path
        self.query = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
        self.headers = headers
        self.client_addr = client_addr
        self.form = []
        content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body and content_type == "application/x-www-form-urlencoded":
            self.form = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        self.cookies = {}
        for header in headers.get_all("Cookie") or []:
            for part in header.split(";"):
                if "=" in part:
                    name, value = part.split("=", 1)
                    self.cookies[name.strip()] = value.strip()

    def params(self, name):
        """ServletRequest.getParameterValues: query-string values first, then form-body values."""
        return [v for k, v in self.query + self.form if k == name]

    def param(self, name):
        values = self.params(name)
        return values[0] if values else None

    def has_any_param(self):
        return bool(self.query or self.form)

    def host_root(self, fallback_host):
        """Scheme+host of the request, as Stapler uses to make redirects absolute (§2.2)."""
        return f"http://{self.headers.get('Host') or fallback_host}"


class Principal:
    def __init__(self, name, permissions, api_token_auth, full_name=None):
        self.name = name
        self.permissions = set(permissions)
        self.api_token_auth = api_token_auth
        self.full_name = full_name or name

    @property
    def anonymous(self):
        return self.name == "anonymous"


# ----------------------------------------------------------------------------------------------
# Simulation state
# ----------------------------------------------------------------------------------------------

class QueueItem:
    def __init__(self, item_id, job, params, causes, now, due):
        self.id = item_id
        self.job = job
        self.params = params      # list of {"_class","name","value"}, or None (no ParametersAction)
        self.causes = causes      # list of cause dicts (CauseAction)
        self.state = "waiting"    # waiting | blocked | buildable | left
        self.in_queue_since = now
        self.due = due            # WaitingItem.timestamp
        self.buildable_start = None
        self.pickup_at = None     # when an executor takes a Buildable item
        self.left_at = None
        self.cancelled = False
        self.build = None
        self.forgotten = False    # lost by a restart


class Build:
    def __init__(self, job, number, item, cfg, start, estimated):
        self.job = job
        self.number = number
        self.queue_id = item.id
        self.params = item.params
        self.causes = item.causes
        self.type = cfg["type"]
        self.start = start
        self.planned_end = None   # None: runs until stopped or force-finished
        self.planned_result = cfg["result"]
        self.estimated_at_start = estimated  # Executor.executableEstimatedDuration
        self.console_template = list(cfg["console"])
        self.artifact_template = copy.deepcopy(cfg["artifacts"])
        self.building = True
        self.result = None
        self.end = None
        self.archived = None      # {relativePath: bytes} once archived
        self.aborted_by = None
        self.stop_calls = 0


class JobState:
    def __init__(self, next_number):
        self.builds = []          # oldest first
        self.next_number = next_number
        self.stop_calls = 0


class ConfigError(ValueError):
    pass


def validate_config(cfg):
    """Raise ConfigError for a config this simulator cannot run."""
    if not isinstance(cfg.get("users"), dict) or not isinstance(cfg.get("jobs"), dict):
        raise ConfigError("users and jobs must be objects")
    if not (isinstance(cfg["time_scale"], (int, float)) and cfg["time_scale"] > 0):
        raise ConfigError("time_scale must be a positive number")
    for perm in cfg["anonymous"]:
        if perm not in PERMISSIONS:
            raise ConfigError(f"unknown permission {perm!r}")
    for name, user in cfg["users"].items():
        if not isinstance(user, dict):
            raise ConfigError(f"user {name!r} must be an object")
        for perm in user.get("permissions", PERMISSIONS):
            if perm not in PERMISSIONS:
                raise ConfigError(f"unknown permission {perm!r} for user {name!r}")
    names = set(cfg["jobs"])
    for name, job in cfg["jobs"].items():
        if not name or any(not seg for seg in name.split("/")):
            raise ConfigError(f"bad job name {name!r}")
        if not isinstance(job, dict):
            raise ConfigError(f"job {name!r} must be an object")
        parts = name.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in names:
                raise ConfigError(f"{'/'.join(parts[:i])!r} is both a job and a folder")
        full = {**JOB_DEFAULTS, **job}
        if full["type"] not in CLASSES:
            raise ConfigError(f"job {name!r}: type must be freestyle or pipeline")
        if full["result"] not in RESULTS:
            raise ConfigError(f"job {name!r}: result must be one of {', '.join(RESULTS)}")
        for p in normalize_parameters(full["parameters"]):
            if p["type"] not in PARAM_TYPES:
                raise ConfigError(f"job {name!r}: parameter type {p['type']!r}")
            if p["type"] == "choice" and not p["choices"]:
                raise ConfigError(f"job {name!r}: choice parameter {p['name']!r} needs choices")
        if not isinstance(full["artifacts"], dict) or not isinstance(full["console"], list):
            raise ConfigError(f"job {name!r}: artifacts must be an object and console a list")


def normalize_parameters(params):
    out = []
    for p in params or []:
        if isinstance(p, str):
            p = {"name": p}
        ptype = p.get("type", "string")
        choices = list(p.get("choices") or [])
        default = p.get("default")
        if default is None:  # getDefaultParameterValue of each definition type
            default = {"boolean": False, "choice": choices[0] if choices else ""}.get(ptype, "")
        out.append({"name": p["name"], "type": ptype, "default": default, "choices": choices,
                    "description": p.get("description", ""), "trim": bool(p.get("trim", False))})
    return out


def merge_config(base, patch):
    """Merge ``patch`` into a copy of ``base`` (see the module docstring)."""
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if key in ("users", "jobs"):
            if not isinstance(value, dict):
                raise ConfigError(f"{key} must be an object")
            for name, entry in value.items():
                if entry is None:
                    merged[key].pop(name, None)
                elif isinstance(entry, dict):
                    merged[key][name] = {**merged[key].get(name, {}), **copy.deepcopy(entry)}
                else:
                    raise ConfigError(f"{key}.{name} must be an object or null")
        elif key in DEFAULT_CONFIG:
            merged[key] = copy.deepcopy(value)
        else:
            raise ConfigError(f"unknown config key {key!r}")
    validate_config(merged)
    return merged


class Simulator:
    """All Jenkins state; every public method takes the lock."""

    def __init__(self, startup_config, server_host):
        self.lock = threading.RLock()
        self.server_host = server_host
        self.startup_config = merge_config(DEFAULT_CONFIG, startup_config)
        # The crumb salt is a persisted confidential key in Jenkins, so it survives restarts.
        self.salt = secrets.token_hex(16)
        self.default_cookie_name = "JSESSIONID." + secrets.token_hex(4)
        self.release_event = threading.Event()
        self._reset_locked(self.startup_config)

    # --- lifecycle ----------------------------------------------------------------------------

    def _reset_locked(self, config):
        self.cfg = copy.deepcopy(config)
        self.queue = {}                # id -> QueueItem (every item ever created)
        self.next_queue_id = int(self.cfg["queue_id_start"])
        self.job_states = {}           # full name -> JobState
        self.all_builds = []
        self.sessions = set()
        self.jenkins_session = secrets.token_hex(4)
        self.restarts = 0
        self.faults = []
        self.requests = []
        self.trigger_calls = []
        self.stops = []
        self.cancel_calls = []
        self._release_hung()

    def _release_hung(self):
        self.release_event.set()
        self.release_event = threading.Event()

    def _restart_locked(self):
        """§2.3: left items are lost on a restart; sessions too (so crumbs must be fetched again)."""
        for item in self.queue.values():
            if item.state == "left":
                item.forgotten = True
        self.sessions.clear()
        self.jenkins_session = secrets.token_hex(4)
        self.restarts += 1
        self._release_hung()

    def shutdown(self):
        self.release_event.set()

    # --- time -----------------------------------------------------------------------------------

    @staticmethod
    def _now():
        return time.time() * 1000.0

    def _scaled_ms(self, seconds):
        return float(seconds) * 1000.0 * float(self.cfg["time_scale"])

    def _job_cfg(self, name):
        raw = self.cfg["jobs"].get(name)
        return None if raw is None else {**JOB_DEFAULTS, **raw}

    def _job_cfg_or_default(self, name):
        return self._job_cfg(name) or dict(JOB_DEFAULTS)

    def _job_state(self, name):
        state = self.job_states.get(name)
        if state is None:
            cfg = self._job_cfg_or_default(name)
            state = self.job_states[name] = JobState(int(cfg["next_build_number"]))
        return state

    def _job_busy(self, name):
        return any(b.building for b in self._job_state(name).builds)

    def _advance(self, now):
        """Replay, in time order, every queue/build transition due by ``now`` (§2.3 lifecycle)."""
        while True:
            events = []
            for build in self.all_builds:
                if build.building and build.planned_end is not None:
                    events.append((build.planned_end, 0, build.number, "finish", build))
            for item in self.queue.values():
                if item.state == "waiting":
                    events.append((item.due, 1, item.id, "due", item))
                elif item.state == "buildable":
                    cfg = self._job_cfg_or_default(item.job)
                    if cfg["concurrent"] or not self._job_busy(item.job):
                        events.append((item.pickup_at, 2, item.id, "pickup", item))
            if not events:
                return
            when, _, _, kind, obj = min(events, key=lambda e: e[:3])
            if when > now:
                return
            if kind == "finish":
                self._finish_build(obj, when, obj.planned_result, archive=True)
            elif kind == "due":
                self._leave_waiting(obj, when)
            else:
                self._start_build(obj, when)
            self._unblock(when)

    def _blocked_cause(self, item):
        """Why a non-waiting item of a non-concurrent job cannot become buildable, or None."""
        if self._job_cfg_or_default(item.job)["concurrent"]:
            return None
        if self._job_busy(item.job):
            return "build"
        if any(o is not item and o.job == item.job and o.state == "buildable" for o in self.queue.values()):
            return "buildable"  # Queue.InProgress: another item of the job is already buildable
        return None

    def _make_buildable(self, item, t):
        item.state = "buildable"
        item.pickup_at = t + self._scaled_ms(self._job_cfg_or_default(item.job)["buildable_s"])

    def _leave_waiting(self, item, t):
        item.buildable_start = t  # NotWaitingItem.buildableStartMilliseconds
        if self._blocked_cause(item):
            item.state = "blocked"
        else:
            self._make_buildable(item, t)

    def _unblock(self, t):
        for item in sorted(self.queue.values(), key=lambda i: i.id):
            if item.state == "blocked" and not self._blocked_cause(item):
                self._make_buildable(item, t)

    def _start_build(self, item, t):
        cfg = self._job_cfg_or_default(item.job)
        state = self._job_state(item.job)
        build = Build(item.job, state.next_number, item, cfg, t, self._estimated_duration(item.job))
        if cfg["build_duration_s"] is not None:
            build.planned_end = t + self._scaled_ms(cfg["build_duration_s"])
        state.next_number += 1
        state.builds.append(build)
        self.all_builds.append(build)
        item.state = "left"
        item.left_at = t
        item.build = build

    def _finish_build(self, build, t, result, archive):
        build.building = False
        build.result = result
        build.end = t
        if archive:
            variables = self._build_variables(build, self._root_url(None))
            archived = {}
            for rel, content in build.artifact_template.items():
                if isinstance(content, str):
                    archived[rel] = substitute(content, variables).encode("utf-8")
                else:
                    archived[rel] = json.dumps(substitute_json(content, variables), indent=2).encode("utf-8")
            build.archived = archived

    def _estimated_duration(self, job):
        """LazyBuildMixIn.getEstimatedDurationCandidates + Job.getEstimatedDuration (§2.4)."""
        candidates, failures = [], []
        for build in reversed(self._job_state(job).builds):
            if len(candidates) >= 3:
                break
            if build.building or build.result is None:
                continue
            if build.result in ("SUCCESS", "UNSTABLE"):
                candidates.append(build)
            elif build.result == "FAILURE" and len(failures) < 3:
                failures.append(build)
        for build in failures:
            if len(candidates) < 3:
                candidates.append(build)
        if not candidates:
            return -1
        total = sum(int(b.end - b.start) for b in candidates)
        return -1 if total == 0 else java_round(total / len(candidates))

    # --- queue ------------------------------------------------------------------------------

    def _live_item(self, item_id, now):
        """Queue.getItem: live items, then left items not yet expired or lost (§2.3)."""
        item = self.queue.get(item_id)
        if item is None:
            return None
        if item.state == "left" and (item.forgotten or self._expired(item, now)):
            return None
        return item

    def _expired(self, item, now):
        return item.state == "left" and now >= item.left_at + self._scaled_ms(LEFT_ITEM_TTL_S)

    def _schedule(self, job, params, cause, quiet_ms, now):
        """Queue.scheduleInternal: reuse an identical live item (same parameters) or add a WaitingItem.

        Returns (item, created)."""
        due = now + quiet_ms
        key = frozenset((p["name"], json.dumps(p["value"])) for p in (params or []))
        duplicates = [i for i in sorted(self.queue.values(), key=lambda i: i.id)
                      if i.job == job and i.state in ("waiting", "blocked", "buildable")
                      and frozenset((p["name"], json.dumps(p["value"])) for p in (i.params or [])) == key]
        if not duplicates:
            item = QueueItem(self.next_queue_id, job, params, [cause], now, due)
            self.next_queue_id += 1
            self.queue[item.id] = item
            return item, True
        for item in duplicates:
            if cause not in item.causes:  # CauseAction.foldIntoExisting
                item.causes.append(cause)
            if item.state == "waiting" and item.due >= due:  # keep the shorter due time
                item.due = due
        return duplicates[0], False

    # --- JSON shapes ----------------------------------------------------------------------------

    def _root_url(self, req):
        configured = self.cfg.get("root_url")
        if configured:
            return configured if configured.endswith("/") else configured + "/"
        if req is None:
            return f"http://{self.server_host}/"
        return req.host_root(self.server_host) + "/"

    @staticmethod
    def _job_path(name):
        return "".join(f"job/{raw_encode(seg)}/" for seg in name.split("/"))

    def _job_url(self, root, name):
        return root + self._job_path(name)

    def _build_url(self, root, build):
        return f"{self._job_url(root, build.job)}{build.number}/"

    @staticmethod
    def _display(name):
        return " » ".join(name.split("/"))

    def _job_color(self, name):
        """Job.getIconColor / Run.getIconColor: last build's colour, _anime while building."""
        cfg = self._job_cfg_or_default(name)
        if cfg["disabled"]:
            return "disabled"
        builds = self._job_state(name).builds
        if not builds:
            return "notbuilt"
        return self._run_color(builds, len(builds) - 1)

    def _run_color(self, builds, index):
        build = builds[index]
        if not build.building:
            return RESULT_COLOR[build.result]
        base = self._run_color(builds, index - 1) if index > 0 else "notbuilt"
        return base if base.endswith("_anime") else base + "_anime"

    @staticmethod
    def _cause_json(cause):
        return dict(cause)

    def _actions_json(self, params, causes):
        actions = []
        if params is not None:
            actions.append({"_class": "hudson.model.ParametersAction", "parameters": [dict(p) for p in params]})
        actions.append({"_class": "hudson.model.CauseAction", "causes": [self._cause_json(c) for c in causes]})
        return actions

    def _task_json(self, root, name):
        cfg = self._job_cfg_or_default(name)
        return {"_class": CLASSES[cfg["type"]]["job"], "name": name.split("/")[-1],
                "url": self._job_url(root, name), "color": self._job_color(name)}

    def _why(self, item, now):
        """Queue.Item.getWhy for each state (§2.3)."""
        if item.state == "waiting":
            diff = item.due - now
            if diff >= 0:
                return f"In the quiet period. Expires in {time_span_string(diff)}"
            return "Finished waiting"
        if item.state == "blocked":
            running = [b for b in self._job_state(item.job).builds if b.building]
            if running:
                build = running[-1]
                # BlockedBecauseOfBuildInProgress + Executor.getEstimatedRemainingTime
                eta = build.estimated_at_start - (now - build.start)
                eta_text = "N/A" if build.estimated_at_start < 0 or eta <= 0 else time_span_string(eta)
                return f"Build #{build.number} is already in progress (ETA: {eta_text})"
            return "A build is already in progress"
        if item.state == "buildable":
            return "Waiting for next available executor"
        return None

    def _item_json(self, root, item, now):
        classes = {"waiting": "WaitingItem", "blocked": "BlockedItem",
                   "buildable": "BuildableItem", "left": "LeftItem"}
        params_text = "".join(
            f"\n{p['name']}={str(p['value']).lower() if isinstance(p['value'], bool) else p['value']}"
            for p in (item.params or []))
        stuck = False
        if item.state == "buildable":  # BuildableItem.isStuck
            estimate = self._estimated_duration(item.job)
            elapsed = now - item.buildable_start
            stuck = elapsed > max(estimate, 60000) * 10 if estimate >= 0 else elapsed > 24 * 3600 * 1000
        out = {
            "_class": "hudson.model.Queue$" + classes[item.state],
            "actions": self._actions_json(item.params, item.causes),
            "blocked": item.state == "blocked",
            "buildable": item.state == "buildable",
            "id": item.id,
            "inQueueSince": int(item.in_queue_since),
            "params": params_text,
            "stuck": stuck,
            "task": self._task_json(root, item.job),
            "url": f"queue/item/{item.id}/",  # relative, §2.3
            "why": self._why(item, now),
        }
        if item.state == "waiting":
            out["timestamp"] = int(item.due)
        elif item.state in ("blocked", "buildable"):
            out["buildableStartMilliseconds"] = int(item.buildable_start)
            if item.state == "buildable":
                out["pending"] = False
        else:
            out["cancelled"] = item.cancelled
            build = item.build
            out["executable"] = None if build is None else {
                "_class": CLASSES[build.type]["run"], "number": build.number,
                "url": self._build_url(root, build)}
        return out

    @staticmethod
    def _display_paths(paths):
        """ArtifactList.computeDisplayName: the shortest path suffix that is unique."""
        parts = {p: p.split("/") for p in paths}
        out = {}
        for path, segs in parts.items():
            for n in range(1, len(segs) + 1):
                suffix = segs[-n:]
                if not any(o != path and other[-n:] == suffix for o, other in parts.items()):
                    break
            out[path] = "/".join(segs[-n:])
        return out

    def _build_json(self, root, build, now):
        classes = CLASSES[build.type]
        builds = self._job_state(build.job).builds
        index = builds.index(build)
        artifacts = []
        if build.archived:
            display = self._display_paths(sorted(build.archived))
            for rel in sorted(build.archived):
                artifacts.append({"displayPath": display[rel], "fileName": rel.split("/")[-1],
                                  "relativePath": rel})
        out = {
            "_class": classes["run"],
            # Real runs also carry actions without exported data, serialized as {}.
            "actions": self._actions_json(build.params, build.causes) + [{}],
            "artifacts": artifacts,
            "building": build.building,
            "description": None,
            "displayName": f"#{build.number}",
            "duration": 0 if build.building else int(build.end - build.start),
            "estimatedDuration": self._estimated_duration(build.job),
            "executor": {"_class": classes["executor"]} if build.building else None,
            "fullDisplayName": f"{self._display(build.job)} #{build.number}",
            "id": str(build.number),
            "inProgress": build.building,
            "keepLog": False,
            "number": build.number,
            "queueId": build.queue_id,
            "result": build.result,
            "timestamp": int(build.start),
            "url": self._build_url(root, build),
        }
        if build.type == "freestyle":
            out["builtOn"] = ""
            out["changeSet"] = {"_class": "hudson.scm.EmptyChangeLogSet", "items": [], "kind": None}
            out["culprits"] = []
        else:
            out["changeSets"] = []
            out["culprits"] = []
            prev_b = builds[index - 1] if index > 0 else None
            next_b = builds[index + 1] if index + 1 < len(builds) else None
            out["nextBuild"] = None if next_b is None else {"number": next_b.number, "url": self._build_url(root, next_b)}
            out["previousBuild"] = None if prev_b is None else {"number": prev_b.number, "url": self._build_url(root, prev_b)}
        return out

    def _brief_build(self, root, build):
        """A nested build at depth 0: {_class, number, url}."""
        if build is None:
            return None
        return {"_class": CLASSES[build.type]["run"], "number": build.number, "url": self._build_url(root, build)}

    def _permalink(self, name, link):
        builds = self._job_state(name).builds
        done = [b for b in builds if not b.building]
        pick = {
            "lastBuild": builds,
            "firstBuild": builds[:1],
            "lastCompletedBuild": done,
            "lastSuccessfulBuild": [b for b in done if b.result in ("SUCCESS", "UNSTABLE")],
            "lastStableBuild": [b for b in done if b.result == "SUCCESS"],
            "lastUnstableBuild": [b for b in done if b.result == "UNSTABLE"],
            "lastFailedBuild": [b for b in done if b.result == "FAILURE"],
            "lastUnsuccessfulBuild": [b for b in done if b.result != "SUCCESS"],
        }[link]
        return pick[-1] if pick else None

    def _parameter_definitions_json(self, cfg):
        defs = []
        for p in normalize_parameters(cfg["parameters"]):
            def_class, value_class = PARAM_TYPES[p["type"]]
            entry = {"_class": def_class,
                     "defaultParameterValue": {"_class": value_class, "name": p["name"], "value": p["default"]},
                     "description": p["description"], "name": p["name"],
                     "type": def_class.rsplit(".", 1)[-1]}
            if p["type"] == "choice":
                entry["choices"] = p["choices"]
            defs.append(entry)
        return defs

    def _job_json(self, root, name, now, nested_full):
        cfg = self._job_cfg(name)
        state = self._job_state(name)

        def nested(build):
            if build is None:
                return None
            return self._build_json(root, build, now) if nested_full else self._brief_build(root, build)

        live = [i for i in sorted(self.queue.values(), key=lambda i: i.id)
                if i.job == name and i.state != "left"]
        properties = []
        if cfg["parameters"]:
            properties.append({"_class": "hudson.model.ParametersDefinitionProperty",
                               "parameterDefinitions": self._parameter_definitions_json(cfg)})
        out = {
            "_class": CLASSES[cfg["type"]]["job"],
            "actions": [{}],
            "description": cfg["description"],
            "displayName": name.split("/")[-1],
            "displayNameOrNull": None,
            "fullDisplayName": self._display(name),
            "fullName": name,
            "name": name.split("/")[-1],
            "url": self._job_url(root, name),
            "buildable": not cfg["disabled"],
            "builds": [nested(b) for b in reversed(state.builds)],  # newest first
            "color": self._job_color(name),
            "healthReport": [],
            "inQueue": bool(live),
            "keepDependencies": False,
            "nextBuildNumber": state.next_number,
            "property": properties,
            "queueItem": self._item_json(root, live[0], now) if live else None,
            "concurrentBuild": bool(cfg["concurrent"]),
            "disabled": bool(cfg["disabled"]),
        }
        for link in PERMALINKS:
            out[link] = nested(self._permalink(name, link))
        if cfg["type"] == "freestyle":
            out.update({"downstreamProjects": [], "labelExpression": None,
                        "scm": {"_class": "hudson.scm.NullSCM"}, "upstreamProjects": []})
        else:
            out["resumeBlocked"] = False
        return out

    def _children(self, folder):
        """Direct children (jobs and sub-folders) of a folder ('' = root), sorted by name."""
        prefix = folder + "/" if folder else ""
        kids = {}
        for name in self.cfg["jobs"]:
            if name.startswith(prefix):
                head = name[len(prefix):].split("/")[0]
                kids[head] = "job" if name[len(prefix):] == head else "folder"
        return sorted(kids.items())

    def _children_json(self, root, folder):
        out = []
        for child, kind in self._children(folder):
            full = f"{folder}/{child}" if folder else child
            if kind == "job":
                cfg = self._job_cfg(full)
                out.append({"_class": CLASSES[cfg["type"]]["job"], "name": child,
                            "url": self._job_url(root, full), "color": self._job_color(full)})
            else:
                out.append({"_class": FOLDER_CLASS, "name": child, "url": self._job_url(root, full)})
        return out

    def _folders(self):
        folders = set()
        for name in self.cfg["jobs"]:
            parts = name.split("/")
            for i in range(1, len(parts)):
                folders.add("/".join(parts[:i]))
        return folders

    # --- console and artifacts ------------------------------------------------------------------

    def _build_variables(self, build, root):
        variables = {"BUILD_NUMBER": str(build.number), "BUILD_ID": str(build.number),
                     "JOB_NAME": build.job, "JOB_BASE_NAME": build.job.split("/")[-1],
                     "BUILD_URL": self._build_url(root, build), "JENKINS_URL": root}
        for p in build.params or []:
            value = p["value"]
            variables[p["name"]] = str(value).lower() if isinstance(value, bool) else str(value)
        return variables

    def _console_text(self, root, build, now):
        variables = self._build_variables(build, root)
        lines = [c["shortDescription"] for c in build.causes]
        lines.append("Running as SYSTEM")
        lines.append(f"Building in workspace /var/jenkins_home/workspace/{build.job}")
        # Configured lines appear spread over the planned duration: line i of n at (i+1)/(n+1).
        # A completed build shows them all; an aborted one only those printed before the abort.
        template = build.console_template
        t = now if build.building else build.end
        timed = build.planned_end is not None and (build.building or build.aborted_by is not None)
        for i, line in enumerate(template):
            if timed and t < build.start + (build.planned_end - build.start) * (i + 1) / (len(template) + 1):
                break
            lines.append(substitute(str(line), variables))
        if build.aborted_by is not None:
            lines.append(f"Aborted by {build.aborted_by}")
        if not build.building:
            lines.append(f"Finished: {build.result}")
        return "\n".join(lines) + "\n"

    # --- request handling -----------------------------------------------------------------------

    def take_fault(self, method, target):
        with self.lock:
            probe = f"{method} {target}"
            for fault in self.faults:
                if re.search(fault["match"], probe):
                    if fault["times"] > 0:
                        fault["times"] -= 1
                        if fault["times"] == 0:
                            self.faults.remove(fault)
                    return dict(fault)
            return None

    def restart(self):
        with self.lock:
            self._restart_locked()

    def log_request(self, method, target, status, fault=None, user=None):
        with self.lock:
            self.requests.append({"method": method, "path": target, "status": status,
                                  "fault": fault, "user": user})
            del self.requests[:-10000]

    def handle(self, req):
        """Answer one Jenkins request. Returns (Response, principal name or None)."""
        with self.lock:
            now = self._now()
            self._advance(now)
            user = None
            try:
                user = self._authenticate(req)
                resp = self._dispatch(req, user, now)
            except HttpError as err:
                resp = err.to_response(req.path)
            except Exception as exc:  # an internal error is a 500 page, as in Jenkins
                traceback.print_exc(file=sys.stderr)
                resp = HttpError(500, f"{type(exc).__name__}: {exc}").to_response(req.path)
            # §2.1: every Jenkins page identifies the server.
            resp.headers += [("X-Jenkins", str(self.cfg["jenkins_version"])),
                             ("X-Jenkins-Session", self.jenkins_session),
                             ("X-Hudson", "1.395")]
            return resp, (user.name if user else None)

    def _authenticate(self, req):
        """§2.1: Basic with an API token (crumb-exempt) or the password; bad credentials -> 401."""
        header = req.headers.get("Authorization") or ""
        if not header.lower().startswith("basic "):
            return Principal("anonymous", self.cfg["anonymous"], False)
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            name, secret = decoded.split(":", 1)
        except (ValueError, UnicodeDecodeError):
            name, secret = "", None
        user = self.cfg["users"].get(name)
        if user is not None and secret is not None:
            perms = user.get("permissions", PERMISSIONS)
            token = user.get("api_token")
            if token is not None and hmac.compare_digest(secret.encode(), str(token).encode()):
                return Principal(name, perms, True, user.get("full_name"))
            password = user.get("password")
            if password is not None and hmac.compare_digest(secret.encode(), str(password).encode()):
                return Principal(name, perms, False, user.get("full_name"))
        raise HttpError(401, f"Invalid password/token for user: {name}",
                        [("WWW-Authenticate", 'Basic realm="Jenkins"')])

    def _deny(self, user, perm):
        """AccessDeniedException3 -> 403 with the X-You-Are-Authenticated-As headers (§2.1)."""
        perm_id, perm_name = PERMISSION_IDS[perm]
        message = "Authentication required" if user.anonymous else f"{user.name} is missing the {perm_name} permission"
        return HttpError(403, message, [("X-You-Are-Authenticated-As", user.name),
                                        ("X-Required-Permission", perm_id)])

    def _require(self, user, perm):
        if perm not in user.permissions:
            raise self._deny(user, perm)

    # crumbs (§2.1) --------------------------------------------------------------------------

    def _session_id(self, req):
        value = req.cookies.get(self._cookie_name())
        if value is None:
            return None
        sid = value.split(".", 1)[0]  # Jetty appends ".node0" (the worker) to the cookie value
        return sid if sid in self.sessions else None

    def _cookie_name(self):
        return self.cfg.get("session_cookie_name") or self.default_cookie_name

    def _crumb(self, user, sid):
        # DefaultCrumbIssuer.issueCrumb: SHA-256 of "<user>;<sessionId>" followed by the salt.
        return hashlib.sha256(f"{user.name};{sid}".encode("utf-8") + self.salt.encode("ascii")).hexdigest()

    def _crumb_valid(self, req, user):
        provided = req.headers.get("Jenkins-Crumb")
        if provided is None:
            provided = req.param("Jenkins-Crumb")
        sid = self._session_id(req)
        if provided is None or sid is None:
            return False
        return hmac.compare_digest(provided.encode(), self._crumb(user, sid).encode())

    def _crumb_issuer(self, req, user, fmt):
        if not self.cfg["csrf"]:
            raise HttpError(404, "Not Found")  # no crumb issuer when CSRF protection is off
        headers = []
        sid = self._session_id(req)
        if sid is None:  # req.getSession() creates a session and sets the cookie
            sid = "node0" + secrets.token_hex(10)
            self.sessions.add(sid)
            headers.append(("Set-Cookie", f"{self._cookie_name()}={sid}.node0; Path=/; HttpOnly"))
        crumb = self._crumb(user, sid)
        if fmt == "json":
            body = {"_class": "hudson.security.csrf.DefaultCrumbIssuer", "crumb": crumb,
                    "crumbRequestField": "Jenkins-Crumb"}
            return Response(200, json_bytes(body), "application/json;charset=utf-8", headers)
        if req.param("xpath") is not None:  # the legacy concat(//crumbRequestField,":",//crumb) form
            return Response(200, f"Jenkins-Crumb:{crumb}", "text/plain;charset=utf-8", headers)
        xml = ("<defaultCrumbIssuer _class='hudson.security.csrf.DefaultCrumbIssuer'>"
               f"<crumb>{crumb}</crumb><crumbRequestField>Jenkins-Crumb</crumbRequestField>"
               "</defaultCrumbIssuer>")
        return Response(200, xml, "application/xml;charset=utf-8", headers)

    # routing ---------------------------------------------------------------------------------

    def _api_json(self, req, obj):
        tree = req.param("tree")
        if tree is not None:
            try:
                obj = apply_tree(obj, parse_tree(tree))
            except ValueError as exc:
                raise HttpError(400, f"Malformed tree expression: {exc}")
        return Response(200, json_bytes(obj), "application/json;charset=utf-8")

    def _dispatch(self, req, user, now):
        # §2.1: CrumbFilter runs before Stapler (so before permission checks and 404s).
        if req.method == "POST" and self.cfg["csrf"] and not user.api_token_auth:
            if not self._crumb_valid(req, user):
                raise HttpError(403, "No valid crumb was included in the request")

        segs = [urllib.parse.unquote(s) for s in req.path.split("/")[1:]]
        while segs and segs[-1] == "":
            segs.pop()
        root = self._root_url(req)

        route = self._resolve(segs)
        # Jenkins.getTarget() demands Overall/Read for everything; a remote-trigger request
        # carrying ?token= skips it unless token_needs_read (see the module docstring).
        token_trigger = (route[0] == "job" and route[2][:1] in (["build"], ["buildWithParameters"])
                         and len(route[2]) == 1 and req.param("token") is not None)
        if not (token_trigger and not self.cfg["token_needs_read"]):
            self._require(user, "read")
        if route[0] == "missing":
            raise HttpError(404, "Not Found")

        kind, name, rest = route
        if kind == "root":
            return self._root(req, root, rest)
        if kind == "crumb":
            return self._crumb_issuer(req, user, rest)
        if kind == "queue":
            return self._queue(req, user, root, rest, now)
        if kind == "folder":
            return self._folder(req, root, name, rest)
        return self._job(req, user, root, name, rest, now)

    def _resolve(self, segs):
        """Map path segments to (kind, name, rest)."""
        if not segs or segs[0] == "api":
            return ("root", "", segs)
        if segs[:1] == ["crumbIssuer"] and segs[1:2] == ["api"] and len(segs) == 3 and segs[2] in ("json", "xml"):
            return ("crumb", "", segs[2])
        if segs[0] == "queue":
            return ("queue", "", segs[1:])
        if segs[0] != "job":
            return ("missing", "", segs)
        folders = self._folders()
        prefix = []
        i = 0
        while i + 1 < len(segs) and segs[i] == "job":
            name = "/".join(prefix + [segs[i + 1]])
            if name in self.cfg["jobs"]:
                return ("job", name, segs[i + 2:])
            if name not in folders:
                return ("missing", "", segs)
            prefix.append(segs[i + 1])
            i += 2
        if prefix:
            return ("folder", "/".join(prefix), segs[i:])
        return ("missing", "", segs)

    def _root(self, req, root, rest):
        if rest == []:
            return Response(200, "<html><head><title>Dashboard [Jenkins]</title></head><body></body></html>",
                            "text/html;charset=utf-8")
        if rest == ["api", "json"]:
            return self._api_json(req, {
                "_class": "hudson.model.Hudson", "assignedLabels": [{"name": "built-in"}],
                "mode": "NORMAL", "nodeDescription": "the Jenkins controller's built-in node",
                "nodeName": "", "numExecutors": 2, "description": None,
                "jobs": self._children_json(root, ""), "quietingDown": False,
                "slaveAgentPort": -1, "useCrumbs": bool(self.cfg["csrf"]), "useSecurity": True,
                "views": [{"_class": "hudson.model.AllView", "name": "all", "url": root}]})
        raise HttpError(404, "Not Found")

    def _folder(self, req, root, name, rest):
        if rest == []:
            return Response(200, f"<html><head><title>{html.escape(name)} [Jenkins]</title></head></html>",
                            "text/html;charset=utf-8")
        if rest == ["api", "json"]:
            return self._api_json(req, {
                "_class": FOLDER_CLASS, "actions": [{}], "description": None,
                "displayName": name.split("/")[-1], "displayNameOrNull": None,
                "fullDisplayName": self._display(name), "fullName": name, "name": name.split("/")[-1],
                "url": self._job_url(root, name), "healthReport": [],
                "jobs": self._children_json(root, name),
                "primaryView": {"_class": "hudson.model.AllView", "name": "All", "url": self._job_url(root, name)},
                "views": [{"_class": "hudson.model.AllView", "name": "All", "url": self._job_url(root, name)}]})
        raise HttpError(404, "Not Found")

    def _queue(self, req, user, root, rest, now):
        if rest == ["api", "json"]:
            order = {"waiting": 0, "blocked": 1, "buildable": 2}
            live = sorted((i for i in self.queue.values() if i.state in order),
                          key=lambda i: (order[i.state], i.id))
            return self._api_json(req, {"_class": "hudson.model.Queue", "discoverableItems": [],
                                        "items": [self._item_json(root, i, now) for i in live]})
        if rest == ["cancelItem"]:
            return self._cancel_item(req, user, now)
        if len(rest) >= 2 and rest[0] == "item" and rest[1].isdigit():
            item = self._live_item(int(rest[1]), now)
            if item is None:
                raise HttpError(404, "Not Found")
            if rest[2:] == []:
                uri = req.path if req.path.endswith("/") else req.path + "/"
                return Response(200, "Queue item exists. For details check, for example, "
                                f"{uri}api/json?tree=cancelled,executable[url]", "text/plain;charset=utf-8")
            if rest[2:] == ["api", "json"]:
                return self._api_json(req, self._item_json(root, item, now))
        raise HttpError(404, "Not Found")

    def _require_post(self, req):
        """@RequirePOST -> 405 with Allow: POST (§2.6)."""
        if req.method != "POST":
            raise HttpError(405, "This URL requires POST", [("Allow", "POST")])

    def _cancel_item(self, req, user, now):
        """Queue.doCancelItem (§2.3): 204, 404 unknown/expired, 422 without Item.CANCEL, 500 if left."""
        self._require_post(req)
        raw = req.param("id")
        try:
            item_id = 0 if raw is None else int(raw)  # a missing primitive @QueryParameter binds 0
        except ValueError:
            raise HttpError(500, f"Invalid id: {raw}")
        item = self._live_item(item_id, now)
        if item is None:
            status, error = 404, HttpError(404, f"Provided id ({item_id}) not found")
        elif "cancel" not in user.permissions:
            status, error = 422, HttpError(422, f"Item for id ({item_id}) is not cancellable")
        elif item.state == "left":  # LeftItem.leave() is false, so Queue.cancel fails
            status, error = 500, HttpError(500, f"Could not cancel run for id {item_id}")
        else:
            status, error = 204, None
            item.state = "left"
            item.cancelled = True
            item.left_at = now
            self._unblock(now)
        self.cancel_calls.append({"id": item_id, "status": status})
        if error:
            raise error
        return Response(204)

    # jobs -------------------------------------------------------------------------------------

    def _job(self, req, user, root, name, rest, now):
        cfg = self._job_cfg(name)
        if rest == []:
            return Response(200, f"<html><head><title>{html.escape(self._display(name))} [Jenkins]</title></head></html>",
                            "text/html;charset=utf-8")
        if rest == ["api", "json"]:
            return self._api_json(req, self._job_json(root, name, now, nested_full=req.param("tree") is not None))
        if rest in (["build"], ["buildWithParameters"]):
            resp, item, created = self._trigger(req, user, name, cfg, rest[0], now)
            self.trigger_calls.append({"job": name, "endpoint": rest[0], "status": resp.status,
                                       "queue_id": item.id if item else None, "created": created})
            return resp
        head = rest[0]
        build = None
        if head.isdigit():
            build = next((b for b in self._job_state(name).builds if b.number == int(head)), None)
        elif head in PERMALINKS:
            build = self._permalink(name, head)
        if build is None:
            raise HttpError(404, "Not Found")
        return self._build(req, user, root, build, rest[1:], now)

    def _check_build_permission(self, req, user, cfg):
        """BuildAuthorizationToken.checkPermission (§2.2). Returns True when the token was used."""
        expected = cfg["remote_token"]
        provided = req.param("token")
        if expected is not None:
            if provided is not None and hmac.compare_digest(provided.encode(), str(expected).encode()):
                return True
            if provided is not None:
                raise HttpError(403, "Invalid token provided.")
        self._require(user, "build")
        if req.method == "POST":
            return False
        raise HttpError(405, "This URL requires POST", [("Allow", "POST")])

    def _cause(self, req, user, cfg, via_token):
        """ParameterizedJobMixIn.getBuildCause: RemoteCause when triggered with the job's token."""
        if via_token or (cfg["remote_token"] is not None and req.param("token") is not None):
            note = req.param("cause")
            text = f"Started by remote host {req.client_addr}"
            if note is not None:
                text += f" with note: {note}"
            return {"_class": "hudson.model.Cause$RemoteCause", "shortDescription": text,
                    "addr": req.client_addr, "note": note}
        return self._user_cause(user)

    @staticmethod
    def _user_cause(user):
        return {"_class": "hudson.model.Cause$UserIdCause",
                "shortDescription": f"Started by user {user.full_name}",
                "userId": None if user.anonymous else user.name, "userName": user.full_name}

    @staticmethod
    def _param_value(definition, raw):
        """SimpleParameterDefinition.createValue(String) for each supported type."""
        ptype = definition["type"]
        value_class = PARAM_TYPES[ptype][1]
        if ptype == "boolean":
            value = raw if isinstance(raw, bool) else str(raw).lower() == "true"  # Boolean.parseBoolean
        else:
            value = "" if raw is None else str(raw)
            if definition["trim"]:
                value = value.strip()
            if ptype == "choice" and value not in definition["choices"]:
                raise HttpError(500, f"java.lang.IllegalArgumentException: Illegal choice for parameter "
                                     f"{definition['name']}: {value}")
        return {"_class": value_class, "name": definition["name"], "value": value}

    def _quiet_ms(self, req, cfg):
        raw = req.param("delay")
        if raw is not None:
            try:
                millis = parse_time_duration(raw)
            except ValueError as exc:
                raise HttpError(500, f"java.lang.IllegalArgumentException: {exc}")
            seconds = int(millis / 1000)  # TimeDuration.getTimeInSeconds truncates
        else:
            quiet = cfg["quiet_period_s"]
            seconds = self.cfg["quiet_period_s"] if quiet is None else quiet
        return self._scaled_ms(seconds)

    def _queued_redirect(self, req, status, item):
        # Stapler makes "<contextPath>/queue/item/N/" absolute using the request's host (§2.2).
        location = f"{req.host_root(self.server_host)}/{'queue/item/%d/' % item.id}"
        return Response(status, headers=[("Location", location)])

    def _trigger(self, req, user, name, cfg, endpoint, now):
        """doBuild / doBuildWithParameters (§2.2). Returns (Response, item | None, created)."""
        quiet_ms = self._quiet_ms(req, cfg)  # @QueryParameter delay binds before the method runs
        definitions = normalize_parameters(cfg["parameters"])
        if endpoint == "build":
            if cfg["disabled"]:
                raise HttpError(409, f"{name} is not buildable")
            if definitions and req.method != "POST":
                # Parameterized job: GET /build renders the parameter form (even with a token).
                return (Response(200, f"<html><head><title>{html.escape(name)} [Jenkins]</title></head><body>"
                                      "<p>This build requires parameters:</p><form method='post'></form>"
                                      "</body></html>", "text/html;charset=utf-8"), None, False)
            via_token = self._check_build_permission(req, user, cfg)
            if definitions:
                return self._build_with_form(req, user, name, definitions, quiet_ms, now)
            item, created = self._schedule(name, None, self._cause(req, user, cfg, via_token), quiet_ms, now)
            # /build answers 201 even for an existing item (TODO JENKINS-66105 in the source).
            return self._queued_redirect(req, 201, item), item, created

        via_token = self._check_build_permission(req, user, cfg)
        if cfg["disabled"]:
            raise HttpError(409, f"{name} is not buildable")
        if not definitions:
            raise HttpError(400, f"{name} is not parameterized")
        values = []
        for definition in definitions:  # only defined parameters are read; others are ignored
            given = req.params(definition["name"])
            if not given:
                values.append(self._param_value(definition, definition["default"]))
            elif len(given) != 1:
                raise HttpError(500, "java.lang.IllegalArgumentException: Illegal number of parameter "
                                     f"values for {definition['name']}: {len(given)}")
            else:
                values.append(self._param_value(definition, given[0]))
        item, created = self._schedule(name, values, self._cause(req, user, cfg, via_token), quiet_ms, now)
        return self._queued_redirect(req, 201 if created else 303, item), item, created

    def _build_with_form(self, req, user, name, definitions, quiet_ms, now):
        """ParametersDefinitionProperty._doBuild: POST /build on a parameterized job needs json=."""
        raw = req.param("json")
        if raw is None:  # RequestImpl.getSubmittedForm
            message = "This page expects a form submission" if req.has_any_param() else "Nothing is submitted"
            raise HttpError(400, message)
        try:
            form = json.loads(raw)
        except ValueError as exc:
            raise HttpError(500, f"net.sf.json.JSONException: {exc}")
        by_name = {d["name"]: d for d in definitions}
        values = []
        submitted = form.get("parameter") if isinstance(form, dict) else None
        if submitted is not None:
            for entry in submitted if isinstance(submitted, list) else [submitted]:
                definition = by_name.get(entry.get("name"))
                if definition is None:
                    raise HttpError(500, "java.lang.IllegalArgumentException: No such parameter definition: "
                                         f"{entry.get('name')}")
                values.append(self._param_value(definition, entry.get("value")))
        item, created = self._schedule(name, values, self._user_cause(user), quiet_ms, now)
        if not created:  # Queue.schedule returns null for an existing item -> redirect to the job
            location = urllib.parse.urljoin(req.host_root(self.server_host) + req.path, ".")
            return Response(302, headers=[("Location", location)]), item, False
        status = int(form.get("statusCode", 201))
        target = form.get("redirectTo")
        if not isinstance(target, str) or not is_safe_to_redirect_to(target):
            return self._queued_redirect(req, status, item), item, True
        location = urllib.parse.urljoin(req.host_root(self.server_host) + req.path, target)
        return Response(status, headers=[("Location", location)]), item, True

    # builds -----------------------------------------------------------------------------------

    def _build(self, req, user, root, build, rest, now):
        if rest == []:
            return Response(200, f"<html><head><title>{html.escape(self._display(build.job))} #{build.number} "
                                 "[Jenkins]</title></head></html>", "text/html;charset=utf-8")
        if rest == ["api", "json"]:
            return self._api_json(req, self._build_json(root, build, now))
        if rest == ["stop"]:
            return self._stop(req, user, build, now)
        if rest == ["consoleText"]:
            return Response(200, self._console_text(root, build, now), "text/plain;charset=UTF-8")
        if rest == ["logText", "progressiveText"]:
            return self._progressive_text(req, root, build, now)
        if rest[:1] == ["artifact"]:
            return self._artifact(build, rest[1:])
        raise HttpError(404, "Not Found")

    def _stop(self, req, user, build, now):
        """AbstractBuild.doStop / Executor.doStopBuild (§2.4): 302 back, ABORTED if it was running."""
        self._require_post(req)
        was_building = build.building
        build.stop_calls += 1
        self._job_state(build.job).stop_calls += 1
        self.stops.append({"job": build.job, "number": build.number, "user": user.name,
                           "was_building": was_building})
        if was_building:
            self._require(user, "cancel")  # checkAbortPermission
            build.aborted_by = user.full_name  # CauseOfInterruption.UserInterruption
            self._finish_build(build, now, "ABORTED", archive=False)
            self._unblock(now)
        # forwardToPreviousPage: the Referer, else "." (the build page), made absolute.
        referer = req.headers.get("Referer") or "."
        location = urllib.parse.urljoin(req.host_root(self.server_host) + req.path, referer)
        return Response(302, headers=[("Location", location)])

    def _progressive_text(self, req, root, build, now):
        """LargeText.doProgressText: X-Text-Size is the next offset; X-More-Data while running (§2.4)."""
        data = self._console_text(root, build, now).encode("utf-8")
        raw = req.param("start")
        try:
            start = 0 if raw is None else int(raw)
        except ValueError:
            raise HttpError(500, f"java.lang.NumberFormatException: For input string: \"{raw}\"")
        if start > len(data):  # "text rolled over"
            start = 0
        headers = [("X-Text-Size", str(len(data)))]
        if build.building:
            headers.append(("X-More-Data", "true"))
        return Response(200, data[start:], "text/plain;charset=UTF-8", headers)

    def _artifact(self, build, rest):
        """Run.doArtifact: raw bytes after the build archived them, else 404 (§2.4)."""
        if build.archived is None or not build.archived:
            raise HttpError(404, "Not Found")
        rel = "/".join(rest)
        headers = [("X-Content-Type-Options", "nosniff"),
                   ("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'self';")]
        if rel == "*zip*/archive.zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path, content in sorted(build.archived.items()):
                    archive.writestr(f"archive/{path}", content)
            return Response(200, buffer.getvalue(), "application/zip", headers)
        if rel in build.archived:
            content_type = mimetypes.guess_type(rel)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type == "application/json":
                content_type += ";charset=utf-8"
            return Response(200, build.archived[rel], content_type, headers)
        if rel == "" or any(p.startswith(rel.rstrip("/") + "/") for p in build.archived):
            listing = "".join(f"<li><a href='{html.escape(p)}'>{html.escape(p)}</a></li>"
                              for p in sorted(build.archived) if p.startswith(rel))
            return Response(200, f"<html><body><ul>{listing}</ul></body></html>", "text/html;charset=utf-8")
        raise HttpError(404, "Not Found")

    # --- control API ----------------------------------------------------------------------------

    def control(self, method, target, body):
        split = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        action = split.path[len("/__sim/"):].strip("/")
        with self.lock:
            now = self._now()
            self._advance(now)
            try:
                payload = json.loads(body.decode("utf-8")) if body.strip() else None
            except ValueError as exc:
                return 400, {"error": f"invalid JSON body: {exc}"}
            if action == "state" and method == "GET":
                return 200, self._state_json(now)
            if action == "config" and method == "GET":
                return 200, self.cfg
            if action == "config" and method == "POST":
                if not isinstance(payload, dict):
                    return 400, {"error": "body must be a JSON object"}
                try:
                    self.cfg = merge_config(self.cfg, payload)
                except (ConfigError, KeyError, TypeError) as exc:
                    return 400, {"error": str(exc)}
                return 200, {"ok": True, "config": self.cfg}
            if action == "faults" and method == "POST":
                faults = payload.get("faults") if isinstance(payload, dict) and "faults" in payload else payload
                faults = faults if isinstance(faults, list) else [faults]
                try:
                    parsed = [self._parse_fault(f) for f in faults]
                except (ConfigError, re.error) as exc:
                    return 400, {"error": str(exc)}
                if query.get("replace") in ("1", "true"):
                    self.faults = []
                self.faults.extend(parsed)
                return 200, {"ok": True, "faults": self.faults}
            if action == "reset" and method == "POST":
                keep = query.get("keep_config") in ("1", "true")
                self._reset_locked(self.cfg if keep else self.startup_config)
                return 200, {"ok": True}
            if action == "restart" and method == "POST":
                self._restart_locked()
                return 200, {"ok": True, "restarts": self.restarts, "jenkins_session": self.jenkins_session}
            if action == "finish" and method == "POST":
                return self._force_finish(query, now)
            return 404, {"error": f"no control endpoint {method} /__sim/{action}"}

    @staticmethod
    def _parse_fault(fault):
        if not isinstance(fault, dict):
            raise ConfigError("a fault must be an object")
        kind = fault.get("kind")
        if kind not in FAULT_KINDS:
            raise ConfigError(f"fault kind must be one of {', '.join(FAULT_KINDS)}")
        parsed = {"match": str(fault.get("match", "")), "times": int(fault.get("times", 1)), "kind": kind,
                  "when": fault.get("when", "before")}
        re.compile(parsed["match"])
        if parsed["times"] == 0 or parsed["times"] < -1:
            raise ConfigError("times must be positive or -1 (unlimited)")
        if parsed["when"] not in ("before", "after"):
            raise ConfigError("when must be before or after")
        if kind == "status":
            parsed["status"] = int(fault.get("status", 503))
            parsed["body"] = fault.get("body")
            parsed["headers"] = dict(fault.get("headers") or {})
        if kind == "delay":
            parsed["seconds"] = float(fault.get("seconds", 1.0))
        return parsed

    def _force_finish(self, query, now):
        job = query.get("job")
        build = None
        if job in self.job_states and (query.get("number") or "").isdigit():
            build = next((b for b in self.job_states[job].builds if b.number == int(query["number"])), None)
        if build is None:
            return 404, {"error": f"no build {query.get('job')} #{query.get('number')}"}
        if not build.building:
            return 409, {"error": f"{job} #{build.number} is not building"}
        result = query.get("result") or build.planned_result
        if result not in RESULTS:
            return 400, {"error": f"result must be one of {', '.join(RESULTS)}"}
        self._finish_build(build, now, result, archive=True)
        self._unblock(now)
        return 200, self._build_state(build)

    def _build_state(self, build):
        return {"job": build.job, "number": build.number, "queue_id": build.queue_id,
                "parameters": {p["name"]: p["value"] for p in (build.params or [])},
                "causes": [c["shortDescription"] for c in build.causes],
                "building": build.building, "result": build.result, "timestamp": int(build.start),
                "duration": 0 if build.building else int(build.end - build.start),
                "aborted_by": build.aborted_by, "stop_calls": build.stop_calls,
                "url": "/" + self._job_path(build.job) + f"{build.number}/"}

    def _state_json(self, now):
        jobs = {}
        for name in sorted(set(self.cfg["jobs"]) | set(self.job_states)):
            state = self._job_state(name)
            jobs[name] = {"next_build_number": state.next_number, "stop_calls": state.stop_calls,
                          "builds": [self._build_state(b) for b in state.builds]}
        queue = []
        for item in sorted(self.queue.values(), key=lambda i: i.id):
            queue.append({"id": item.id, "job": item.job, "state": item.state, "cancelled": item.cancelled,
                          "build_number": item.build.number if item.build else None,
                          "parameters": {p["name"]: p["value"] for p in (item.params or [])},
                          "causes": [c["shortDescription"] for c in item.causes],
                          "in_queue_since": int(item.in_queue_since),
                          "left_at": None if item.left_at is None else int(item.left_at),
                          "expired": self._expired(item, now), "forgotten": item.forgotten})
        return {"now_ms": int(now), "restarts": self.restarts, "jenkins_session": self.jenkins_session,
                "jobs": jobs, "builds": [self._build_state(b) for b in self.all_builds], "queue": queue,
                "trigger_calls": self.trigger_calls, "stop_calls": len(self.stops), "stops": self.stops,
                "cancel_calls": self.cancel_calls, "requests": self.requests, "faults": self.faults}


# ----------------------------------------------------------------------------------------------
# HTTP server
# ----------------------------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like Jetty
    server_version = "Jetty(12.0.22)"

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self._handle()

    do_POST = do_HEAD = do_PUT = do_DELETE = do_GET

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self):
        sim = self.server.sim
        body = self._read_body()
        if urllib.parse.urlsplit(self.path).path.startswith("/__sim/"):
            status, payload = sim.control(self.command, self.path, body)
            self._send(Response(status, json_bytes(payload), "application/json;charset=utf-8"))
            return
        fault = sim.take_fault(self.command, self.path)
        if fault and fault["when"] == "before" and self._apply_fault(fault, None):
            return
        req = Request(self.command, self.path, self.headers, body, self.client_address[0])
        resp, user = sim.handle(req)
        if fault and fault["when"] == "after" and self._apply_fault(fault, resp, user):
            return
        self._send(resp)
        sim.log_request(self.command, self.path, resp.status, user=user)

    def _apply_fault(self, fault, resp, user=None):
        """Apply an injected fault. Returns True when the exchange is over (no normal answer)."""
        sim = self.server.sim
        kind = fault["kind"]
        if kind == "delay":
            time.sleep(fault["seconds"])
            if resp is None:
                return False
            self._send(resp)
            sim.log_request(self.command, self.path, resp.status, "delay", user)
            return True
        if kind == "restart":
            sim.restart()
            if resp is None:
                return False
            self._send(resp)
            sim.log_request(self.command, self.path, resp.status, "restart", user)
            return True
        if kind == "status":
            # As a reverse proxy or a starting Jenkins would answer: no X-Jenkins headers.
            status = fault["status"]
            body = fault.get("body")
            if body is None:
                try:
                    reason = HTTPStatus(status).phrase
                except ValueError:
                    reason = "Error"
                body = f"<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>\n"
            self._send(Response(status, body, "text/html;charset=utf-8", list(fault.get("headers", {}).items())))
            sim.log_request(self.command, self.path, status, "status", user)
            return True
        sim.log_request(self.command, self.path, None, kind, user)
        if kind == "hang":
            sim.release_event.wait()
        self._drop()
        return True

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, resp):
        try:
            self.send_response(resp.status)
            for name, value in resp.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if self.command != "HEAD" and resp.body:
                self.wfile.write(resp.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, sim_config, verbose=False):
        super().__init__(address, Handler)
        host, port = self.server_address[:2]
        self.sim = Simulator(sim_config, f"{host}:{port}")
        self.verbose = verbose


def write_port_file(path, port):
    """Write atomically: a reader never sees a partial file."""
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(tmp, "w") as handle:
        handle.write(f"{port}\n")
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Jenkins remote-access simulator (see the module docstring).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--config", help="JSON config file")
    parser.add_argument("--port-file", help="write the bound port to this file (atomically)")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)

    config = {}
    if args.config:
        with open(args.config) as handle:
            config = json.load(handle)
    try:
        server = SimServer((args.host, args.port), config, args.verbose)
    except ConfigError as exc:
        parser.error(f"invalid config: {exc}")
    port = server.server_address[1]

    # A parent may start us with signals blocked (threads of Swift's Dispatch block them, and a child keeps its
    # parent's mask); unblock the ones we stop on, or SIGTERM would stay pending forever.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, name="jenkins-sim", daemon=True)
    thread.start()
    if args.port_file:
        write_port_file(args.port_file, port)
    print(f"LISTENING {port}", flush=True)
    while not stop.wait(0.5):
        pass
    server.sim.shutdown()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
