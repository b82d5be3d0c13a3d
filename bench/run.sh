#!/usr/bin/env bash
# Benchmarks of Skia.Pool (issue 6), on loopback only:
#   proxy  - req/s and latency with wrk against ONE backend instance: direct, through Skia.Pool, through
#            nginx, through configurable-http-proxy; 32/128 connections, 1 KiB/64 KiB bodies, repeated
#   large  - 1 GiB download and upload to the same instance: direct, through the pool, through nginx (streaming)
#            and configurable-http-proxy; each proxy's CPU per GiB, the service's RSS sampled
#   scale  - 100 running instances, requests spread over all of them vs always the same one; RSS
#   cold   - 50 fresh ids: first request through the pool vs FakeServe's own launch-to-first-answer
#
#   bench/run.sh                  the full run (about 25 minutes; 30 with --ceiling)
#   bench/run.sh --smoke          every part, tiny and short (about 30 s after the build); exits non-zero on
#                                 any failed request, never on a speed
#   bench/run.sh --only proxy,cold   some parts only
#   bench/run.sh --duration 5 --repeat 2 --conns 32 --bodies 1024   fewer, shorter proxy rows
#   BENCH_SERVICE_ENV="DOTNET_gcServer=0 OTEL_SDK_DISABLED=true" bench/run.sh ...   the service with extra
#                                 environment (recorded in the results), to try a setting
#   BENCH_LARGE_BYTES=268435456 BENCH_LARGE_REPEAT=1 bench/run.sh --only large   smaller, fewer large transfers
#                                 (default 1 GiB x 3; with --smoke 16 MiB x 1; these variables win over both)
#   bench/run.sh --ceiling        the proxy part gains a row: a bare relay on .NET sockets (no Kestrel, no
#                                 ASP.NET Core, no checks; Skia.Pool.Bench ceiling), what C# reaches here at best;
#                                 BENCH_CEILING_ENV="NAME=value ..." gives it extra environment
#   bench/run.sh --profile        also profile the service under load (perf, dotnet-counters) into
#                                 profile.txt; the whole run then has W^X off so perf can name JIT frames
#
# Installs what is missing (wrk and nginx from Debian, configurable-http-proxy from npm into bench/.tools),
# builds in Release, starts everything it measures and stops exactly that, by pid, also on Ctrl-C.
# Results: bench/results/<time>/ (<time>-smoke/ for --smoke): results.txt with every raw RESULT line, summary.md
# (none when the run was interrupted), and the logs of what it started (build, service, nginx, chp, ceiling).
#
# Ports (override with the environment): service 18000 (BENCH_SERVICE_PORT), nginx 18001 (BENCH_NGINX_PORT),
# chp 18002 and its API 18003 (BENCH_CHP_PORT, BENCH_CHP_API_PORT), the ceiling relay 18004 (BENCH_CEILING_PORT),
# directly launched FakeServes 18100-18199 (BENCH_DIRECT_PORT), pool slots 31000-31199 (BENCH_SLOT_PORT): below
# the kernel's ephemeral range (32768-60999 by default), where any outgoing connection may hold a slot's port
# and make its instance fail to bind.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SERVICE_PORT=${BENCH_SERVICE_PORT:-18000}
NGINX_PORT=${BENCH_NGINX_PORT:-18001}
CHP_PORT=${BENCH_CHP_PORT:-18002}
CHP_API_PORT=${BENCH_CHP_API_PORT:-18003}
CEILING_PORT=${BENCH_CEILING_PORT:-18004}
DIRECT_PORT=${BENCH_DIRECT_PORT:-18100}
SLOT_PORT=${BENCH_SLOT_PORT:-31000}
MAX_INSTANCES=200
CHP_VERSION=5.3.0

SMOKE=0 PROFILE=0 PROFILE_SECONDS=10 CEILING=0
SECTIONS=proxy,large,scale,cold
DURATION=10 WARMUP=3 REPEAT=3 CONNS="32 128" BODIES="1024 65536"
COLD_COUNT=${BENCH_COLD_COUNT:-50} LARGE_BYTES=$((1 << 30)) LARGE_REPEAT=3 SCALE_COUNT=100 SCALE_WARM=300 SCALE_DURATION=10 IDLE_WAIT=10

