-- POST /api/v1/mail/inbound with a typical message (MAIL_FILE), each request a new message (its
-- Message-ID and a line of its text made unique, so no delivery is a duplicate), as a mail gateway
-- holding one connection would send them. The server's capacity without a process per message;
-- with MAIL_CONNECTION=close, a new connection per message, as a gateway process per message opens.
--   MAIL_TOKEN=acm_… MAIL_FILE=/tmp/mail.eml wrk -t2 -c16 -d10s --latency -s Benchmarks/HTTP/mail-inbound.lua http://127.0.0.1:8299
local template
local counter = 0
failures = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  local file = io.open(os.getenv("MAIL_FILE"), "rb")
  template = file:read("*a")
  file:close()
end

function request()
  counter = counter + 1
  local body = template:gsub("Message%-ID: [^\r\n]*", "Message-ID: <wrk-" .. id .. "-" .. counter .. "-" .. os.time() .. "@fjord.demo>", 1)
  body = body .. "\nwrk " .. id .. " " .. counter .. " " .. os.time() .. "\n"
  local headers = {
    ["Authorization"] = "Bearer " .. os.getenv("MAIL_TOKEN"),
    ["Content-Type"] = "message/rfc822",
    ["Accord-Envelope-Recipient"] = "support@plmgroup.no",
  }
  if os.getenv("MAIL_CONNECTION") == "close" then headers["Connection"] = "close" end
  return wrk.format("POST", "/api/v1/mail/inbound", headers, body)
end

function response(status, headers, body)
  if status ~= 202 or not body:find('"case%-created"') then failures = failures + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("failures") end
  io.write(string.format("answers other than 202 case-created: %d (plus %d socket errors)\n", total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
