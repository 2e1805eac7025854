-- wrk script for bench/catalogue.py: each connection cycles through the request paths of a file
-- (one path a line, e.g. /katalog/?q=stunting), each thread from its own starting point, and
-- done() prints one line "RESULT {json}" with the latency percentiles (milliseconds), the
-- requests per second and the errors, which bench/catalogue.py reads.
--
--     wrk -t2 -c8 -d30s -s bench/catalogue.lua http://127.0.0.1:8765 -- paths.txt

local threads = {}
local counter = 1
local paths = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1]
  if file == nil then
    error("give the file of request paths after --")
  end
  for line in io.lines(file) do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no request path in " .. file)
  end
  -- Threads start at different places so that they do not ask for the same page together.
  counter = (number or 0) * math.floor(#paths / 7 + 1) % #paths + 1
  wrk.headers["Accept-Language"] = "id"
end

function request()
  local path = paths[counter]
  counter = counter % #paths + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local function ms(p)
    return latency:percentile(p) / 1000
  end
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50": %.3f, "p90": %.3f, '
      .. '"p95": %.3f, "p99": %.3f, "max": %.3f, "mean": %.3f, "non2xx": %d, '
      .. '"socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds, ms(50), ms(90), ms(95), ms(99),
    latency.max / 1000, latency.mean / 1000, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