usage() { sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case $1 in
    --smoke)
      SMOKE=1
      DURATION=1 WARMUP=0 REPEAT=1 CONNS=32 BODIES=1024
      COLD_COUNT=3 LARGE_BYTES=$((16 << 20)) LARGE_REPEAT=1 SCALE_COUNT=5 SCALE_WARM=10 SCALE_DURATION=1 IDLE_WAIT=1 PROFILE_SECONDS=3
      ;;
    --only) SECTIONS=$2; shift ;;
    --profile) PROFILE=1 ;;
    --ceiling) CEILING=1 ;;
    --duration) DURATION=$2; SCALE_DURATION=$2; shift ;;
    --repeat) REPEAT=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    --bodies) BODIES=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
LARGE_BYTES=${BENCH_LARGE_BYTES:-$LARGE_BYTES} LARGE_REPEAT=${BENCH_LARGE_REPEAT:-$LARGE_REPEAT}

has_section() { [[ ",$SECTIONS," == *",$1,"* ]]; }
for section in ${SECTIONS//,/ }; do
  case $section in proxy|large|scale|cold) ;; *) echo "bench: unknown section '$section' (proxy, large, scale, cold)" >&2; exit 2 ;; esac
done
((CEILING)) && ! has_section proxy && { echo "bench: --ceiling is a row of the proxy part, which --only leaves out" >&2; exit 2; }
log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

BIN=$ROOT/Skia.Pool.Api/bin/Release/net10.0
BENCH_BIN=$ROOT/bench/Skia.Pool.Bench/bin/Release/net10.0/Skia.Pool.Bench
TOOLS=$ROOT/bench/.tools
CHP=$TOOLS/node_modules/.bin/configurable-http-proxy
stamp=$(date +%Y%m%d-%H%M%S)
OUT=$ROOT/bench/results/$stamp
((SMOKE)) && OUT+=-smoke
RESULTS=$OUT/results.txt
TMP=$(mktemp -d /tmp/skia-pool-bench.XXXXXX)
mkdir -p "$OUT"

# --- what we started, stopped by pid, newest first --------------------------------------------------

STARTED=()        # "pid:name"
INSTANCE_PIDS=()  # the pool's instances, checked after the pool is gone

wait_gone() { # pid seconds
  local deadline=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  ! kill -0 "$1" 2>/dev/null
}

stop_pid() { # pid name [grace seconds]
  local pid=$1 name=$2 grace=${3:-5}
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$grace"; then
    log "$name (pid $pid) did not stop on SIGTERM within ${grace}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || log "$name (pid $pid) is still there"
  fi
  wait "$pid" 2>/dev/null || true
}

forget() { # pid: drop from STARTED once stopped
  local keep=() entry
  for entry in "${STARTED[@]}"; do [[ ${entry%%:*} == "$1" ]] || keep+=("$entry"); done
  STARTED=("${keep[@]}")
}

