-- wrk script for bench/run.sh.
--
-- done() prints one machine-readable line (latencies in microseconds, from wrk's own histogram), so run.sh
-- needs no parsing of wrk's human output.
--
-- With WRK_PATHS set to a file of paths (one a line), each thread sends them in turn, starting at a
-- different place: requests spread over many instances. Defining request() makes wrk call Lua for every
-- request, which costs the load generator CPU, so a run to compare against (one instance) must use this
-- same mode with a file of one path.

local paths_file = os.getenv("WRK_PATHS")

if paths_file then
  local requests = {}
  local next_index = 1
  local threads = 0

  -- Runs in the main state once per thread before it starts: number the threads.
  function setup(thread)
    threads = threads + 1
    thread:set("thread_number", threads)
  end

  function init(args)
    for path in io.lines(paths_file) do
      requests[#requests + 1] = wrk.format("GET", path)
    end
    assert(#requests > 0, "WRK_PATHS names an empty file")
    -- Threads share no state: start each at its own place so they do not move in step.
    next_index = ((thread_number or 1) - 1) * 37 % #requests + 1
  end

  function request()
    local r = requests[next_index]
    next_index = next_index % #requests + 1
    return r
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT wrk requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d bytes=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, summary.bytes))
end
