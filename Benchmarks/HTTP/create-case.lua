-- wrk script: every request logs a new case (POST /api/v1/cases) as the contact whose token is in
-- the environment variable ACCORD_TOKEN. The priorities cycle through ACCORD_PRIORITIES (comma
-- separated, default p2,p3,p4; "none" for policies without priorities, such as pro-plus).
-- Responses other than 201 are counted and reported.
local token = os.getenv("ACCORD_TOKEN")
local priorities = {}
for p in string.gmatch(os.getenv("ACCORD_PRIORITIES") or "p2,p3,p4", "[^,]+") do priorities[#priorities + 1] = p end
local counter = 0
local failures = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  sent = 0
  bad = 0
end

function request()
  sent = sent + 1
  local priority = priorities[(sent % #priorities) + 1]
  local field = priority == "none" and "" or string.format('"priority":"%s",', priority)
  local body = string.format('{"title":"Benchmark case %d-%d","description":"Logged by wrk",%s"channel":"web"}', id, sent, field)
  return wrk.format(nil, "/api/v1/cases", nil, body)
end

function response(status, headers, body)
  if status ~= 201 then
    bad = bad + 1
    if bad == 1 then io.stderr:write("unexpected " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("non-2xx/3xx: %d  socket errors: connect %d read %d write %d timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