cleanup() {
  local status=$? i entry pid
  trap - EXIT INT TERM
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    entry=${STARTED[i]}
    # The service stops its instances on SIGTERM; give it their grace period and some.
    if [[ ${entry#*:} == skia-pool ]]; then
      remember_instances
      stop_pid "${entry%%:*}" "${entry#*:}" 30
    else
      stop_pid "${entry%%:*}" "${entry#*:}"
    fi
  done
  # Instances the service started must be gone with it; if it could not stop one, do it here, by pid,
  # only if it is still a FakeServe (a reused pid is left alone).
  for pid in "${INSTANCE_PIDS[@]}"; do
    if grep -q 'Skia.Pool.FakeServe' "/proc/$pid/cmdline" 2>/dev/null; then
      log "instance pid $pid outlived the service: stopping it"
      stop_pid "$pid" instance
    fi
  done
  # The perf map the runtime wrote for --profile is ours to remove.
  [[ -n ${POOL_PID:-} ]] && rm -f "/tmp/perf-$POOL_PID.map" "/tmp/perfinfo-$POOL_PID.map"
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

started() { STARTED+=("$1:$2"); }

# --- tools -------------------------------------------------------------------------------------------

install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v npm >/dev/null || missing+=(nodejs npm)
  command -v curl >/dev/null || missing+=(curl)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  if ((PROFILE)); then
    command -v perf >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
    [[ -x $TOOLS/dotnet-counters ]] || dotnet tool install --tool-path "$TOOLS" dotnet-counters >/dev/null
  fi
  if [[ ! -x $CHP ]]; then
    log "installing configurable-http-proxy $CHP_VERSION from npm into bench/.tools"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "configurable-http-proxy@$CHP_VERSION" >/dev/null
  fi
}

build() {
  log "building the service and the bench tool (Release)"
  local project
  for project in Skia.Pool.Api bench/Skia.Pool.Bench; do
    dotnet build "$ROOT/$project" -c Release -nologo -v quiet >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; die "build of $project failed"; }
  done
}

# --- measurements from /proc -------------------------------------------------------------------------

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# User+system CPU seconds of the given pids together.
cpu_seconds() {
  local pid ticks=0 fields
  for pid in "$@"; do
    # Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
    fields=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    ticks=$((ticks + $(awk '{ print $12 + $13 }' <<<"$fields")))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

record_load() {
  read -r l1 l5 l15 _ </proc/loadavg
  echo "RESULT load when=$1 load1=$l1 load5=$l5 load15=$l15" >>"$RESULTS"
  log "load average before $1: $l1 $l5 $l15"
}

# --- the service -------------------------------------------------------------------------------------

POOL=http://127.0.0.1:$SERVICE_PORT
POOL_PID=

# What the service's instances get: its environment (the pool drops only the variables naming addresses)
# with Pool__Environment__* on top. A FakeServe launched directly must get the same to be comparable.
service_env() {
  echo ASPNETCORE_ENVIRONMENT=Development
  # Every FakeServe otherwise holds an inotify instance (the host's appsettings reload, made before FakeServe
  # clears its configuration), and root may have 128 on this machine, shared with every test run on it:
  # the 151st instance of a full run died of "The configured user limit (128) on the number of inotify
  # instances has been reached". Polling instead of inotify; DOTNET_hostBuilder__reloadConfigOnChange
  # would be cleaner, but Pool__Environment__ cannot carry a name with "__" (configuration splits it).
  echo Pool__Environment__DOTNET_USE_POLLING_FILE_WATCHER=1
  echo ${BENCH_SERVICE_ENV:-}
  if ((PROFILE)); then
    # perf needs a map of JIT'd code, and code not double-mapped (W^X), to name managed frames.
    echo DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
    echo Pool__Environment__DOTNET_PerfMapEnabled=0 Pool__Environment__DOTNET_EnableWriteXorExecute=1
  fi
}

instance_env() {
  local pair inherited=() overrides=()
  for pair in $(service_env); do
    case $pair in
      Pool__Environment__*) overrides+=("${pair#Pool__Environment__}") ;;
      Pool__*) ;;
      *) inherited+=("$pair") ;;
    esac
  done
  echo "${inherited[@]}" "${overrides[@]}"
}

start_pool() {
  log "starting Skia.Pool on $POOL (slots from port $SLOT_PORT, $MAX_INSTANCES slots)"
  # From its own folder: the content root is the working directory, and appsettings*.json live there.
  (
    cd "$BIN"
    exec env ASPNETCORE_URLS="$POOL" \
      Pool__StartPort="$SLOT_PORT" Pool__MaxInstances="$MAX_INSTANCES" Pool__MinFreeSlots=10 \
      Pool__StateDirectory="$TMP/state" \
      $(service_env) \
      ./Skia.Pool.Api
  ) >>"$OUT/service.log" 2>&1 &
  POOL_PID=$!
  started "$POOL_PID" skia-pool
  local deadline=$((SECONDS + 30))
  until curl -fsS -o /dev/null "$POOL/healthz" 2>/dev/null; do
    kill -0 "$POOL_PID" 2>/dev/null || die "the service exited at start; see $OUT/service.log"
    ((SECONDS < deadline)) || die "the service did not answer /healthz within 30 s"
    sleep 0.1
  done
}

# Every instance pid the service reports, so cleanup can check they all went with it.
remember_instances() {
  local pids
  pids=$(curl -fsS "$POOL/instances" 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      for (const i of JSON.parse(s)) if (i.pid) console.log(i.pid);
    });' 2>/dev/null) || return 0
  INSTANCE_PIDS+=($pids)
}

# "port pid" of the instance of an id.
instance_of() {
  curl -fsS "$POOL/instances" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const i = JSON.parse(s).find(i => i.id === process.argv[1]);
      if (!i) process.exit(1);
      console.log(i.port, i.pid);
    });' "$1"
}

ID= BACKEND_PORT= BACKEND_PID=
NGINX_PID= CHP_PID= CEILING_PID=  # set while they run

