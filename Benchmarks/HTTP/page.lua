-- wrk script: each connection is an agent with the session cookie in ACCORD_COOKIE opening the page
-- ACCORD_PATH, pausing between two pages a random time (exponentially distributed, mean
-- ACCORD_THINK_MS, default 0: the desk saturated) so agents ask at independent moments.
-- Responses other than 200 are counted and reported.
local cookie = os.getenv("ACCORD_COOKIE")
local path = os.getenv("ACCORD_PATH")
local think = tonumber(os.getenv("ACCORD_THINK_MS") or "0")
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 100 + offset)
  bad = 0
end

function request()
  return wrk.format("GET", path, { ["Cookie"] = cookie }, nil)
end

function delay()
  if think == 0 then return 0 end
  return math.floor(-think * math.log(1 - math.random()))
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad == 1 then io.stderr:write("unexpected " .. status .. "\n") end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("not 200: %d\n", total))
end
