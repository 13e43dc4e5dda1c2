#!/usr/bin/env python3
"""Self-test of tools/jenkins-simulator/jenkins_simulator.py (stdlib only).

    python3 tools/jenkins-simulator/test_jenkins_simulator.py [-v]

Starts the simulator as a subprocess (time_scale 0.01: the 5 s quiet period is 50 ms and the
5-minute left-item expiry 3 s) and checks each behaviour from PROTOCOLS.md §2 it implements.
"""

import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

SIMULATOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jenkins_simulator.py")

BASE_CONFIG = {
    "users": {
        "alice": {"password": "pw", "api_token": "tok", "full_name": "Alice A"},
        "bob": {"password": "bobpw", "api_token": "bobtok"},
        "viewer": {"password": "vpw", "api_token": "vtok", "permissions": ["read", "build"]},
    },
    "time_scale": 0.01,
    "jobs": {
        "ml/retrain": {
            "parameters": [{"name": "MODEL", "default": "churn"}, {"name": "EPOCHS", "default": "3"},
                           {"name": "DRY", "type": "boolean"}],
            "build_duration_s": 30,
            "console": ["training ${MODEL} for ${EPOCHS} epochs", "epoch 1", "epoch 2", "saving"],
            "artifacts": {
                "out/metrics.json": {"accuracy": 0.94, "model": "${MODEL}", "build": "${BUILD_NUMBER}"},
                "logs/metrics.json": "raw ${MODEL}",
                "summary.txt": "model=${MODEL} epochs=${EPOCHS} job=${JOB_NAME}",
            },
        },
        "plain": {"remote_token": "s3cret", "build_duration_s": 20},
        "disabled-job": {"disabled": True, "parameters": [{"name": "X"}]},
        "slow": {"parameters": [{"name": "N"}], "build_duration_s": None},
        "pipe": {"type": "pipeline", "build_duration_s": 10, "result": "UNSTABLE"},
    },
}


