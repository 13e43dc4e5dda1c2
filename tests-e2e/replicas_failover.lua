-- wrk script for tests-e2e/replicas_failover.sh: drift webhooks over many pipelines, with re-sends of events that
-- another wrk (the other replica's storm) sent, so that a duplicate arrives at a replica that did not accept it.
--
-- Run with -t N -c N (one connection per thread): each thread then alternates request() and response(), so every
-- answer is paired with the event it answers, and at most one request per thread is in flight.
--
-- Environment (set by replicas_failover.sh):
--   RF_SIDE       this storm's name (a1, b1, s2: replica letter + phase), part of every event id it sends
--   RF_OTHER      the storm whose events the re-sends repeat (none: no re-sends)
--   RF_RUN        run id, the prefix of every event id
--   RF_OUT        directory for the per-thread record files
--   RF_PIPELINES  number of pipelines, named p00, p01, ...
--   RF_DUP_EVERY  every Nth request re-sends an event of RF_OTHER instead of a new one (0: never)
--   RF_DUP_LAG    a re-send repeats RF_OTHER's event number (new events sent so far by this thread - LAG)
--   RF_DELAY_MS   pause before each request on a connection (0: as fast as answers come back)
--
-- Event id: RUN-SIDE-THREAD-N (N = 1, 2, ... per thread); its pipeline depends only on THREAD and N, so a re-send
-- of RUN-OTHER-THREAD-N by another storm names the same pipeline. Body:
--   {"pipeline": "pNN", "source": "rf", "event_id": "...", "reason": "replicas_failover SIDE"}
--
-- Each thread writes RF_OUT/SIDE-THREAD.rec, one line per answered request:
--   KIND EVENT_ID PIPELINE STATUS TRIGGER_ID CYCLE_ID DISPOSITION ANSWER_PIPELINE
-- (KIND new or dup; `-` for fields a non-2xx answer lacks). done() writes RF_OUT/SIDE.pending (the request each
-- thread had in flight when wrk stopped, or sent before a connection failed, never answered: `KIND EVENT_ID
-- PIPELINE`), RF_OUT/SIDE.latency (the
-- latency distribution of answered requests: `count N`, `max US`, then `P US` for P = 1..99 by 1, 99.1..99.9 by
-- 0.1, 99.99) and prints one `RF key=value ...` line with the totals.

local side = os.getenv("RF_SIDE") or "x1"
local other = os.getenv("RF_OTHER") or "none"
local run = os.getenv("RF_RUN") or "run"
local out = os.getenv("RF_OUT") or "."
local npipelines = tonumber(os.getenv("RF_PIPELINES") or "50")
local dup_every = tonumber(os.getenv("RF_DUP_EVERY") or "10")
local dup_lag = tonumber(os.getenv("RF_DUP_LAG") or "20")
local delay_ms = tonumber(os.getenv("RF_DELAY_MS") or "0")

local counter = 1
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

-- Per-thread state; globals so that done() can read them with thread:get().
sent, answered, ok, bad, dups_sent, fresh = 0, 0, 0, 0, 0, 0
pending = ""
-- Requests sent but never answered before the next one (the connection failed and wrk reconnected), one per line.
lost = ""
local headers, record, statuses
-- wrk calls request() once on the first thread before it starts, only to check it: that call sends nothing.
local verifying

local function pipeline_of(thread_id, n)
  return string.format("p%02d", (n + thread_id * 13) % npipelines)
end

function init(args)
  headers = { ["Content-Type"] = "application/json" }
  record = io.open(string.format("%s/%s-%d.rec", out, side, id), "w")
  statuses = {}
  verifying = (id == 1)
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function request()
  if verifying then
    verifying = false
    return wrk.format("GET", "/healthz", nil, nil)
  end
  if pending ~= "" then lost = lost .. pending .. "\n" end
  sent = sent + 1
  local kind, event_id, pipeline
  if dup_every > 0 and other ~= "none" and sent % dup_every == 0 and fresh > dup_lag then
    local n = fresh - dup_lag
    kind, event_id, pipeline = "dup", string.format("%s-%s-%d-%d", run, other, id, n), pipeline_of(id, n)
    dups_sent = dups_sent + 1
  else
    fresh = fresh + 1
    kind, event_id, pipeline = "new", string.format("%s-%s-%d-%d", run, side, id, fresh), pipeline_of(id, fresh)
  end
  pending = kind .. " " .. event_id .. " " .. pipeline
  local body = string.format('{"pipeline":"%s","source":"rf","event_id":"%s","reason":"replicas_failover %s"}',
    pipeline, event_id, side)
  return wrk.format("POST", "/v1/webhooks/drift", headers, body)
end

function response(status, hdrs, body)
  if pending == "" then return end -- the answer to a request sent by the verifying call (none is sent)
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 200 and status < 300 then
    ok = ok + 1
    record:write(string.format("%s %d %s %s %s %s\n", pending, status,
      body:match('"trigger_id"%s*:%s*(%d+)') or "-",
      body:match('"cycle_id"%s*:%s*"([%w_-]+)"') or "-",
      body:match('"disposition"%s*:%s*"([%w_]+)"') or "-",
      body:match('"pipeline"%s*:%s*"([%w_-]+)"') or "-"))
  else
    bad = bad + 1
    record:write(string.format("%s %d - - - -\n", pending, status))
    if bad <= 3 then io.stderr:write(string.format("replicas_failover.lua %s: HTTP %d: %s\n", side, status, body:sub(1, 300))) end
  end
  pending = ""
end

function done(summary, latency, requests)
  local s, a, c, n2, d = 0, 0, 0, 0, 0
  local pend = io.open(string.format("%s/%s.pending", out, side), "w")
  for _, thread in ipairs(threads) do
    s = s + (thread:get("sent") or 0)
    a = a + (thread:get("answered") or 0)
    c = c + (thread:get("ok") or 0)
    n2 = n2 + (thread:get("bad") or 0)
    d = d + (thread:get("dups_sent") or 0)
    pend:write(thread:get("lost") or "")
    local p = thread:get("pending") or ""
    if p ~= "" then pend:write(p, "\n") end
  end
  pend:close()
  local lat = io.open(string.format("%s/%s.latency", out, side), "w")
  lat:write(string.format("count %d\nmax %d\n", c, latency.max))
  for p = 1, 99 do lat:write(string.format("%g %d\n", p, latency:percentile(p))) end
  for p = 991, 999 do lat:write(string.format("%g %d\n", p / 10, latency:percentile(p / 10))) end
  lat:write(string.format("99.99 %d\n", latency:percentile(99.99)))
  lat:close()
  local e = summary.errors
  io.write(string.format(
    "RF side=%s duration_s=%.3f sent=%d answered=%d ok=%d non2xx=%d dups_sent=%d rps=%.1f "
      .. "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
      .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    side, summary.duration / 1e6, s, a, c, n2, d, c / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
