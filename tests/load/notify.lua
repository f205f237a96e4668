-- wrk script: POSTs the urlencoded bodies of a file (one per line) in turn and counts the
-- answers. Usage: wrk -s notify.lua URL -- BODIES_FILE [MIN_SECONDS DONE_FILE]
-- With MIN_SECONDS (and one thread), DONE_FILE is created once MIN_SECONDS have passed and every
-- body was answered at least once; the caller then ends wrk with SIGINT (-d is the upper bound).
-- done() prints one line: "result requests=.. seconds=.. rps=.. p50_ms=.. p99_ms=.. ok=.. codes=200:N,..
-- socket_errors=..". php -S answers HTTP/1.0 without Content-Length, so every body ends at EOF,
-- which wrk also counts as a read error after each complete response; socket errors are
-- therefore connect + write + timeout errors plus the read errors beyond the responses.
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end

local bodies, i, answered, started, min_seconds, done_file = {}, 0, 0, os.time(), nil, nil
codes, oks = {}, 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  i = offset or 0
  min_seconds, done_file = tonumber(args[2]), args[3]
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, bodies[i])
end

function response(status, headers, body)
  local k = tostring(status)
  codes[k] = (codes[k] or 0) + 1
  if body == "OK" then oks = oks + 1 end
  answered = answered + 1
  if min_seconds and answered >= #bodies and os.time() - started >= min_seconds then
    min_seconds = nil
    io.open(done_file, "w"):close()
  end
end

function done(summary, latency, requests)
  local all, ok = {}, 0
  for _, t in ipairs(threads) do
    for k, n in pairs(t:get("codes")) do all[k] = (all[k] or 0) + n end
    ok = ok + t:get("oks")
  end
  local list, answered = {}, 0
  for k, n in pairs(all) do list[#list + 1] = k .. ":" .. n; answered = answered + n end
  table.sort(list)
  local e = summary.errors
  io.write(string.format("result requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p99_ms=%.2f ok=%d codes=%s socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, ok, table.concat(list, ","), e.connect + e.write + e.timeout + math.max(0, e.read - answered)))
end
