-- wrk script of the gateway bench: sends the same GET on every connection (wrk's default request,
-- with the -H headers given on the command line) and, when the run ends, prints one line that
-- run.sh parses. No request()/response() callbacks: they would run Lua per request and make wrk
-- itself slower. Latencies are in microseconds; errors.status counts answers with status > 399
-- (wrk's definition of non-2xx/3xx; run.sh checks beforehand that the path answers 200).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d bytes=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d " ..
    "lat_p50_us=%.1f lat_p90_us=%.1f lat_p99_us=%.1f lat_p999_us=%.1f lat_mean_us=%.1f lat_max_us=%.1f\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.mean, latency.max))
end
