-- wrk script for Benchmarks/scripts/bench_webhooks.sh: a distinct event in every request, one per request.
--
-- Environment (set by bench_webhooks.sh):
--   BENCH_MODE     storm | alertmanager | drift
--   BENCH_TOKEN    bearer token sent as Authorization (the Alertmanager token or the API token)
--   BENCH_OUT      directory for per-thread result files
--   BENCH_PHASE    two hex digits prefixed to every fingerprint / event id, distinct per run
--   BENCH_TOTAL    storm only: exact number of alerts to send in all (split across threads)
--   BENCH_THREADS  storm only: the wrk -t value
--
-- storm, alertmanager: POST /v1/webhooks/alertmanager, an Alertmanager v4 notification holding ONE firing alert,
--   label pipeline=storm, fingerprint PHASE + 14 hex digits of the index, startsAt a distinct millisecond.
--   storm sends exactly BENCH_TOTAL alerts (thread k sends indices k-1, k-1+T, ...): once a thread has sent its
--   share, delay() parks its connections, and when its last alert is answered it writes its file and stops.
--   The shell sends wrk SIGINT once every thread has written its file, so wrk's duration is the storm's.
-- drift: POST /v1/webhooks/drift {"pipeline":"storm","source":"bench","event_id":"bench-PHASE-THREAD-N"}.
--
-- Each thread writes BENCH_OUT/MODE-THREAD.ids (one line per 2xx: the fingerprint and disposition, or the
-- trigger id and disposition; flushed when wrk exits); in storm mode also BENCH_OUT/storm-THREAD.counts when it is
-- done (sent, 2xx, non-2xx, status counts). done() prints one `BENCH key=value ...` line with the totals.

local mode = os.getenv("BENCH_MODE") or "alertmanager"
local token = os.getenv("BENCH_TOKEN") or ""
local out = os.getenv("BENCH_OUT") or "."
local phase = os.getenv("BENCH_PHASE") or "00"
local total = tonumber(os.getenv("BENCH_TOTAL") or "0")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")

local counter = 1
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

-- Per-thread state; globals so that done() can read them with thread:get().
local headers, ids, statuses
quota, sent, answered, ok, bad, fillers = 0, 0, 0, 0, 0, 0
-- wrk calls request() once on the first thread before it starts, only to check it: that call sends nothing.
local verifying

local function alert_index(n)
  -- storm: thread `id` owns indices id-1, id-1+T, id-1+2T, ...; other modes: id in the top bits, no overlap.
  if mode == "storm" then return (id - 1) + n * nthreads end
  return id * 0x10000000 + n
end

local function starts_at(index)
  -- A distinct millisecond per index from 2026-11-22T00:00:00Z (valid while index < 86,400,000).
  local ms = index % 1000
  local s = math.floor(index / 1000)
  return string.format("2026-11-22T%02d:%02d:%02d.%03dZ", math.floor(s / 3600) % 24, math.floor(s / 60) % 60, s % 60, ms)
end

local function alert_body(index)
  local fp = string.format("%s%014x", phase, index)
  return '{"receiver":"retrain-webhook","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DatasetDrift",'
    .. '"pipeline":"storm","shard":"' .. index .. '","severity":"warning"},"annotations":{"summary":"bench storm alert ' .. index
    .. '"},"startsAt":"' .. starts_at(index) .. '","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://bench/graph",'
    .. '"fingerprint":"' .. fp .. '"}],"groupLabels":{"alertname":"DatasetDrift"},"commonLabels":{"alertname":"DatasetDrift",'
    .. '"pipeline":"storm"},"commonAnnotations":{},"externalURL":"http://bench:9093","version":"4",'
    .. '"groupKey":"{}:{alertname=\\"DatasetDrift\\"}","truncatedAlerts":0}'
end

function init(args)
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  ids = io.open(string.format("%s/%s-%d.ids", out, mode, id), "w")
  sent, answered, ok, bad, fillers = 0, 0, 0, 0, 0
  statuses = {}
  verifying = (id == 1)
  if mode == "storm" then
    quota = 0
    for i = id - 1, total - 1, nthreads do quota = quota + 1 end
  end
end

local function write_counts()
  local f = io.open(string.format("%s/%s-%d.counts", out, mode, id), "w")
  local parts = {}
  for status, n in pairs(statuses) do table.insert(parts, status .. ":" .. n) end
  f:write(string.format("sent=%d ok=%d bad=%d fillers=%d statuses=%s\n", sent, ok, bad, fillers, table.concat(parts, ",")))
  f:close()
end

if mode == "storm" then
  -- Park a connection once this thread's share is sent, so no filler requests are needed.
  function delay()
    if sent >= quota then return 3600000 end
    return 0
  end
end

function request()
  if verifying then
    verifying = false
    return wrk.format("GET", "/healthz", nil, nil)
  end
  if mode == "drift" then
    sent = sent + 1
    local body = string.format('{"pipeline":"storm","source":"bench","event_id":"bench-%s-%d-%d"}', phase, id, sent)
    return wrk.format("POST", "/v1/webhooks/drift", headers, body)
  end
  if mode == "storm" and sent >= quota then
    -- Only if a connection got past delay() just before the share ran out: a harmless read, not counted.
    fillers = fillers + 1
    return wrk.format("GET", "/healthz", nil, nil)
  end
  local index = alert_index(sent)
  sent = sent + 1
  return wrk.format("POST", "/v1/webhooks/alertmanager", headers, alert_body(index))
end

function response(status, hdrs, body)
  if mode == "storm" and status == 200 and not body:find('"alerts"', 1, true) then return end -- a filler's answer
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 200 and status < 300 then
    ok = ok + 1
    local disposition = body:match('"disposition"%s*:%s*"([%w_]+)"') or "?"
    if mode == "drift" then
      ids:write((body:match('"trigger_id"%s*:%s*(%d+)') or "?"), " ", disposition, "\n")
    else
      ids:write((body:match('"fingerprint"%s*:%s*"([%x]+)"') or "?"), " ", disposition, "\n")
    end
  else
    bad = bad + 1
    if bad <= 5 then io.stderr:write(string.format("bench_webhooks.lua: HTTP %d: %s\n", status, body:sub(1, 300))) end
  end
  if mode == "storm" and answered == quota then
    ids:close()
    write_counts()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local s, c, f, n2 = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + (thread:get("sent") or 0)
    c = c + (thread:get("ok") or 0)
    n2 = n2 + (thread:get("bad") or 0)
    f = f + (thread:get("fillers") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH mode=%s duration_s=%.3f completed=%d sent=%d ok=%d non2xx=%d fillers=%d rps=%.1f "
      .. "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f mean_ms=%.2f "
      .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    mode, summary.duration / 1e6, summary.requests, s, c, n2, f, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    latency.mean / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