ensure_instance() {
  [[ -n $ID ]] && return 0
  ID=$(cat /proc/sys/kernel/random/uuid)
  curl -fsS -o /dev/null "$POOL/$ID/bytes/1" || die "the pool did not start an instance"
  read -r BACKEND_PORT BACKEND_PID < <(instance_of "$ID")
  log "benchmark instance: slot port $BACKEND_PORT, pid $BACKEND_PID"
}

# --- the other proxies -------------------------------------------------------------------------------

start_nginx() {
  local dir=$TMP/nginx
  mkdir -p "$dir"/{client_body,proxy,fastcgi,uwsgi,scgi}
  # Workers run as nobody: they need their temp folders (a 64 KiB answer may overflow proxy buffers).
  chmod 711 "$TMP"
  chown nobody "$dir"/{client_body,proxy,fastcgi,uwsgi,scgi} 2>/dev/null || chmod 777 "$dir"/{client_body,proxy,fastcgi,uwsgi,scgi}
  cat >"$dir/nginx.conf" <<EOF
# Generated by bench/run.sh: what an operator would write to put nginx in front of one instance.
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;  # Skia.Pool logs no line per request either
  client_body_temp_path $dir/client_body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  client_max_body_size 1g;
  upstream instance {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 256;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location /$ID/ {
      proxy_pass http://instance/;  # the trailing slash strips /$ID
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Prefix /$ID;
    }
    # The large bodies: streamed both ways, as the pool does, instead of nginx's default of reading the
    # whole upload first and spilling a large answer into temporary files; no size limit; 64 KiB per read,
    # the size of YARP's buffers (a streaming nginx otherwise reads 8 KiB of an upload, 4 KiB of an answer).
    location /stream/$ID/ {
      proxy_pass http://instance/;  # strips /stream/$ID
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Prefix /stream/$ID;
      client_max_body_size 0;
      proxy_request_buffering off;
      proxy_buffering off;
      client_body_buffer_size 64k;
      proxy_buffer_size 64k;
      proxy_buffers 4 64k;  # unused when not buffering, but nginx checks proxy_busy_buffers_size (2 x 64k) against them
    }
  }
}
EOF
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" >"$OUT/nginx.log" 2>&1 &
  NGINX_PID=$!
  started "$NGINX_PID" nginx
  wait_http "http://127.0.0.1:$NGINX_PORT/$ID/bytes/1" nginx "$NGINX_PID"
  wait_http "http://127.0.0.1:$NGINX_PORT/stream/$ID/bytes/1" nginx "$NGINX_PID"
}

stop_nginx() { stop_pid "$NGINX_PID" nginx && forget "$NGINX_PID"; NGINX_PID=; }

start_chp() {
  local token
  token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  CONFIGPROXY_AUTH_TOKEN=$token "$CHP" --ip 127.0.0.1 --port "$CHP_PORT" --api-ip 127.0.0.1 --api-port "$CHP_API_PORT" \
    --no-include-prefix --log-level warn >"$OUT/chp.log" 2>&1 &
  CHP_PID=$!
  started "$CHP_PID" configurable-http-proxy
  local deadline=$((SECONDS + 20))
  until curl -fsS -o /dev/null -H "Authorization: token $token" "http://127.0.0.1:$CHP_API_PORT/api/routes" 2>/dev/null; do
    kill -0 "$CHP_PID" 2>/dev/null || die "configurable-http-proxy exited at start; see $OUT/chp.log"
    ((SECONDS < deadline)) || die "configurable-http-proxy's API did not answer within 20 s"
    sleep 0.1
  done
  # The route goes in as JupyterHub adds a user's server: through the REST API.
  curl -fsS -X POST -H "Authorization: token $token" -H 'Content-Type: application/json' \
    -d "{\"target\": \"http://127.0.0.1:$BACKEND_PORT\"}" "http://127.0.0.1:$CHP_API_PORT/api/routes/$ID" \
    || die "could not add the route to configurable-http-proxy"
  wait_http "http://127.0.0.1:$CHP_PORT/$ID/bytes/1" configurable-http-proxy "$CHP_PID"
}

stop_chp() { stop_pid "$CHP_PID" configurable-http-proxy && forget "$CHP_PID"; CHP_PID=; }