def basic(user, secret):
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def headers_named(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


class Client:
    """A tiny HTTP client: no redirects followed, optional cookie jar, Basic auth."""

    def __init__(self, port, user=None, secret=None, keep_cookies=True):
        self.port = port
        self.auth = basic(user, secret) if user else None
        self.cookies = {}
        self.keep_cookies = keep_cookies

    def request(self, method, path, form=None, headers=None, timeout=10, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        hdrs = dict(headers or {})
        if self.auth:
            hdrs["Authorization"] = self.auth
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            reply = Reply(resp.status, resp.getheaders(), resp.read())
        finally:
            conn.close()
        if self.keep_cookies:
            for value in reply.headers_named("Set-Cookie"):
                name, rest = value.split("=", 1)
                self.cookies[name] = rest.split(";", 1)[0]
        return reply

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def crumb(self):
        reply = self.get("/crumbIssuer/api/json")
        assert reply.status == 200, reply.status
        return reply.json()["crumb"]


def start_simulator(config, extra_args=()):
    tmp = tempfile.mkdtemp(prefix="jenkins-sim-test-")
    config_path = os.path.join(tmp, "sim.json")
    with open(config_path, "w") as handle:
        json.dump(config, handle)
    proc = subprocess.Popen([sys.executable, SIMULATOR, "--port", "0", "--config", config_path, *extra_args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    match = re.fullmatch(r"LISTENING (\d+)\n", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"simulator did not start: {line!r} {proc.stderr.read()}")
    return proc, int(match.group(1)), tmp


def wait_until(predicate, timeout=5.0, interval=0.02):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)


class SimulatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, cls.port, cls.tmp = start_simulator(BASE_CONFIG)

    @classmethod
    def tearDownClass(cls):
        cls.proc.send_signal(signal.SIGTERM)
        cls.proc.wait(timeout=10)
        cls.proc.stdout.close()
        cls.proc.stderr.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.control("POST", "/__sim/reset")
        self.alice = Client(self.port, "alice", "tok")         # API token: no crumb needed
        self.anon = Client(self.port)

    # helpers ------------------------------------------------------------------------------------

    def control(self, method, path, payload=None):
        body = None if payload is None else json.dumps(payload)
        reply = Client(self.port).request(method, path, body=body)
        return reply.status, reply.json()

    def configure(self, patch):
        status, body = self.control("POST", "/__sim/config", patch)
        self.assertEqual(status, 200, body)

    def faults(self, *faults):
        status, body = self.control("POST", "/__sim/faults", list(faults))
        self.assertEqual(status, 200, body)

    def state(self):
        return self.control("GET", "/__sim/state")[1]

    def trigger(self, path="/job/ml/job/retrain/buildWithParameters", client=None, **params):
        query = ("?" + urllib.parse.urlencode(params)) if params else ""
        return (client or self.alice).post(path + query)

    def item_id(self, reply):
        match = re.fullmatch(rf"http://127\.0\.0\.1:{self.port}/queue/item/(\d+)/", reply.header("Location") or "")
        self.assertIsNotNone(match, reply.header("Location"))
        return int(match.group(1))

    def item(self, item_id):
        return self.alice.get(f"/queue/item/{item_id}/api/json")

    def wait_left(self, item_id, timeout=5.0):
        return wait_until(lambda: (lambda r: r.json() if r.status == 200 and
                                   r.json()["_class"] == "hudson.model.Queue$LeftItem" else None)(self.item(item_id)),
                          timeout)

    def wait_build_done(self, path, timeout=5.0):
        return wait_until(lambda: (lambda j: j if not j["building"] else None)(self.alice.get(path + "api/json").json()),
                          timeout)

    # CLI ----------------------------------------------------------------------------------------

    def test_cli_port_file_and_sigterm(self):
        port_file = os.path.join(self.tmp, "port.txt")
        proc, port, tmp = start_simulator({}, ["--port-file", port_file])
        try:
            with open(port_file) as handle:
                self.assertEqual(int(handle.read().strip()), port)
            self.assertEqual(Client(port).get("/api/json").status, 403)  # anonymous, no read
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=10), 0)
            self.assertEqual(proc.stdout.read(), "")  # exactly one line was printed
            proc.stdout.close()
            proc.stderr.close()
            shutil.rmtree(tmp, ignore_errors=True)

    def test_invalid_config_is_rejected(self):
        status, body = self.control("POST", "/__sim/config", {"jobs": {"x": {"result": "GREAT"}}})
        self.assertEqual(status, 400)
        self.assertIn("result", body["error"])
        status, _ = self.control("POST", "/__sim/config", {"jobs": {"ml": {}}})  # ml is a folder
        self.assertEqual(status, 400)

    # §2.1 auth and CSRF -------------------------------------------------------------------------

    def test_identity_headers(self):
        reply = self.alice.get("/")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.header("X-Jenkins"), "2.578")
        self.assertEqual(reply.header("X-Hudson"), "1.395")
        self.assertRegex(reply.header("X-Jenkins-Session"), r"^[0-9a-f]{8}$")
        root = self.alice.get("/api/json").json()
        self.assertEqual(root["_class"], "hudson.model.Hudson")
        self.assertIn({"_class": "com.cloudbees.hudson.plugins.folder.Folder", "name": "ml",
                       "url": f"http://127.0.0.1:{self.port}/job/ml/"}, root["jobs"])

    def test_anonymous_is_forbidden(self):
        for method, path in [("GET", "/api/json"), ("GET", "/job/plain/api/json"),
                             ("GET", "/crumbIssuer/api/json"), ("GET", "/queue/item/1/api/json")]:
            reply = self.anon.request(method, path)
            self.assertEqual(reply.status, 403, path)
            self.assertEqual(reply.header("X-You-Are-Authenticated-As"), "anonymous")
            self.assertEqual(reply.header("X-Required-Permission"), "hudson.model.Hudson.Read")
            self.assertIn("Authentication required", reply.text)

    def test_bad_credentials_401(self):
        for client in (Client(self.port, "alice", "wrong"), Client(self.port, "mallory", "pw")):
            reply = client.get("/api/json")
            self.assertEqual(reply.status, 401)
            self.assertEqual(reply.header("WWW-Authenticate"), 'Basic realm="Jenkins"')
        reply = self.anon.get("/api/json", headers={"Authorization": "Basic !!!notbase64"})
        self.assertEqual(reply.status, 401)

    def test_api_token_skips_crumb(self):
        reply = self.trigger(MODEL="a")
        self.assertEqual(reply.status, 201)

    def test_password_needs_crumb_bound_to_session(self):
        pw = Client(self.port, "alice", "pw")
        reply = self.trigger(client=pw, MODEL="a")
        self.assertEqual(reply.status, 403)
        self.assertIn("No valid crumb was included in the request", reply.text)

        crumb_reply = pw.get("/crumbIssuer/api/json")
        self.assertEqual(crumb_reply.status, 200)
        body = crumb_reply.json()
        self.assertEqual(body["_class"], "hudson.security.csrf.DefaultCrumbIssuer")
        self.assertEqual(body["crumbRequestField"], "Jenkins-Crumb")
        self.assertRegex(body["crumb"], r"^[0-9a-f]{64}$")
        cookie = crumb_reply.header("Set-Cookie")
        self.assertRegex(cookie, r"^JSESSIONID\.[0-9a-f]{8}=node0[0-9a-f]+\.node0; Path=/; HttpOnly$")
        crumb = body["crumb"]
        # Same session: the crumb is stable and no new cookie is set.
        again = pw.get("/crumbIssuer/api/json")
        self.assertEqual(again.json()["crumb"], crumb)
        self.assertIsNone(again.header("Set-Cookie"))

        # Crumb without the session cookie -> 403.
        no_cookie = Client(self.port, "alice", "pw", keep_cookies=False)
        self.assertEqual(no_cookie.post("/job/ml/job/retrain/buildWithParameters?MODEL=a",
                                        headers={"Jenkins-Crumb": crumb}).status, 403)
        # Crumb + cookie as a header -> 201; as a form field -> 201.
        self.assertEqual(pw.post("/job/ml/job/retrain/buildWithParameters?MODEL=a",
                                 headers={"Jenkins-Crumb": crumb}).status, 201)
        self.assertEqual(pw.post("/job/ml/job/retrain/buildWithParameters",
                                 form={"MODEL": "b", "Jenkins-Crumb": crumb}).status, 201)
        # The crumb is bound to the user too: bob with alice's session and crumb -> 403.
        bob = Client(self.port, "bob", "bobpw")
        bob.cookies = dict(pw.cookies)
        self.assertEqual(bob.post("/job/ml/job/retrain/buildWithParameters?MODEL=c",
                                  headers={"Jenkins-Crumb": crumb}).status, 403)
        # A wrong crumb -> 403.
        self.assertEqual(pw.post("/job/ml/job/retrain/buildWithParameters?MODEL=d",
                                 headers={"Jenkins-Crumb": "0" * 64}).status, 403)
        self.assertEqual(len(self.state()["queue"]), 2)

    def test_csrf_off(self):
        self.configure({"csrf": False})
        pw = Client(self.port, "alice", "pw")
        self.assertEqual(pw.get("/crumbIssuer/api/json").status, 404)
        self.assertEqual(self.trigger(client=pw, MODEL="a").status, 201)

    def test_crumb_xml_xpath(self):
        pw = Client(self.port, "alice", "pw")
        crumb = pw.crumb()
        reply = pw.get("/crumbIssuer/api/xml?xpath=" + urllib.parse.quote('concat(//crumbRequestField,":",//crumb)'))
        self.assertEqual(reply.text, f"Jenkins-Crumb:{crumb}")

    # §2.2 triggering ----------------------------------------------------------------------------

    def test_folder_job_and_absolute_location(self):
        reply = self.trigger(MODEL="x")
        self.assertEqual(reply.status, 201)
        self.assertEqual(reply.body, b"")
        item_id = self.item_id(reply)
        self.assertEqual(item_id, 1)
        folder = self.alice.get("/job/ml/api/json").json()
        self.assertEqual(folder["_class"], "com.cloudbees.hudson.plugins.folder.Folder")
        self.assertEqual(folder["jobs"][0]["name"], "retrain")
        self.assertEqual(folder["jobs"][0]["url"], f"http://127.0.0.1:{self.port}/job/ml/job/retrain/")
        job = self.alice.get("/job/ml/job/retrain/api/json").json()
        self.assertEqual(job["fullName"], "ml/retrain")
        self.assertEqual(job["fullDisplayName"], "ml » retrain")

    def test_identical_parameters_303_and_build_201(self):
        first = self.trigger(MODEL="x")
        self.assertEqual(first.status, 201)
        second = self.trigger(MODEL="x")
        self.assertEqual(second.status, 303)
        self.assertEqual(second.header("Location"), first.header("Location"))
        third = self.trigger(MODEL="y")
        self.assertEqual(third.status, 201)
        self.assertNotEqual(third.header("Location"), first.header("Location"))
        # /build on a job without parameters: still 201 with the existing item (JENKINS-66105).
        a = self.alice.post("/job/plain/build")
        b = self.alice.post("/job/plain/build")
        self.assertEqual((a.status, b.status), (201, 201))
        self.assertEqual(a.header("Location"), b.header("Location"))
        state = self.state()
        self.assertEqual(len(state["queue"]), 3)
        self.assertEqual([c["created"] for c in state["trigger_calls"]], [True, False, True, True, False])

    def test_disabled_job_409(self):
        for endpoint in ("build", "buildWithParameters"):
            reply = self.alice.post(f"/job/disabled-job/{endpoint}")
            self.assertEqual(reply.status, 409)
            self.assertIn("disabled-job is not buildable", reply.text)
        self.assertEqual(self.alice.get("/job/disabled-job/api/json").json()["color"], "disabled")

    def test_not_parameterized_400(self):
        reply = self.alice.post("/job/plain/buildWithParameters?X=1")
        self.assertEqual(reply.status, 400)
        self.assertIn("plain is not parameterized", reply.text)

    def test_get_405_and_remote_token(self):
        for path in ("/job/plain/build", "/job/ml/job/retrain/buildWithParameters"):
            reply = self.alice.get(path)
            self.assertEqual(reply.status, 405, path)
            self.assertEqual(reply.header("Allow"), "POST")
        # GET /build on a parameterized job renders the parameter form.
        self.assertEqual(self.alice.get("/job/ml/job/retrain/build").status, 200)
        # A valid token allows GET, even for anonymous, and records a RemoteCause.
        reply = self.anon.get("/job/plain/build?token=s3cret&cause=nightly")
        self.assertEqual(reply.status, 201)
        item = self.item(self.item_id(reply)).json()
        cause = item["actions"][0]["causes"][0]
        self.assertEqual(cause["_class"], "hudson.model.Cause$RemoteCause")
        self.assertEqual(cause["shortDescription"], "Started by remote host 127.0.0.1 with note: nightly")
        self.assertEqual(cause["note"], "nightly")
        # A wrong token -> 403, for anonymous and for users.
        for client in (self.anon, self.alice):
            reply = client.get("/job/plain/build?token=nope")
            self.assertEqual(reply.status, 403)
            self.assertIn("Invalid token provided.", reply.text)
        # With token_needs_read, anonymous hits the Overall/Read gate first (real core behaviour).
        self.configure({"token_needs_read": True})
        self.assertIn("Authentication required", self.anon.get("/job/plain/build?token=s3cret").text)

    def test_unknown_job_build_item_404(self):
        self.assertEqual(self.alice.post("/job/nope/build").status, 404)
        self.assertEqual(self.alice.get("/job/ml/job/nope/api/json").status, 404)
        self.assertEqual(self.alice.get("/job/plain/7/api/json").status, 404)
        self.assertEqual(self.alice.get("/job/plain/lastBuild/api/json").status, 404)
        self.assertEqual(self.alice.get("/queue/item/99/api/json").status, 404)
        self.assertEqual(self.alice.get("/nothing/here").status, 404)

    def test_parameters_defaults_unknown_duplicates_and_body(self):
        reply = self.alice.post("/job/ml/job/retrain/buildWithParameters?MODEL=q&UNKNOWN=1",
                                form={"DRY": "TRUE"})
        self.assertEqual(reply.status, 201)
        item = self.item(self.item_id(reply)).json()
        params = item["actions"][0]
        self.assertEqual(params["_class"], "hudson.model.ParametersAction")
        self.assertEqual(params["parameters"], [
            {"_class": "hudson.model.StringParameterValue", "name": "MODEL", "value": "q"},
            {"_class": "hudson.model.StringParameterValue", "name": "EPOCHS", "value": "3"},
            {"_class": "hudson.model.BooleanParameterValue", "name": "DRY", "value": True}])
        self.assertEqual(item["params"], "\nMODEL=q\nEPOCHS=3\nDRY=true")
        self.assertEqual(item["actions"][1]["causes"][0]["shortDescription"], "Started by user Alice A")
        # The same parameter in the query and in the body -> 500.
        reply = self.alice.post("/job/ml/job/retrain/buildWithParameters?MODEL=a", form={"MODEL": "b"})
        self.assertEqual(reply.status, 500)
        self.assertIn("Illegal number of parameter values for MODEL: 2", reply.text)
        self.assertEqual(len(self.state()["queue"]), 1)

    def test_build_on_parameterized_job_needs_json_form(self):
        reply = self.alice.post("/job/ml/job/retrain/build")
        self.assertEqual(reply.status, 400)
        self.assertIn("Nothing is submitted", reply.text)
        reply = self.alice.post("/job/ml/job/retrain/build?delay=0sec")
        self.assertIn("This page expects a form submission", reply.text)
        form = {"json": json.dumps({"parameter": [{"name": "MODEL", "value": "j"}]})}
        reply = self.alice.post("/job/ml/job/retrain/build", form=form)
        self.assertEqual(reply.status, 201)
        item = self.item(self.item_id(reply)).json()
        self.assertEqual(item["params"], "\nMODEL=j")  # only the submitted values
        # An identical item is already queued -> redirect to the job page.
        reply = self.alice.post("/job/ml/job/retrain/build", form=form)
        self.assertEqual(reply.status, 302)
        self.assertEqual(reply.header("Location"), f"http://127.0.0.1:{self.port}/job/ml/job/retrain/")

    def test_delay_parsing_and_quiet_period(self):
        self.configure({"time_scale": 0.1})
        # No delay: the default 5 s quiet period (500 ms at this scale).
        item = self.item(self.item_id(self.trigger(MODEL="default"))).json()
        self.assertEqual(item["_class"], "hudson.model.Queue$WaitingItem")
        self.assertAlmostEqual(item["timestamp"] - item["inQueueSince"], 500, delta=2)
        self.assertRegex(item["why"], r"^In the quiet period\. Expires in 0\.\d+ sec$")
        self.assertIsNone(item.get("buildableStartMilliseconds"))
        # delay=10sec and delay=3secs are seconds.
        item = self.item(self.item_id(self.trigger(MODEL="ten", delay="10sec"))).json()
        self.assertAlmostEqual(item["timestamp"] - item["inQueueSince"], 1000, delta=2)
        item = self.item(self.item_id(self.trigger(MODEL="three", delay="3secs"))).json()
        self.assertAlmostEqual(item["timestamp"] - item["inQueueSince"], 300, delta=2)
        # A bare number is milliseconds: delay=1500 -> 1 s (truncated); delay=5 -> 0 s.
        item = self.item(self.item_id(self.trigger(MODEL="ms", delay="1500"))).json()
        self.assertAlmostEqual(item["timestamp"] - item["inQueueSince"], 100, delta=2)
        started = self.trigger(path="/job/plain/build?delay=5")
        self.assertEqual(self.item(self.item_id(started)).json()["_class"], "hudson.model.Queue$LeftItem")
        self.assertEqual(self.alice.post("/job/plain/build?delay=soon").status, 500)

    # §2.3 queue ---------------------------------------------------------------------------------

    def test_queue_lifecycle_and_expiry(self):
        reply = self.trigger(MODEL="life")
        item_id = self.item_id(reply)
        waiting = self.item(item_id).json()
        self.assertEqual(waiting["url"], f"queue/item/{item_id}/")
        self.assertEqual(waiting["task"], {"_class": "hudson.model.FreeStyleProject", "name": "retrain",
                                           "url": f"http://127.0.0.1:{self.port}/job/ml/job/retrain/",
                                           "color": "notbuilt"})
        for key in ("blocked", "buildable", "stuck", "inQueueSince", "params", "actions", "why", "timestamp"):
            self.assertIn(key, waiting)
        self.assertIn("Queue item exists", self.alice.get(f"/queue/item/{item_id}/").text)
        left = self.wait_left(item_id)
        self.assertFalse(left["cancelled"])
        self.assertIsNone(left["why"])
        self.assertEqual(left["executable"], {"_class": "hudson.model.FreeStyleBuild", "number": 1,
                                              "url": f"http://127.0.0.1:{self.port}/job/ml/job/retrain/1/"})
        left_at = self.state()["queue"][0]["left_at"]
        # The left item stays 5 min (3 s here) after it left the queue, then 404.
        wait_until(lambda: self.item(item_id).status == 404, timeout=8)
        elapsed = self.state()["now_ms"] - left_at
        self.assertGreaterEqual(elapsed, 3000)
        self.assertTrue(self.state()["queue"][0]["expired"])
        # Fallback: find the build by queueId.
        job = self.alice.get("/job/ml/job/retrain/api/json?tree=builds[number,queueId,result,building,url]").json()
        self.assertEqual(job["builds"][0]["queueId"], item_id)
        self.assertEqual(job["builds"][0]["number"], 1)

    def test_blocked_then_started(self):
        first = self.item_id(self.trigger(path="/job/slow/buildWithParameters", N="1", delay="0sec"))
        self.wait_left(first)
        second = self.item_id(self.trigger(path="/job/slow/buildWithParameters", N="2", delay="0sec"))
        third = self.item_id(self.trigger(path="/job/slow/buildWithParameters", N="3", delay="0sec"))
        blocked = self.item(second).json()
        self.assertEqual(blocked["_class"], "hudson.model.Queue$BlockedItem")
        self.assertTrue(blocked["blocked"])
        self.assertEqual(blocked["why"], "Build #1 is already in progress (ETA: N/A)")
        self.assertIn("buildableStartMilliseconds", blocked)
        self.assertEqual(self.alice.get("/job/slow/api/json").json()["queueItem"]["id"], second)
        status, _ = self.control("POST", "/__sim/finish?job=slow&number=1&result=SUCCESS")
        self.assertEqual(status, 200)
        self.assertEqual(self.wait_left(second)["executable"]["number"], 2)
        still = self.item(third).json()
        # Build #1 (force-finished after a few ms) now gives an estimate, so an ETA or N/A shows.
        self.assertRegex(still["why"], r"^Build #2 is already in progress \(ETA: (N/A|\d+ ms)\)$")
        self.alice.post("/job/slow/2/stop")
        self.assertEqual(self.wait_left(third)["executable"]["number"], 3)
        # With an estimate from a finished build, the ETA is shown.
        self.control("POST", "/__sim/finish?job=slow&number=3")
        self.configure({"jobs": {"slow": {"build_duration_s": 100}}})
        fourth = self.item_id(self.trigger(path="/job/slow/buildWithParameters", N="4", delay="0sec"))
        self.wait_left(fourth)
        fifth = self.item_id(self.trigger(path="/job/slow/buildWithParameters", N="5", delay="0sec"))
        self.assertRegex(self.item(fifth).json()["why"], r"^Build #4 is already in progress \(ETA: .+\)$")

    def test_buildable_item(self):
        self.configure({"jobs": {"plain": {"buildable_s": 100}}})  # 1 s at time_scale 0.01
        item_id = self.item_id(self.alice.post("/job/plain/build?delay=0sec"))
        item = self.item(item_id).json()
        self.assertEqual(item["_class"], "hudson.model.Queue$BuildableItem")
        self.assertTrue(item["buildable"])
        self.assertFalse(item["pending"])
        self.assertEqual(item["why"], "Waiting for next available executor")
        self.assertIn("buildableStartMilliseconds", item)
        self.assertEqual(self.wait_left(item_id)["executable"]["number"], 1)

    def test_cancel(self):
        waiting = self.item_id(self.trigger(MODEL="c", delay="100sec"))
        self.assertEqual(self.alice.get(f"/queue/cancelItem?id={waiting}").status, 405)
        viewer = Client(self.port, "viewer", "vtok")
        reply = viewer.post(f"/queue/cancelItem?id={waiting}")
        self.assertEqual(reply.status, 422)
        self.assertIn(f"Item for id ({waiting}) is not cancellable", reply.text)
        self.assertEqual(self.alice.post(f"/queue/cancelItem?id={waiting}").status, 204)
        left = self.item(waiting).json()
        self.assertEqual(left["_class"], "hudson.model.Queue$LeftItem")
        self.assertTrue(left["cancelled"])
        self.assertIsNone(left["executable"])
        reply = self.alice.post("/queue/cancelItem?id=4242")
        self.assertEqual(reply.status, 404)
        self.assertIn("Provided id (4242) not found", reply.text)
        # An item that already left the queue cannot be cancelled (Queue.cancel fails -> 500).
        self.assertEqual(self.alice.post(f"/queue/cancelItem?id={waiting}").status, 500)
        self.assertEqual(self.state()["builds"], [])

    # §2.4 builds --------------------------------------------------------------------------------

    def test_build_lifecycle_and_job_json(self):
        item_id = self.item_id(self.trigger(MODEL="life"))
        self.wait_left(item_id)
        running = self.alice.get("/job/ml/job/retrain/1/api/json").json()
        self.assertTrue(running["building"])
        self.assertTrue(running["inProgress"])
        self.assertIsNone(running["result"])
        self.assertEqual(running["duration"], 0)
        self.assertEqual(running["executor"], {"_class": "hudson.model.Executor"})
        self.assertEqual(running["estimatedDuration"], -1)
        self.assertEqual(running["artifacts"], [])
        self.assertEqual((running["number"], running["id"], running["queueId"]), (1, "1", item_id))
        self.assertEqual(running["url"], f"http://127.0.0.1:{self.port}/job/ml/job/retrain/1/")
        self.assertEqual(running["fullDisplayName"], "ml » retrain #1")
        self.assertEqual(self.alice.get("/job/ml/job/retrain/api/json").json()["color"], "notbuilt_anime")
        done = self.wait_build_done("/job/ml/job/retrain/1/")
        self.assertEqual(done["result"], "SUCCESS")
        self.assertIsNone(done["executor"])
        self.assertFalse(done["inProgress"])
        self.assertGreaterEqual(done["duration"], 290)
        self.assertEqual(done["estimatedDuration"], done["duration"])
        self.assertIn({"displayPath": "out/metrics.json", "fileName": "metrics.json",
                       "relativePath": "out/metrics.json"}, done["artifacts"])
        self.assertIn({"displayPath": "summary.txt", "fileName": "summary.txt",
                       "relativePath": "summary.txt"}, done["artifacts"])
        job = self.alice.get("/job/ml/job/retrain/api/json").json()
        self.assertEqual(job["nextBuildNumber"], 2)
        self.assertEqual(job["color"], "blue")
        self.assertEqual(job["lastBuild"], {"_class": "hudson.model.FreeStyleBuild", "number": 1,
                                            "url": f"http://127.0.0.1:{self.port}/job/ml/job/retrain/1/"})
        self.assertEqual(job["builds"], [job["lastBuild"]])  # depth 0: only _class, number, url
        self.assertEqual(job["property"][0]["parameterDefinitions"][0]["defaultParameterValue"]["value"], "churn")
        self.assertEqual(self.alice.get("/job/ml/job/retrain/lastSuccessfulBuild/api/json").json()["number"], 1)

    def test_tree_filter(self):
        self.wait_left(self.item_id(self.trigger(MODEL="t", delay="0sec")))
        build = self.alice.get("/job/ml/job/retrain/1/api/json?tree=building,number,actions[parameters[name,value]]").json()
        self.assertEqual(set(build), {"_class", "building", "number", "actions"})
        self.assertEqual(build["actions"][0]["parameters"][0], {"_class": "hudson.model.StringParameterValue",
                                                                "name": "MODEL", "value": "t"})
        job = self.alice.get("/job/ml/job/retrain/api/json?tree=lastBuild,builds[number]{0,1}").json()
        self.assertEqual(job["lastBuild"], {"_class": "hudson.model.FreeStyleBuild"})
        self.assertEqual(job["builds"], [{"_class": "hudson.model.FreeStyleBuild", "number": 1}])
        self.assertEqual(self.alice.get("/job/ml/job/retrain/api/json?tree=builds[number").status, 400)

    def test_stop(self):
        self.wait_left(self.item_id(self.trigger(path="/job/slow/buildWithParameters", N="1", delay="0sec")))
        self.assertEqual(self.alice.get("/job/slow/1/stop").status, 405)
        viewer = Client(self.port, "viewer", "vtok")
        self.assertEqual(viewer.post("/job/slow/1/stop").status, 403)  # no Job/Cancel
        reply = self.alice.post("/job/slow/1/stop")
        self.assertEqual(reply.status, 302)
        self.assertEqual(reply.header("Location"), f"http://127.0.0.1:{self.port}/job/slow/1/")
        build = self.alice.get("/job/slow/1/api/json").json()
        self.assertEqual((build["building"], build["result"]), (False, "ABORTED"))
        console = self.alice.get("/job/slow/1/consoleText").text
        self.assertTrue(console.endswith("Aborted by Alice A\nFinished: ABORTED\n"), console)
        # Stopping a finished build is still a 302 and changes nothing.
        reply = self.alice.post("/job/slow/1/stop", headers={"Referer": "http://elsewhere/x"})
        self.assertEqual((reply.status, reply.header("Location")), (302, "http://elsewhere/x"))
        self.assertEqual(self.alice.get("/job/slow/1/api/json").json()["result"], "ABORTED")
        state = self.state()
        self.assertEqual(state["stop_calls"], 3)
        self.assertEqual(state["jobs"]["slow"]["builds"][0]["stop_calls"], 3)
        self.assertEqual([s["was_building"] for s in state["stops"]], [True, True, False])
        self.assertEqual(state["jobs"]["slow"]["builds"][0]["aborted_by"], "Alice A")

    def test_artifacts(self):
        self.wait_left(self.item_id(self.trigger(MODEL="m1", EPOCHS="9", delay="0sec")))
        self.assertEqual(self.alice.get("/job/ml/job/retrain/1/artifact/out/metrics.json").status, 404)
        self.wait_build_done("/job/ml/job/retrain/1/")
        reply = self.alice.get("/job/ml/job/retrain/1/artifact/out/metrics.json")
        self.assertEqual(reply.status, 200)
        self.assertTrue(reply.header("Content-Type").startswith("application/json"))
        self.assertEqual(reply.json(), {"accuracy": 0.94, "model": "m1", "build": "1"})
        reply = self.alice.get("/job/ml/job/retrain/1/artifact/summary.txt")
        self.assertEqual(reply.text, "model=m1 epochs=9 job=ml/retrain")
        self.assertEqual(self.alice.get("/job/ml/job/retrain/lastSuccessfulBuild/artifact/logs/metrics.json").text,
                         "raw m1")
        self.assertEqual(self.alice.get("/job/ml/job/retrain/1/artifact/nope.json").status, 404)
        self.assertEqual(self.alice.get("/job/ml/job/retrain/1/artifact/*zip*/archive.zip").body[:2], b"PK")
        artifacts = self.alice.get("/job/ml/job/retrain/1/api/json").json()["artifacts"]
        # Two files named metrics.json: the display paths keep a parent directory to differ.
        self.assertEqual({a["relativePath"]: a["displayPath"] for a in artifacts},
                         {"logs/metrics.json": "logs/metrics.json", "out/metrics.json": "out/metrics.json",
                          "summary.txt": "summary.txt"})

    def test_progressive_log(self):
        self.configure({"jobs": {"ml/retrain": {"build_duration_s": 100}}})  # 1 s
        self.wait_left(self.item_id(self.trigger(MODEL="log", delay="0sec")))
        first = self.alice.get("/job/ml/job/retrain/1/logText/progressiveText?start=0")
        self.assertEqual(first.status, 200)
        self.assertEqual(first.header("Content-Type"), "text/plain;charset=UTF-8")
        self.assertEqual(first.header("X-More-Data"), "true")
        size = int(first.header("X-Text-Size"))
        self.assertEqual(size, len(first.body))
        self.assertTrue(first.text.startswith("Started by user Alice A\n"))
        offset, text = size, first.text
        while True:
            reply = self.alice.get(f"/job/ml/job/retrain/1/logText/progressiveText?start={offset}")
            text += reply.text
            offset = int(reply.header("X-Text-Size"))
            if reply.header("X-More-Data") is None:
                break
            time.sleep(0.05)
        self.assertIn("training log for 3 epochs\nepoch 1\nepoch 2\nsaving\n", text)
        self.assertTrue(text.endswith("Finished: SUCCESS\n"))
        self.assertEqual(text, self.alice.get("/job/ml/job/retrain/1/consoleText").text)
        # A start past the end restarts from 0 ("text rolled over").
        self.assertEqual(self.alice.get("/job/ml/job/retrain/1/logText/progressiveText?start=999999").text, text)

    def test_pipeline_classes_and_result(self):
        item_id = self.item_id(self.alice.post("/job/pipe/build?delay=0sec"))
        left = self.wait_left(item_id)
        self.assertEqual(left["executable"]["_class"], "org.jenkinsci.plugins.workflow.job.WorkflowRun")
        self.assertEqual(left["task"]["_class"], "org.jenkinsci.plugins.workflow.job.WorkflowJob")
        running = self.alice.get("/job/pipe/1/api/json").json()
        self.assertEqual(running["executor"], {"_class": "hudson.model.OneOffExecutor"})
        self.assertIn("previousBuild", running)
        done = self.wait_build_done("/job/pipe/1/")
        self.assertEqual(done["result"], "UNSTABLE")
        self.assertEqual(self.alice.get("/job/pipe/api/json").json()["color"], "yellow")

    # control API --------------------------------------------------------------------------------

    def test_force_finish_and_state(self):
        self.wait_left(self.item_id(self.trigger(path="/job/slow/buildWithParameters", N="7", delay="0sec")))
        status, build = self.control("POST", "/__sim/finish?job=slow&number=1&result=FAILURE")
        self.assertEqual((status, build["result"]), (200, "FAILURE"))
        self.assertEqual(self.control("POST", "/__sim/finish?job=slow&number=1")[0], 409)
        self.assertEqual(self.control("POST", "/__sim/finish?job=slow&number=9")[0], 404)
        self.assertEqual(self.alice.get("/job/slow/api/json").json()["color"], "red")
        state = self.state()
        self.assertEqual(len(state["jobs"]["slow"]["builds"]), 1)
        self.assertEqual(state["builds"][0]["parameters"], {"N": "7"})
        self.assertEqual(state["queue"][0]["state"], "left")
        self.assertIn({"method": "POST", "path": "/job/slow/buildWithParameters?N=7&delay=0sec",
                       "status": 201, "fault": None, "user": "alice"}, state["requests"])
        self.assertFalse(any(r["path"].startswith("/__sim") for r in state["requests"]))

    def test_reset_restores_startup_config(self):
        self.configure({"csrf": False})
        self.control("POST", "/__sim/reset?keep_config=1")
        self.assertFalse(self.control("GET", "/__sim/config")[1]["csrf"])
        self.control("POST", "/__sim/reset")
        self.assertTrue(self.control("GET", "/__sim/config")[1]["csrf"])

    # faults -------------------------------------------------------------------------------------

    def test_fault_status(self):
        self.faults({"match": r"^GET /job/plain/api/json", "times": 2, "kind": "status", "status": 503},
                    {"match": r"^GET /api/json", "kind": "status", "status": 502, "body": "bad gateway",
                     "headers": {"Retry-After": "1"}})
        for _ in range(2):
            reply = self.alice.get("/job/plain/api/json")
            self.assertEqual(reply.status, 503)
            self.assertIsNone(reply.header("X-Jenkins"))
        self.assertEqual(self.alice.get("/job/plain/api/json").status, 200)
        reply = self.alice.get("/api/json")
        self.assertEqual((reply.status, reply.text, reply.header("Retry-After")), (502, "bad gateway", "1"))
        self.assertEqual(self.state()["faults"], [])

    def test_fault_drop_before_and_after(self):
        self.faults({"match": r"^POST /job/ml/job/retrain/buildWithParameters", "kind": "drop"})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.trigger(MODEL="dropped")
        self.assertEqual(self.state()["queue"], [])  # dropped before Jenkins saw it
        # "after": Jenkins queues the build, but the client never sees the 201.
        self.faults({"match": r"^POST /job/ml/job/retrain/buildWithParameters", "kind": "drop", "when": "after"})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.trigger(MODEL="lost-reply")
        self.assertEqual(len(self.state()["queue"]), 1)
        # A retry with identical parameters is folded into the same item (303), not a second build.
        self.assertEqual(self.trigger(MODEL="lost-reply").status, 303)
        self.assertEqual(len(self.state()["queue"]), 1)
        log = [(r["status"], r["fault"]) for r in self.state()["requests"]]
        self.assertEqual(log, [(None, "drop"), (None, "drop"), (303, None)])

    def test_fault_delay(self):
        self.faults({"match": r"^GET /job/plain/api/json", "kind": "delay", "seconds": 0.6})
        started = time.time()
        self.assertEqual(self.alice.get("/job/plain/api/json").status, 200)
        self.assertGreaterEqual(time.time() - started, 0.6)
        # For a client timeout: the client gives up before the answer.
        self.faults({"match": r"^GET /job/plain/api/json", "kind": "delay", "seconds": 1.0})
        with self.assertRaises(socket.timeout):
            self.alice.get("/job/plain/api/json", timeout=0.3)

    def test_fault_hang(self):
        self.faults({"match": r"^GET /queue/item/", "kind": "hang"})
        started = time.time()
        with self.assertRaises(socket.timeout):
            self.alice.get("/queue/item/1/api/json", timeout=0.5)
        self.assertGreaterEqual(time.time() - started, 0.5)
        self.assertEqual(self.state()["requests"][-1]["fault"], "hang")
        self.assertEqual(self.alice.get("/queue/item/1/api/json").status, 404)  # consumed: normal again

    def test_restart_forgets_left_items_and_sessions(self):
        pw = Client(self.port, "alice", "pw")
        crumb = pw.crumb()
        item_id = self.item_id(self.trigger(MODEL="r", delay="0sec"))
        self.wait_left(item_id)
        queued = self.item_id(self.trigger(MODEL="still-queued", delay="100sec"))
        session = self.alice.get("/api/json").header("X-Jenkins-Session")
        status, body = self.control("POST", "/__sim/restart")
        self.assertEqual((status, body["restarts"]), (200, 1))
        self.assertEqual(self.item(item_id).status, 404)  # left items are lost
        self.assertEqual(self.item(queued).status, 200)   # the queue itself is persisted
        self.assertNotEqual(self.alice.get("/api/json").header("X-Jenkins-Session"), session)
        self.assertEqual(self.alice.get("/job/ml/job/retrain/1/api/json").json()["queueId"], item_id)
        # The old session is gone, so the old crumb no longer works; a fresh one does.
        self.assertEqual(pw.post("/job/plain/build", headers={"Jenkins-Crumb": crumb}).status, 403)
        self.assertEqual(pw.post("/job/plain/build", headers={"Jenkins-Crumb": pw.crumb()}).status, 201)
        # The same as a fault kind: a restart triggered by a matching request.
        self.faults({"match": r"^GET /api/json", "kind": "restart"})
        self.assertEqual(self.alice.get("/api/json").status, 200)
        self.assertEqual(self.state()["restarts"], 2)


if __name__ == "__main__":
    unittest.main()
