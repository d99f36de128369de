#!/usr/bin/env bash
# The gateway bench (see bench/gateway/README.md): one backend, one wrk setting, and one after the
# other in ONE run: direct to the backend, Meridian's gateway, nginx, HAProxy, Traefik, Caddy, and
# Meridian's gateway with 1,000 routes / 10,000 endpoints. Every proxy gets the same number of
# workers (--workers: the gateway's event loops, nginx worker_processes, HAProxy nbthread,
# GOMAXPROCS for Traefik and Caddy). Loopback only; every child is killed on exit (also on
# Ctrl-C or a kill of this script); temporary files are removed; ports are picked at run time.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

usage() {
  cat <<EOF
usage: bench/gateway/run.sh [options]
  --duration D        measured run per row, wrk syntax (default 20s)
  --warmup D          warm-up run per row before it, excluded (default 5s; 0 for none)
  --connections N     wrk connections (default 64)
  --threads N         wrk threads (default 2: one per core of this machine)
  --workers N         worker threads of every proxy (default 2)
  --backend-threads N event loops of the backend (default 1)
  --backend c|nginx   the backend: the C server backend.c (default) or nginx 'return 200'
                      (one process), to compare the two
  --rows LIST         rows to run, comma-separated, in this order whatever LIST's order
                      (default direct,meridian,nginx,haproxy,traefik,caddy,large)
  --large-routes N    GlobalRoutes in the large-configuration row (default 1000)
  --large-endpoints N Static endpoints in all, in that row (default 10000)
  --jar PATH          the meridian jar (default meridian-app/target/meridian.jar)
  --gateway-java-opts "OPTS"  JVM options for the gateway (default: the shipped ones,
                      @meridian-app/src/main/jvm/gateway.jvmopts, as ./meridian gateway
                      runs it; "" for none)
  --skip-build        build nothing: use the jar and the Traefik/Caddy binaries as they are
  --no-install        do not apt-get install missing wrk/nginx/haproxy
  --out DIR           where logs and results go (default bench/gateway/target/run-DATE)
EOF
}

duration=20s warmup=5s connections=64 threads=2 workers=2 backend_threads=1 backend_kind=c
rows_arg="direct,meridian,nginx,haproxy,traefik,caddy,large"
large_routes=1000 large_endpoints=10000
jar="$root/meridian-app/target/meridian.jar" skip_build=0 no_install=0
gateway_java_opts="@$root/meridian-app/src/main/jvm/gateway.jvmopts"
out="$here/target/run-$(date -u +%Y%m%d-%H%M%S)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --backend-threads) backend_threads=$2; shift 2 ;;
    --backend) backend_kind=$2; shift 2 ;;
    --rows) rows_arg=$2; shift 2 ;;
    --large-routes) large_routes=$2; shift 2 ;;
    --large-endpoints) large_endpoints=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --gateway-java-opts) gateway_java_opts=$2; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --no-install) no_install=1; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
want() { [[ ",$rows_arg," == *",$1,"* ]]; }

peers_dir="${MERIDIAN_PEERS_DIR:-$HOME/.cache/meridian/peers}"
host_header="bench.meridian.test"

# ---------------------------------------------------------------- children and cleanup
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gw-bench.XXXXXX")"
pgids=()   # every child runs in its own session (setsid): its pid is its process group
# The list is also kept in a file for the watchdog below, rewritten whenever it changes.
save_pgids() { printf '%s\n' "${pgids[@]}" >"$tmp/pgids.new" && mv -f "$tmp/pgids.new" "$tmp/pgids"; }
kill_groups() {  # TERM every group, KILL what is left after 2 s
  local g alive
  for g in "$@"; do kill -TERM -- "-$g" 2>/dev/null; done
  for _ in $(seq 20); do
    alive=0
    for g in "$@"; do kill -0 -- "-$g" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for g in "$@"; do kill -KILL -- "-$g" 2>/dev/null; done
}
# A watchdog in its own session, blind to INT and TERM: when this script is gone, however it
# went (even kill -9, or a TERM that bash handles without running its trap, as bash 5.2 did
# here when started as a background job), it kills the children still listed and removes $tmp.
setsid bash -c '
  trap "" INT TERM HUP
  while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
  if [[ -f $2/pgids ]]; then
    gs=$(cat "$2/pgids")
    for g in $gs; do kill -TERM -- "-$g" 2>/dev/null; done
    sleep 2
    for g in $gs; do kill -KILL -- "-$g" 2>/dev/null; done
  fi
  rm -rf "$2"' watchdog "$$" "$tmp" </dev/null >/dev/null 2>&1 &
