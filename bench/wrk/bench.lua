-- One request, repeated, described by environment variables so that no per-run Lua is
-- generated: BENCH_METHOD, BENCH_BODY_FILE (the body, bytes as they are) and
-- BENCH_HEADERS_FILE ("Name: value" lines; a precomputed signature goes here).
-- done() prints one JSON line, prefixed BENCH_RESULT, that bench/load.py reads.

local function slurp(path)
  if path == nil or path == "" then return nil end
  local file = assert(io.open(path, "rb"))
  local content = file:read("*a")
  file:close()
  return content
end

wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = slurp(os.getenv("BENCH_BODY_FILE"))
local headers = slurp(os.getenv("BENCH_HEADERS_FILE"))
if headers then
  for line in headers:gmatch("[^\r\n]+") do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