# --ceiling: a bare relay on .NET sockets in front of the same instance (bench/Skia.Pool.Bench/CeilingRelay.cs),
# with the service's runtime settings (server GC, no thread-pool spinning: Skia.Pool.Api.csproj), not the
# bench tool's own, plus BENCH_CEILING_ENV.
ceiling_env() { echo DOTNET_gcServer=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 ${BENCH_CEILING_ENV:-}; }

start_ceiling() {
  env $(ceiling_env) "$BENCH_BIN" ceiling --listen "$CEILING_PORT" --backend "$BACKEND_PORT" >"$OUT/ceiling.log" 2>&1 &
  CEILING_PID=$!
  started "$CEILING_PID" ceiling-relay
  wait_http "http://127.0.0.1:$CEILING_PORT/$ID/bytes/1" ceiling-relay "$CEILING_PID"
}

stop_ceiling() { stop_pid "$CEILING_PID" ceiling-relay && forget "$CEILING_PID"; CEILING_PID=; }

wait_http() { # url name pid
  local deadline=$((SECONDS + 20))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || die "$2 exited at start; see $OUT"
    ((SECONDS < deadline)) || die "$2 did not answer $1 within 20 s"
    sleep 0.1
  done
}

# --- wrk -----------------------------------------------------------------------------------------------

FAILED_REQUESTS=0

# run_wrk CONTEXT CONNS SECONDS URL [cpu pids...]: one measured run; appends its RESULT line with CONTEXT.
run_wrk() {
  local context=$1 conns=$2 seconds=$3 url=$4 line cpu0 cpu1 backend0 backend1
  shift 4
  cpu0=$(cpu_seconds "$@")
  backend0=$(cpu_seconds "$BACKEND_PID")
  line=$(wrk -t2 -c"$conns" -d"${seconds}s" -s "$ROOT/bench/wrk/report.lua" "$url" | grep '^RESULT wrk ') \
    || die "wrk failed against $url"
  cpu1=$(cpu_seconds "$@")
  backend1=$(cpu_seconds "$BACKEND_PID")
  line="${line/RESULT wrk /RESULT wrk $context conns=$conns }"
  line+=" proxy_cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')"
  line+=" backend_cpu_s=$(awk -v a="$backend0" -v b="$backend1" 'BEGIN { printf "%.2f", b - a }')"
  echo "$line" >>"$RESULTS"
  local errors
  errors=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] ~ /^(connect|read|write|status|timeout)$/) n += kv[2] } } END { print n + 0 }' <<<"$line")
  FAILED_REQUESTS=$((FAILED_REQUESTS + errors))
  log "$context conns=$conns: $(grep -o 'rps=[0-9.]*' <<<"$line") $(grep -o 'p99_us=[0-9]*' <<<"$line") errors=$errors"
}

check_body() { # url bytes
  local got
  got=$(curl -fsS -o /dev/null -w '%{http_code} %{size_download}' "$1") || die "GET $1 failed"
  [[ $got == "200 $2" ]] || die "GET $1 answered '$got', expected '200 $2'"
}

# --- the parts -----------------------------------------------------------------------------------------

section_idle() {
  log "idle: waiting ${IDLE_WAIT}s for the fresh service to settle"
  sleep "$IDLE_WAIT"
  echo "RESULT rss when=idle slots=$MAX_INSTANCES instances=0 kib=$(rss_kib "$POOL_PID")" >>"$RESULTS"
}