watchdog_pid=$!
cleaning=0
cleanup() {
  [[ $cleaning == 1 ]] && return
  cleaning=1
  kill_groups "${pgids[@]}"
  rm -rf "$tmp"
  kill -KILL "$watchdog_pid" 2>/dev/null
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT
trap 'echo "terminated" >&2; exit 143' TERM

# start NAME CMD...: runs CMD in a new session, stdout/stderr to $out/NAME.log; sets $started_pid
start() {
  local name=$1; shift
  setsid "$@" >"$out/$name.log" 2>&1 </dev/null &
  started_pid=$!
  pgids+=("$started_pid")
  save_pgids
}
# stop PID: its whole process group, TERM then KILL after 5 s
stop() {
  local g=$1
  kill -TERM -- "-$g" 2>/dev/null
  for _ in $(seq 50); do kill -0 -- "-$g" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$g" 2>/dev/null
  wait "$g" 2>/dev/null
  forget "$g"
}
forget() {  # forget PGID: no longer ours to kill (it exited and was waited for)
  local keep=() p
  for p in "${pgids[@]}"; do [[ $p != "$1" ]] && keep+=("$p"); done
  pgids=("${keep[@]}")
  save_pgids
}
# run_fg CMD...: a foreground command that a signal to this script can still interrupt (bash
# runs traps only between commands, so the command runs in the background and we wait for it)
run_fg() {
  setsid "$@" &
  local p=$!
  pgids+=("$p")
  save_pgids
  wait "$p"
  local rc=$?
  forget "$p"
  return $rc
}

free_ports() {  # free_ports N: N distinct free loopback ports
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}
# wait_port PORT SECONDS PID: until something accepts on 127.0.0.1:PORT; fails if PID exits
wait_port() {
  local port=$1 secs=$2 pid=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# check_http PORT HOST: one GET through it answers 200 with the backend's body
check_http() {
  local body code
  body="$(curl -s --max-time 5 -H "Host: $2" -o - -w '\n%{http_code}' "http://127.0.0.1:$1/")" || return 1
  code="${body##*$'\n'}"
  [[ $code == 200 && $body == "Hello, world"* ]]
}
note() { echo "$*" | tee -a "$out/notes.txt"; }

mkdir -p "$out"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
nofile="$(ulimit -n)"
[[ $nofile == unlimited ]] && nofile=65536
# HAProxy needs 2 descriptors per connection (client and server side) and refuses to start
# when maxconn does not fit the limit
haproxy_maxconn=$(( (nofile - 100) / 2 < 65536 ? (nofile - 100) / 2 : 65536 ))
echo "gateway bench: results and logs in $out"

# ---------------------------------------------------------------- tools
install_pkgs() {
  [[ $no_install == 1 || $# == 0 ]] && return
  command -v apt-get >/dev/null || return
  echo "installing $* (apt-get) ..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } \
    >"$out/apt.log" 2>&1 || echo "apt-get install $* failed (see $out/apt.log)"
}
missing=()
command -v wrk >/dev/null || missing+=(wrk)
want nginx && ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]] && missing+=(nginx)
want haproxy && ! command -v haproxy >/dev/null && [[ ! -x /usr/sbin/haproxy ]] && missing+=(haproxy)
install_pkgs "${missing[@]}"
PATH="$PATH:/usr/sbin:/sbin"
if ! command -v wrk >/dev/null; then
  echo "no wrk (apt-get install -y wrk): nothing to measure with, no comparison made"
  exit 1
fi
for t in curl python3 cc; do
  command -v $t >/dev/null || { echo "this bench needs $t"; exit 1; }
done

# the backend: compiled here each run (a second with cc), kept in target/
backend_bin="$here/target/backend"
mkdir -p "$here/target"
if [[ ! -x $backend_bin || $here/backend.c -nt $backend_bin ]]; then
  cc -O2 -Wall -pthread -o "$backend_bin" "$here/backend.c" || { echo "backend does not compile"; exit 1; }
fi

if [[ $skip_build == 0 ]]; then
  if want meridian || want large; then
    echo "building meridian-app (mvn package, no install) ..."
    if ! (cd "$root" && mvn -B -q -pl meridian-app -am package -DskipTests -Dspotless.apply.skip=true) \
        >"$out/mvn.log" 2>&1; then
      echo "the meridian build failed (log: $out/mvn.log)$([[ -f $jar ]] && echo "; using the jar of $(date -r "$jar" '+%F %T')")"
    fi
  fi
  peers_missing=()
  want traefik && [[ ! -x $peers_dir/bin/traefik ]] && peers_missing+=(traefik)
  want caddy && [[ ! -x $peers_dir/bin/caddy ]] && peers_missing+=(caddy)
  if [[ ${#peers_missing[@]} -gt 0 ]]; then
    echo "building ${peers_missing[*]} with go into $peers_dir/bin (once; many minutes on 2 cores) ..."
    run_fg "$here/build-peers.sh" "${peers_missing[@]}" ||
      echo "a peer build failed: see $peers_dir/logs/"
  fi
fi

# ---------------------------------------------------------------- the backend
read -r backend_port <<<"$(free_ports 1)"
if [[ $backend_kind == nginx ]]; then
  bd="$tmp/backend-nginx"
  mkdir -p "$bd/logs"
  cat >"$bd/nginx.conf" <<EOF
daemon off;
master_process off;   # one process, so that its pid is the one whose CPU is read
worker_processes 1;
pid $bd/nginx.pid;
error_log $bd/logs/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  client_body_temp_path $bd/body;
  proxy_temp_path $bd/proxy;
  fastcgi_temp_path $bd/fastcgi;
  uwsgi_temp_path $bd/uwsgi;
  scgi_temp_path $bd/scgi;
  server {
    listen 127.0.0.1:$backend_port;
    location / { default_type text/plain; return 200 "Hello, world\n"; }
  }
}
EOF
  [[ $backend_threads != 1 ]] && echo "--backend nginx runs one process: --backend-threads ignored"
  start backend nginx -p "$bd" -e "$bd/logs/error.log" -c "$bd/nginx.conf"
  backend_bin="nginx 'return 200' (one process)"
  backend_threads=1
else
  start backend "$backend_bin" "$backend_port" "$backend_threads"
fi
backend_pid=$started_pid
if ! wait_port "$backend_port" 10 "$backend_pid" || ! check_http "$backend_port" "$host_header"; then
  echo "the backend did not start (log: $out/backend.log)"; exit 1
fi
idle=$((connections * 2))  # idle upstream keep-alive connections allowed, for every proxy

{
  echo "date: $(date -u '+%F %T') UTC"
  echo "source: $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wrk: -t$threads -c$connections -d$duration (warm-up $warmup), Host: $host_header, $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "workers per proxy: $workers; backend: $backend_bin, $backend_threads event loop(s), 127.0.0.1:$backend_port"
  echo "gateway: $jar$([[ -f $jar ]] && date -r "$jar" '+ (built %F %T)'), JVM options: ${gateway_java_opts:-none}; $(java -version 2>&1 | head -1)"
  echo "peers: $(nginx -v 2>&1 | sed 's/.*: //'), $(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3), traefik $(readlink "$peers_dir/bin/traefik" 2>/dev/null || echo none), caddy $(readlink "$peers_dir/bin/caddy" 2>/dev/null || echo none)"
} >"$out/header.txt"
cat "$out/header.txt"

# ---------------------------------------------------------------- one row
# measure ROW PORT PGID HOST: warm-up, then the measured run with /proc readings around it
row_n=0
measure() {
  local row=$1 port=$2 pgid=$3 host=$4
  row_n=$((row_n + 1))
  local f
  f="$out/row-$(printf %02d $row_n)-$row.kv"
  local url="http://127.0.0.1:$port/"
  if [[ $warmup != 0 && $warmup != 0s ]]; then
    run_fg wrk -t"$threads" -c"$connections" -d"$warmup" --timeout 5s -H "Host: $host" \
      -s "$here/wrk-report.lua" "$url" >"$out/$row.warmup.txt" 2>&1
  fi
  local la
  la="$(cut -d' ' -f1 /proc/loadavg)"
  setsid python3 "$here/proc_sample.py" --pgid "$pgid" --backend-pid "$backend_pid" \
    --out "$f.proc" >"$tmp/sampler.out" 2>&1 </dev/null &
  local sp=$!
  pgids+=("$sp")
  save_pgids
  for _ in $(seq 100); do grep -q ready "$tmp/sampler.out" 2>/dev/null && break; sleep 0.05; done
  run_fg wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s -H "Host: $host" \
    -s "$here/wrk-report.lua" "$url" >"$out/$row.wrk.txt" 2>&1
  kill -TERM "$sp" 2>/dev/null
  wait "$sp" 2>/dev/null
  forget "$sp"
  {
    echo "row=$row"
    echo "load_before=$la"
    grep '^WRK ' "$out/$row.wrk.txt" | tail -1 | cut -d' ' -f2- | tr ' ' '\n'
    cat "$f.proc" 2>/dev/null
  } >"$f"
  rm -f "$f.proc"
  python3 "$here/report.py" --row "$f"
}
skip_row() {  # skip_row ROW REASON: one line, and the report says "skipped: REASON"
  row_n=$((row_n + 1))
  printf 'row=%s\nskipped=%s\n' "$1" "$2" >"$out/row-$(printf %02d $row_n)-$1.kv"
  note "$1: skipped: $2"
}

# ---------------------------------------------------------------- proxies
start_nginx() {  # port
  local d="$tmp/nginx"
  mkdir -p "$d/logs"
  cat >"$d/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $workers;
worker_rlimit_nofile $nofile;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_timeout 65s;
  keepalive_requests 1000000;   # as the other proxies: no cap on requests per client connection
  client_body_temp_path $d/body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
  upstream backend {
    server 127.0.0.1:$backend_port;
    keepalive $idle;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:$1;
    server_name $host_header;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  cp "$d/nginx.conf" "$out/nginx.conf"
  start nginx nginx -p "$d" -e "$d/logs/error.log" -c "$d/nginx.conf"
}

start_haproxy() {  # port
  local d="$tmp/haproxy"
  mkdir -p "$d"
  cat >"$d/haproxy.cfg" <<EOF
global
  nbthread $workers
  maxconn $haproxy_maxconn
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
frontend fe
  bind 127.0.0.1:$1
  default_backend be
backend be
  server b1 127.0.0.1:$backend_port
EOF
  cp "$d/haproxy.cfg" "$out/haproxy.cfg"
  start haproxy haproxy -db -f "$d/haproxy.cfg"
}

start_traefik() {  # port
  local d="$tmp/traefik"
  mkdir -p "$d"
  cat >"$d/traefik.yml" <<EOF
global: {checkNewVersion: false, sendAnonymousUsage: false}
log: {level: ERROR}
entryPoints:
  web: {address: "127.0.0.1:$1"}
providers:
  file: {filename: "$d/dynamic.yml", watch: false}
serversTransport: {maxIdleConnsPerHost: $idle}
EOF
  cat >"$d/dynamic.yml" <<EOF
http:
  routers:
    bench: {entryPoints: [web], rule: "Host(\`$host_header\`)", service: backend}
  services:
    backend:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:$backend_port"}]
EOF
  cat "$d/traefik.yml" "$d/dynamic.yml" >"$out/traefik.yml"
  start traefik env GOMAXPROCS="$workers" HOME="$d" "$peers_dir/bin/traefik" --configFile="$d/traefik.yml"
}

start_caddy() {  # port
  local d="$tmp/caddy"
  mkdir -p "$d"
  cat >"$d/Caddyfile" <<EOF
{
  admin off
  auto_https off
  persist_config off
}
http://:$1 {
  bind 127.0.0.1
  reverse_proxy 127.0.0.1:$backend_port {
    transport http {
      keepalive 60s
      keepalive_idle_conns $idle
      keepalive_idle_conns_per_host $idle
    }
  }
}
EOF
  cp "$d/Caddyfile" "$out/Caddyfile"
  start caddy env GOMAXPROCS="$workers" HOME="$d" XDG_CONFIG_HOME="$d" XDG_DATA_HOME="$d" \
    "$peers_dir/bin/caddy" run --config "$d/Caddyfile" --adapter caddyfile
}

gateway_usable=""
check_gateway() {  # sets gateway_usable to "" (usable) or the reason it is not
  if [[ ! -f $jar ]]; then gateway_usable="no jar at $jar"; return; fi
  if ! command -v java >/dev/null; then gateway_usable="no java"; return; fi
  local help
  help="$(timeout 60 java -jar "$jar" gateway --help 2>&1)"
  if [[ $? != 0 || $help != *--routes* || $help != *--event-loops* ]]; then
    gateway_usable="$(basename "$jar") has no 'gateway' command with --routes and --event-loops"
    return
  fi
  gateway_usable=""
}
gateway_admin_port=""
start_gateway() {  # port routes-file name
  read -r gateway_admin_port <<<"$(free_ports 1)"
  # shellcheck disable=SC2086
  start "$3" java $gateway_java_opts -jar "$jar" gateway --routes "$2" --listen "127.0.0.1:$1" \
    --event-loops "$workers" --admin-listen "127.0.0.1:$gateway_admin_port"
}
save_metrics() {  # name
  [[ -n $gateway_admin_port ]] || return
  curl -s --max-time 5 "http://127.0.0.1:$gateway_admin_port/metrics" >"$out/$1.metrics.txt" ||
    note "$1: the admin port 127.0.0.1:$gateway_admin_port served no /metrics"
}

# run_proxy ROW: start, check, measure, stop
run_proxy() {
  local row=$1 port pid host=$host_header wait_s=15
  read -r port <<<"$(free_ports 1)"
  case "$row" in
    nginx) command -v nginx >/dev/null || { skip_row nginx "no nginx binary (apt-get install -y nginx)"; return; }
      start_nginx "$port" ;;
    haproxy) command -v haproxy >/dev/null || { skip_row haproxy "no haproxy binary (apt-get install -y haproxy)"; return; }
      start_haproxy "$port" ;;
    traefik) [[ -x $peers_dir/bin/traefik ]] || { skip_row traefik "no Traefik binary in $peers_dir/bin (build: bench/gateway/build-peers.sh traefik; log: $peers_dir/logs/traefik.log)"; return; }
      start_traefik "$port" ;;
    caddy) [[ -x $peers_dir/bin/caddy ]] || { skip_row caddy "no Caddy binary in $peers_dir/bin (build: bench/gateway/build-peers.sh caddy; log: $peers_dir/logs/caddy.log)"; return; }
      start_caddy "$port" ;;
    meridian|large)
      [[ -n $gateway_usable ]] && { skip_row "$row" "$gateway_usable"; return; }
      local routes="$tmp/routes-$row.yaml"
      if [[ $row == large ]]; then
        host="$(python3 "$here/gen_routes.py" --port "$backend_port" --out "$routes" \
          --routes "$large_routes" --endpoints "$large_endpoints")"
        wait_s=120
      else
        python3 "$here/gen_routes.py" --port "$backend_port" --out "$routes" --host "$host_header" >/dev/null
        wait_s=60
      fi
      [[ $row == meridian ]] && cp "$routes" "$out/routes-meridian.yaml"
      start_gateway "$port" "$routes" "$row" ;;
  esac
  pid=$started_pid
  local t0=$SECONDS
  if ! wait_port "$port" "$wait_s" "$pid"; then
    skip_row "$row" "did not listen on 127.0.0.1:$port within ${wait_s}s (log: $out/$row.log: $(tail -1 "$out/$row.log" 2>/dev/null))"
    stop "$pid"; return
  fi
  local ready_s=$((SECONDS - t0)) ok=0
  for _ in $(seq 20); do check_http "$port" "$host" && { ok=1; break; }; sleep 0.25; done
  if [[ $ok == 0 ]]; then
    skip_row "$row" "GET / with Host: $host did not answer 200 'Hello, world' (log: $out/$row.log)"
    stop "$pid"; return
  fi
  measure "$row" "$port" "$pid" "$host"
  echo "listen_after_s=$ready_s" >>"$out/row-$(printf %02d $row_n)-$row.kv"
  [[ $row == large ]] && printf 'routes=%s\nendpoints=%s\n' "$large_routes" "$large_endpoints" \
    >>"$out/row-$(printf %02d $row_n)-$row.kv"
  [[ $row == meridian || $row == large ]] && save_metrics "$row"
  stop "$pid"
}

# ---------------------------------------------------------------- the run
if want meridian || want large; then check_gateway; fi
if want direct; then
  echo "--- direct to the backend"
  measure direct "$backend_port" "$backend_pid" "$host_header"
fi
for r in meridian nginx haproxy traefik caddy large; do
  want "$r" || continue
  echo "--- $r"
  run_proxy "$r"
done

echo
python3 "$here/report.py" "$out"/row-*.kv >"$out/table.txt"
[[ -f $out/notes.txt ]] && { echo; echo "notes:"; cat "$out/notes.txt"; } >>"$out/table.txt"
cat "$out/table.txt"
{ cat "$out/header.txt"; echo; cat "$out/table.txt"; } >"$out/results.txt"
rm -f "$out/table.txt"
echo "results: $out/results.txt"
