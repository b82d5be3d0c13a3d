# Sorts the samples of `perf script` (cpu-clock, call graphs) of the service into the layers a request
# passes, so that a profile reads as "where the CPU of one proxied request goes". Each sample counts once.
# First, anywhere in the stack:
#   thread-pool spin  the runtime's idle workers spinning (sched_yield) before they sleep
#   JIT               tiered compilation (libclrjit)
#   GC                garbage collection (GC threads, or gc frames on a worker)
# then by the leaf:
#   kernel            the leaf is in the kernel: TCP send/receive, epoll, scheduling
# then by the innermost frame, from the leaf up, that belongs to one of (frames of CoreLib, the runtime
# and libc are passed over, so their time goes to whichever library called them):
#   telemetry         OpenTelemetry listeners, Activity objects, HttpClient's DiagnosticsHandler
#   YARP + HttpClient forwarding and the connection to the instance
#   Kestrel + ASP.NET the server side: parsing, routing, middleware, the endpoint
#   Skia.Pool         the service's own code
# and what is left is "other".
# Usage: perf script -i perf.data | awk -f categories.awk
BEGIN { RS = ""; FS = "\n" }
{
  total++
  header = $1
  stack = ""
  for (i = 2; i <= NF; i++) stack = stack "\n" $i
  leaf = $2
  if (stack ~ /sched_yield|LowLevelSpinWaiter|LowLevelLifoSemaphore/) c = "thread-pool spin"
  else if (stack ~ /libclrjit/) c = "JIT"
  else if (header ~ /GC/ || stack ~ /gc_heap|GCHeap|WKS::|SVR::/) c = "GC"
  else if (leaf ~ /\[kernel/) c = "kernel"
  else {
    c = "other"
    for (i = 2; i <= NF; i++) {
      f = $i
      if (f ~ /OpenTelemetry|System\.Diagnostics\.Activity|DiagnosticsHandler|DiagnosticListener|HostingApplicationDiagnostics|ActivitySource|Propagator/) { c = "telemetry"; break }
      if (f ~ /Yarp|System\.Net\.Http/) { c = "YARP + HttpClient"; break }
      if (f ~ /Kestrel|AspNetCore|Microsoft\.Extensions/) { c = "Kestrel + ASP.NET"; break }
      if (f ~ /Skia\.Pool/) { c = "Skia.Pool"; break }
    }
  }
  n[c]++
}
END {
  split("thread-pool spin|JIT|GC|kernel|telemetry|YARP + HttpClient|Kestrel + ASP.NET|Skia.Pool|other", order, "|")
  for (k = 1; k in order; k++) {
    c = order[k]
    printf "%-18s %6.1f%%\n", c, 100 * n[c] / (total ? total : 1)
  }
  printf "%-18s %6d\n", "samples", total
}