section_proxy() {
  record_load proxy
  ensure_instance
  start_nginx
  start_chp
  local nginx_pids chp_pids conns body rep row url rows=(direct pool nginx chp)
  nginx_pids=("$NGINX_PID" $(pgrep -P "$NGINX_PID"))
  chp_pids=("$CHP_PID")
  if ((CEILING)); then
    start_ceiling
    rows+=(ceiling)
  fi
  for body in $BODIES; do
    for row in "${rows[@]}"; do check_body "$(row_url "$row" "$body")" "$body"; done
  done
  # The service is a JIT: on a busy machine its hot paths reach their final tier only after several
  # seconds under load. Measure it warm, as it runs in production.
  if ((WARMUP > 0)); then
    log "proxy: warming the service up for $((3 * WARMUP))s"
    wrk -t2 -c32 -d"$((3 * WARMUP))s" "$(row_url pool 1024)" >/dev/null
  fi
  for conns in $CONNS; do
    for body in $BODIES; do
      for ((rep = 1; rep <= REPEAT; rep++)); do
        for row in "${rows[@]}"; do
          url=$(row_url "$row" "$body")
          # Warm-up (JIT, connection pools at this concurrency) before the first repetition only.
          if ((rep == 1 && WARMUP > 0)); then wrk -t2 -c"$conns" -d"${WARMUP}s" "$url" >/dev/null; fi
          case $row in
            direct) run_wrk "section=proxy row=$row body=$body rep=$rep" "$conns" "$DURATION" "$url" ;;
            pool) run_wrk "section=proxy row=$row body=$body rep=$rep" "$conns" "$DURATION" "$url" "$POOL_PID" ;;
            nginx) run_wrk "section=proxy row=$row body=$body rep=$rep" "$conns" "$DURATION" "$url" "${nginx_pids[@]}" ;;
            chp) run_wrk "section=proxy row=$row body=$body rep=$rep" "$conns" "$DURATION" "$url" "${chp_pids[@]}" ;;
            ceiling) run_wrk "section=proxy row=$row body=$body rep=$rep" "$conns" "$DURATION" "$url" "$CEILING_PID" ;;
          esac
        done
      done
    done
  done
  # The pool must not have replaced the instance under the other rows.
  local now
  read -r _ now < <(instance_of "$ID")
  [[ $now == "$BACKEND_PID" ]] || die "the benchmark instance changed during the run (pid $BACKEND_PID -> $now)"
  echo "RESULT rss when=after-proxy-rows slots=$MAX_INSTANCES instances=1 kib=$(rss_kib "$POOL_PID")" >>"$RESULTS"
  stop_chp
  stop_nginx
  ((CEILING)) && stop_ceiling
  return 0
}

row_url() { # row body
  case $1 in
    direct) echo "http://127.0.0.1:$BACKEND_PORT/bytes/$2" ;;
    pool) echo "$POOL/$ID/bytes/$2" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT/$ID/bytes/$2" ;;
    chp) echo "http://127.0.0.1:$CHP_PORT/$ID/bytes/$2" ;;
    ceiling) echo "http://127.0.0.1:$CEILING_PORT/$ID/bytes/$2" ;;
  esac
}

# The peers carry the same transfers to the same instance, in turn with direct and the pool, so the ratio of
# the pool to nginx says what a proxy costs on this machine and what is the pool's own.
section_large() {
  record_load large
  ensure_instance
  local own_nginx=0 own_chp=0
  [[ -n $NGINX_PID ]] || { start_nginx; own_nginx=1; }
  [[ -n $CHP_PID ]] || { start_chp; own_chp=1; }
  "$BENCH_BIN" large --pool "$POOL/$ID" --direct "http://127.0.0.1:$BACKEND_PORT" --pid "$POOL_PID" \
    --nginx "http://127.0.0.1:$NGINX_PORT/stream/$ID" --nginx-pids "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" \
    --chp "http://127.0.0.1:$CHP_PORT/$ID" --chp-pids "$CHP_PID" \
    --bytes "$LARGE_BYTES" --repeat "$LARGE_REPEAT" | tee -a "$RESULTS" >/dev/null || die "large bodies failed"
  ((own_chp)) && stop_chp
  ((own_nginx)) && stop_nginx
  return 0
}

