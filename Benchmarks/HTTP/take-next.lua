-- wrk script: every request is one agent asking for the next case (POST /api/v1/take-next). The
-- agents' tokens are in the file named by ACCORD_TOKENS (one per line); requests cycle through them,
-- so each of the 50 connections speaks for a different agent in turn. 200 is a case handed out;
-- 204 means the queue ran dry (the run must be shorter than the queue is long); anything else is
-- reported. ACCORD_THINK_MS (default 0) is each agent's pause between two requests: 0 measures the
-- desk saturated, a pause models agents who work the case they took before asking again. With
-- ACCORD_THINK=random the pause is drawn anew each time (exponentially distributed, mean
-- ACCORD_THINK_MS), so agents ask at independent moments instead of in lockstep.
-- ACCORD_REQUEST (default "POST /api/v1/take-next") sends another request in the same pattern,
-- e.g. "GET /api/v1/me" to measure what the machine gives the cheapest authenticated request
-- (every 200 then counts as "handed out").
local method, path = (os.getenv("ACCORD_REQUEST") or "POST /api/v1/take-next"):match("^(%u+) (%S+)$")
local think = tonumber(os.getenv("ACCORD_THINK_MS") or "0")
local random_think = os.getenv("ACCORD_THINK") == "random"
local tokens = {}
for line in io.lines(os.getenv("ACCORD_TOKENS")) do
  if #line > 0 then tokens[#tokens + 1] = line end
end

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 100 + offset)
  sent = 0
  taken = 0
  dry = 0
  bad = 0
end

function request()
  sent = sent + 1
  local token = tokens[((sent * 2 + offset) % #tokens) + 1]
  return wrk.format(method, path, { ["Authorization"] = "Bearer " .. token }, nil)
end

function delay()
  if random_think then return math.floor(-think * math.log(1 - math.random())) end
  return think
end

function response(status, headers, body)
  if status == 200 then
    taken = taken + 1
  elseif status == 204 then
    dry = dry + 1
  else
    bad = bad + 1
    if bad == 1 then io.stderr:write("unexpected " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local total_taken, total_dry, total_bad = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_taken = total_taken + thread:get("taken")
    total_dry = total_dry + thread:get("dry")
    total_bad = total_bad + thread:get("bad")
  end
  io.write(string.format("p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("cases handed out %d, queue dry %d, other %d\n", total_taken, total_dry, total_bad))
end