section_scale() {
  record_load scale
  ensure_instance
  local running more ids=$TMP/ids one=$TMP/one-path many=$TMP/many-paths conns rep
  running=$(curl -fsS "$POOL/instances" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).filter(i=>i.state==="running").length))')
  more=$((SCALE_COUNT - running))
  echo "$ID" >"$ids"
  if ((more > 0)); then
    log "scale: starting $more more instances"
    # Each new instance also gets SCALE_WARM requests: FakeServe is a JIT, and 100 of them half-compiled
    # on two cores would measure their warm-up, not the pool (skiaserve, native code, has none).
    "$BENCH_BIN" spawn --pool "$POOL" --count "$more" --out "$TMP/spawned" --warm "$SCALE_WARM" | tee -a "$RESULTS" >/dev/null \
      || die "could not start $more instances"
    cat "$TMP/spawned" >>"$ids"
  fi
  echo "/$ID/bytes/1024" >"$one"
  head -n "$SCALE_COUNT" "$ids" | sed 's|.*|/&/bytes/1024|' >"$many"
  local count
  count=$(wc -l <"$many")
  for conns in $CONNS; do
    # Warm-up: every instance's first requests (their JIT, the pool's connections to them).
    WRK_PATHS=$many wrk -t2 -c"$conns" -d"$((WARMUP > 0 ? WARMUP : 1))s" -s "$ROOT/bench/wrk/report.lua" "$POOL/" >/dev/null
    for ((rep = 1; rep <= REPEAT; rep++)); do
      WRK_PATHS=$one run_wrk "section=scale row=one instances=$count rep=$rep" "$conns" "$SCALE_DURATION" "$POOL/" "$POOL_PID"
      WRK_PATHS=$many run_wrk "section=scale row=many instances=$count rep=$rep" "$conns" "$SCALE_DURATION" "$POOL/" "$POOL_PID"
    done
  done
  echo "RESULT rss when=$count-instances-after-load slots=$MAX_INSTANCES instances=$count kib=$(rss_kib "$POOL_PID")" >>"$RESULTS"
  # The instances' own memory, for the operator's sizing.
  local pids
  pids=$(curl -fsS "$POOL/instances" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const i of JSON.parse(s))if(i.pid)console.log(i.pid)})')
  for pid in $pids; do rss_kib "$pid"; done | sort -n | awk '{ v[NR] = $1; t += $1 } END { print "RESULT instances-rss count=" NR " median_kib=" v[int((NR + 1) / 2)] " total_kib=" t }' >>"$RESULTS"
}

# The service's own account of its starts so far, from /metrics: "launch_sum launch_count readiness_sum
# readiness_count start_sum start_count" (seconds; starts that succeeded).
start_phase_totals() {
  curl -fsS "$POOL/metrics" | awk '
    function phase() { match($0, /phase="[a-z]+"/); return substr($0, RSTART + 7, RLENGTH - 8) }
    /^skia_pool_instance_start_phase_duration_seconds_sum[{]/ { t[phase() "_sum"] += $NF }
    /^skia_pool_instance_start_phase_duration_seconds_count[{]/ { t[phase() "_count"] += $NF }
    /^skia_pool_instance_start_duration_seconds_sum[{]/ && /outcome="started"/ { t["start_sum"] += $NF }
    /^skia_pool_instance_start_duration_seconds_count[{]/ && /outcome="started"/ { t["start_count"] += $NF }
    END { print t["launch_sum"] + 0, t["launch_count"] + 0, t["readiness_sum"] + 0, t["readiness_count"] + 0, t["start_sum"] + 0, t["start_count"] + 0 }'
}

section_cold() {
  record_load cold
  local before
  before=$(start_phase_totals)
  "$BENCH_BIN" cold --pool "$POOL" --fakeserve "$BIN/Skia.Pool.FakeServe" --direct-port "$DIRECT_PORT" \
    --count "$COLD_COUNT" --warmup 2 --child-env "$(instance_env)" | tee -a "$RESULTS" >/dev/null || die "cold start failed"
  # Where the pool's starts spent their time, as the service measured it (means over this section's starts).
  echo "$before $(start_phase_totals)" | awk '{
    n1 = $8 - $2; n2 = $10 - $4; n3 = $12 - $6
    printf "RESULT cold-phases starts=%d launch_mean_ms=%.2f readiness_mean_ms=%.2f start_mean_ms=%.2f\n",
      n3, (n1 > 0 ? ($7 - $1) * 1000 / n1 : 0), (n2 > 0 ? ($9 - $3) * 1000 / n2 : 0), (n3 > 0 ? ($11 - $5) * 1000 / n3 : 0)
  }' >>"$RESULTS"
}

# Where the service's CPU goes under the 32-connection, 1 KiB load (perf, sorted by bench/perf/categories.awk),
# and its allocations, thread-pool work items and GC per request (dotnet-counters).
section_profile() {
  record_load profile
  ensure_instance
  local data=$TMP/perf.data counters=$TMP/counters.csv wrk_out=$TMP/profile-wrk.txt total=$((2 * PROFILE_SECONDS + 9))
  log "profile: ${total}s of load; perf for ${PROFILE_SECONDS}s, then dotnet-counters for ${PROFILE_SECONDS}s"
  wrk -t2 -c32 -d"${total}s" -s "$ROOT/bench/wrk/report.lua" "$(row_url pool 1024)" >"$wrk_out" &
  local wrk_pid=$!
  started "$wrk_pid" wrk
  sleep 2
  perf record -e cpu-clock -F 999 -g -p "$POOL_PID" -o "$data" -- sleep "$PROFILE_SECONDS" >/dev/null 2>&1 \
    || log "perf record failed: no CPU profile"
  sleep 1
  "$TOOLS/dotnet-counters" collect -p "$POOL_PID" --refresh-interval 1 --duration "00:00:$(printf %02d $((PROFILE_SECONDS + 2)))" \
    --format csv -o "$counters" --counters System.Runtime >/dev/null 2>&1 || log "dotnet-counters failed"
  wait "$wrk_pid" || true
  forget "$wrk_pid"
  local rps
  rps=$(grep -o 'rps=[0-9.]*' "$wrk_out" | cut -d= -f2)
  {
    echo "Skia.Pool under wrk -t2 -c32, GET /{id}/bytes/1024: $rps req/s over ${total}s"
    echo
    echo "Where its CPU goes (perf, cpu-clock at 999 Hz, ${PROFILE_SECONDS}s; see bench/perf/categories.awk):"
    [[ -s $data ]] && { perf script -i "$data" 2>/dev/null | awk -f "$ROOT/bench/perf/categories.awk" || true; }
    echo
    echo "Hottest symbols (self):"
    [[ -s $data ]] && { perf report -i "$data" --no-children --sort dso,symbol -q -g none 2>/dev/null | head -30 | cut -c1-160 || true; }
    echo
    echo "Per request (dotnet-counters System.Runtime over ${PROFILE_SECONDS}s, divided by wrk's req/s):"
    # Rates come once a second; their sums over the seconds seen, divided by the requests in those seconds.
    [[ -s $counters ]] && awk -F, -v rps="$rps" '
      /total_allocated/ { alloc += $NF; seconds++ }
      /work_item.count/ { items += $NF }
      /gc.collections/ && /gen0/ { gen0 += $NF }
      /gc.pause.time/ { pause += $NF }
      /cpu.time/ { cpu += $NF }
      END {
        n = rps * seconds
        if (n > 0) {
          printf "  allocated          %8.0f bytes/request\n", alloc / n
          printf "  thread-pool items  %8.2f /request\n", items / n
          printf "  CPU (user+system)  %8.1f us/request\n", cpu * 1e6 / n
          printf "  gen0 GCs           %8.0f in %ds, pause %.1f ms\n", gen0, seconds, pause * 1000
        }
      }' "$counters"
  } >"$OUT/profile.txt"
  sed 's/^/  /' "$OUT/profile.txt" >&2
}

# --- main ------------------------------------------------------------------------------------------------

# A slot port inside the ephemeral range can be taken by any client socket between the pool's check and
# the instance's bind (seen here: "address already in use" for slot 119 of a run from port 33000).
read -r eph_lo eph_hi </proc/sys/net/ipv4/ip_local_port_range
if ((SLOT_PORT + MAX_INSTANCES - 1 >= eph_lo && SLOT_PORT <= eph_hi)); then
  log "warning: slot ports $SLOT_PORT-$((SLOT_PORT + MAX_INSTANCES - 1)) overlap the ephemeral range $eph_lo-$eph_hi: starts may fail at random"
fi

install_tools
build
{
  echo "# $(date -u +%FT%TZ) $( ((SMOKE)) && echo smoke) sections=$SECTIONS duration=${DURATION}s repeat=$REPEAT large=${LARGE_BYTES}x$LARGE_REPEAT"
  echo "# commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (with local changes)')"
  echo "# $(uname -srm); $(nproc) cores: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "# service environment: $(service_env | tr '\n' ' ')"
  ((CEILING)) && echo "# ceiling relay environment: $(ceiling_env)"
  echo "# dotnet $(dotnet --version); $("$NGINX" -v 2>&1); wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }'); node $(node -v); configurable-http-proxy $("$CHP" --version)"
} >"$RESULTS"
record_load start
start_pool
section_idle
has_section proxy && section_proxy
has_section large && section_large
has_section scale && section_scale
has_section cold && section_cold
((PROFILE)) && section_profile
record_load end

"$BENCH_BIN" report --results "$RESULTS" >"$OUT/summary.md"
{ grep '^#' "$RESULTS" | sed 's/^# //'; echo; cat "$OUT/summary.md"; } >&2
log "results in ${OUT#"$ROOT"/}"

if ((FAILED_REQUESTS > 0)); then
  log "$FAILED_REQUESTS request(s) failed or timed out"
  ((SMOKE)) && exit 1
fi
exit 0
