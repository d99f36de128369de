# Shared helpers for the test-clusters scripts (sourced, not executed).
# shellcheck shell=bash disable=SC1090,SC1091,SC2034
# (SC2034: TC_* are used by the sourcing scripts; cluster.env sets NAME too)

TC_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TC_VERSION="$(awk '$1=="require" && $2=="k8s.io/kubernetes" {print $3} $1=="k8s.io/kubernetes" && $2 ~ /^v/ {print $2}' "$TC_HERE/go.mod" | head -1)"
TC_MIN_GO="$(awk '$1=="go" {print $2; exit}' "$TC_HERE/go.mod")"
TC_CACHE="${MERIDIAN_K8S_CACHE:-$HOME/.cache/meridian/k8s}"
TC_BIN="$TC_CACHE/$TC_VERSION/bin"
TC_STOP_TIMEOUT="${STOP_TIMEOUT:-15}"
TC_READY_TIMEOUT="${READY_TIMEOUT:-180}"

log() { echo "[test-clusters] $*" >&2; }
die() { echo "[test-clusters] error: $*" >&2; exit 1; }

[[ -n "$TC_VERSION" ]] || die "cannot read the k8s.io/kubernetes version from $TC_HERE/go.mod"

# Absolute path of a state directory (created if missing).
abs_dir() { mkdir -p "$1" && (cd "$1" && pwd -P); }

# True if something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Prints a free loopback port, not one of those already in TC_TAKEN_PORTS.
TC_TAKEN_PORTS=" "
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
    [[ "$TC_TAKEN_PORTS" == *" $p "* ]] && continue
    port_in_use "$p" && continue
    TC_TAKEN_PORTS+="$p "
    echo "$p"; return 0
  done
  die "no free port found"
}

# pid_alive PIDFILE: true if the process recorded there runs and its command
# line still mentions the state dir (guards against recycled PIDs).
pid_alive() {
  local f="$1" pid
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  # read the whole command line first: `tr | grep -q` fails under pipefail when grep exits early
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$TC_DIR"* ]] || return 1
  # a zombie is not alive
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]]
}

# stop_pidfile PIDFILE NAME: SIGTERM, then SIGKILL after TC_STOP_TIMEOUT s.
stop_pidfile() {
  local f="$1" name="$2" pid i
  if ! pid_alive "$f"; then rm -f "$f"; return 0; fi
  pid="$(cat "$f")"
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < TC_STOP_TIMEOUT * 10; i++ )); do
    pid_alive "$f" || { rm -f "$f"; log "stopped $name (pid $pid)"; return 0; }
    sleep 0.1
  done
  log "$name (pid $pid) did not stop in ${TC_STOP_TIMEOUT}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 50; i++ )); do
    pid_alive "$f" || break
    sleep 0.1
  done
  rm -f "$f"
}

# Starts a detached daemon: run_daemon PIDFILE LOGFILE cmd args...
# The process gets its own session, no stdin, and its output in LOGFILE, so
# the caller (a test harness waiting on our stdout) is never held open.
run_daemon() {
  local pidf="$1" logf="$2"; shift 2
  setsid "$@" </dev/null >>"$logf" 2>&1 &
  echo $! >"$pidf"
}

# Finds a binary: our cache first, then PATH.
find_bin() {
  if [[ -x "$TC_BIN/$1" ]]; then echo "$TC_BIN/$1"; return 0; fi
  command -v "$1" 2>/dev/null
}

kubectl_bin() {
  [[ -x "$TC_BIN/kubectl" ]] || die "$TC_BIN/kubectl missing: run $TC_HERE/build.sh"
  echo "$TC_BIN/kubectl"
}

# ---------------------------------------------------------------------------
# Cluster state layout (TC_DIR is the absolute state dir):
#   TC_DIR/.meridian-test-clusters   marker
#   TC_DIR/pki/ca.{crt,key}           CA shared by all clusters
#   TC_DIR/etcd/{etcd.env,etcd.pid,etcd.log,data/}
#   TC_DIR/cluster-i/{cluster.env,kubeconfig,tokens.csv,serving.{crt,key},
#                     sa.{key,pub},apiserver.{pid,log},
#                     controller-manager.{kubeconfig,pid,log}}
#   TC_DIR/clusters                   the lines start.sh printed

# HTTP GET over bash's /dev/tcp (no curl needed): http_get PORT PATH
http_get() {
  local out
  out="$( (exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
           printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
           timeout 5 cat <&3) 2>/dev/null)" || return 1
  printf '%s' "$out"
}

find_etcd() {
  if [[ -n "${ETCD:-}" ]]; then [[ -x "$ETCD" ]] || die "ETCD=$ETCD is not executable"; echo "$ETCD"; return; fi
  local e
  if e="$(find_bin etcd)"; then echo "$e"; return; fi
  "$TC_HERE/install-deps.sh" >&2
  command -v etcd 2>/dev/null || die "etcd still not on PATH after install-deps.sh"
}

# start_etcd: starts (or restarts on its recorded ports) the shared etcd.
start_etcd() {
  local d="$TC_DIR/etcd" etcd_bin extra=() i
  mkdir -p "$d/data"; chmod 700 "$d/data"
  if pid_alive "$d/etcd.pid"; then return 0; fi
  if [[ ! -f "$d/etcd.env" ]]; then
    printf 'ETCD_CLIENT_PORT=%s\nETCD_PEER_PORT=%s\n' "$(free_port)" "$(free_port)" >"$d/etcd.env"
  fi
  # shellcheck disable=SC1091
  source "$d/etcd.env"
  port_in_use "$ETCD_CLIENT_PORT" && die "etcd client port $ETCD_CLIENT_PORT is taken by another process"
  etcd_bin="$(find_etcd)"
  # test data only: skip fsync when this etcd knows how (3.5+)
  if "$etcd_bin" --help 2>&1 | grep -q -- '--unsafe-no-fsync'; then extra+=(--unsafe-no-fsync); fi
  run_daemon "$d/etcd.pid" "$d/etcd.log" "$etcd_bin" \
    --name meridian-test --data-dir "$d/data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "meridian-test=http://127.0.0.1:$ETCD_PEER_PORT" \
    --snapshot-count 10000 --quota-backend-bytes $((2 * 1024 * 1024 * 1024)) \
    --log-level warn "${extra[@]}"
  for (( i = 0; i < 300; i++ )); do
    pid_alive "$d/etcd.pid" || { tail -n 5 "$d/etcd.log" >&2; die "etcd exited, see $d/etcd.log"; }
    if http_get "$ETCD_CLIENT_PORT" /health | grep -q '"health":"true"'; then
      log "etcd ready on 127.0.0.1:$ETCD_CLIENT_PORT ($("$etcd_bin" --version 2>/dev/null | head -1))"
      return 0
    fi
    sleep 0.2
  done
  die "etcd not healthy after 60s, see $d/etcd.log"
}

# new_cert NAME CN SANS: key+cert signed by the CA, in $TC_DIR/pki or a cluster dir
new_ca() {
  local p="$TC_DIR/pki"
  mkdir -p "$p"; chmod 700 "$p"
  [[ -f "$p/ca.crt" && -f "$p/ca.key" ]] && return 0
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$p/ca.key" -out "$p/ca.crt" -days 3650 -subj "/CN=meridian-test-clusters-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    >/dev/null 2>&1 || die "openssl failed to create the CA"
  chmod 600 "$p/ca.key"
}

new_serving_cert() { # DIR
  local c="$1" p="$TC_DIR/pki"
  [[ -f "$c/serving.crt" && -f "$c/serving.key" ]] && return 0
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$c/serving.key" -out "$c/serving.csr" -subj "/CN=kube-apiserver" >/dev/null 2>&1 \
    || die "openssl failed to create a serving key"
  openssl x509 -req -in "$c/serving.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial \
    -out "$c/serving.crt" -days 3650 -extfile <(printf '%s\n' \
      "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local") \
    >/dev/null 2>&1 || die "openssl failed to sign the serving cert"
  rm -f "$c/serving.csr"
  chmod 600 "$c/serving.key"
}

new_sa_keys() { # DIR
  local c="$1"
  [[ -f "$c/sa.key" && -f "$c/sa.pub" ]] && return 0
  if ! openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$c/sa.key" >/dev/null 2>&1 \
     || ! openssl pkey -in "$c/sa.key" -pubout -out "$c/sa.pub" >/dev/null 2>&1; then
    die "openssl failed to create the service-account key pair"
  fi
  chmod 600 "$c/sa.key"
}

write_kubeconfig() { # FILE NAME USER TOKEN PORT
  local f="$1" name="$2" user="$3" token="$4" port="$5" ca
  ca="$(base64 -w0 <"$TC_DIR/pki/ca.crt")"
  (umask 077; cat >"$f" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: $name
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $ca
users:
- name: $user
  user:
    token: $token
contexts:
- name: $name
  context:
    cluster: $name
    user: $user
    namespace: default
current-context: $name
KUBECONFIG
  )
}

# init_cluster NAME: certs, keys, tokens, port, kubeconfigs (first start only)
init_cluster() {
  local name="$1" c="$TC_DIR/$1" admin kcm
  mkdir -p "$c"; chmod 700 "$c"
  [[ -f "$c/cluster.env" ]] && return 0
  new_serving_cert "$c"
  new_sa_keys "$c"
  admin="$(openssl rand -hex 32)"; kcm="$(openssl rand -hex 32)"
  (umask 077; printf '%s,admin,uid-admin,"system:masters"\n%s,system:kube-controller-manager,uid-kcm,"system:masters"\n' \
    "$admin" "$kcm" >"$c/tokens.csv")
  local port; port="$(free_port)"
  write_kubeconfig "$c/kubeconfig" "$name" "$name-admin" "$admin" "$port"
  write_kubeconfig "$c/controller-manager.kubeconfig" "$name" "$name-controller-manager" "$kcm" "$port"
  printf 'NAME=%s\nPORT=%s\nETCD_PREFIX=/%s\n' "$name" "$port" "$name" >"$c/cluster.env"
}

# start_apiserver NAME: starts it in the background (no waiting)
start_apiserver() {
  local name="$1" c="$TC_DIR/$1" bin NAME PORT ETCD_PREFIX ETCD_CLIENT_PORT
  [[ -f "$c/cluster.env" ]] || die "$c/cluster.env missing: $name was never created by start.sh"
  # shellcheck disable=SC1091
  source "$c/cluster.env"; source "$TC_DIR/etcd/etcd.env"
  if pid_alive "$c/apiserver.pid"; then log "$name apiserver already running"; return 0; fi
  port_in_use "$PORT" && die "port $PORT of $name is taken by another process"
  bin="$TC_BIN/kube-apiserver"; [[ -x "$bin" ]] || die "$bin missing: run $TC_HERE/build.sh"
  echo "---- start $(date -u +%FT%TZ)" >>"$c/apiserver.log"
  # TC_APISERVER_EXTRA_ARGS is word-split on purpose
  # shellcheck disable=SC2086
  GOMEMLIMIT="${TC_APISERVER_GOMEMLIMIT:-400MiB}" run_daemon "$c/apiserver.pid" "$c/apiserver.log" "$bin" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$PORT" \
    --tls-cert-file="$c/serving.crt" --tls-private-key-file="$c/serving.key" \
    --client-ca-file="$TC_DIR/pki/ca.crt" \
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" --etcd-prefix="$ETCD_PREFIX" \
    --token-auth-file="$c/tokens.csv" \
    --authorization-mode=RBAC \
    --service-account-issuer="https://$name.meridian.test" \
    --service-account-key-file="$c/sa.pub" --service-account-signing-key-file="$c/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --endpoint-reconciler-type=none \
    --disable-admission-plugins="${TC_DISABLE_ADMISSION:-DefaultStorageClass,StorageObjectInUseProtection,PersistentVolumeClaimResize,DefaultIngressClass,RuntimeClass}" \
    --profiling=false \
    ${TC_APISERVER_EXTRA_ARGS:-}
}

# wait_ready NAME: /readyz ok and the default namespace exists
wait_ready() {
  local name="$1" c="$TC_DIR/$1" kubectl i deadline
  kubectl="$(kubectl_bin)"
  deadline=$(( $(date +%s) + TC_READY_TIMEOUT ))
  while :; do
    if ! pid_alive "$c/apiserver.pid"; then
      grep -E '^[EF][0-9]{4}|rror' "$c/apiserver.log" | tail -n 3 >&2 || true
      die "$name kube-apiserver exited, see $c/apiserver.log"
    fi
    if [[ "$("$kubectl" --kubeconfig "$c/kubeconfig" --request-timeout=5s get --raw /readyz 2>/dev/null)" == ok ]] \
       && "$kubectl" --kubeconfig "$c/kubeconfig" --request-timeout=5s get namespace default >/dev/null 2>&1; then
      return 0
    fi
    (( $(date +%s) < deadline )) || die "$name not ready after ${TC_READY_TIMEOUT}s, see $c/apiserver.log"
    sleep 0.5
  done
}

# start_controller_manager NAME (if built and not disabled with TC_CONTROLLER_MANAGER=0)
start_controller_manager() {
  local name="$1" c="$TC_DIR/$1" bin="$TC_BIN/kube-controller-manager"
  [[ "${TC_CONTROLLER_MANAGER:-1}" == 1 && -x "$bin" ]] || return 0
  if pid_alive "$c/controller-manager.pid"; then return 0; fi
  echo "---- start $(date -u +%FT%TZ)" >>"$c/controller-manager.log"
  # shellcheck disable=SC2086
  GOMEMLIMIT="${TC_KCM_GOMEMLIMIT:-200MiB}" run_daemon "$c/controller-manager.pid" "$c/controller-manager.log" "$bin" \
    --kubeconfig="$c/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$c/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$c/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=0 \
    --leader-elect=false \
    --service-account-private-key-file="$c/sa.key" \
    --root-ca-file="$TC_DIR/pki/ca.crt" \
    --flex-volume-plugin-dir="$c/flexvolume" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --profiling=false \
    ${TC_KCM_EXTRA_ARGS:-}
}

# start_nodes NAME: with TC_NODES=1, a kube-scheduler, KWOK and one fake node (kwok-node-0,
# 32 cpu, 256Gi, 110 pods) for the cluster, so that pods are scheduled, Running and Ready
start_nodes() {
  local name="$1" c="$TC_DIR/$1" kubectl
  [[ "${TC_NODES:-0}" == 1 ]] || return 0
  for b in kube-scheduler kwok; do
    [[ -x "$TC_BIN/$b" ]] || die "$TC_BIN/$b missing: run $TC_HERE/build.sh $b"
  done
  if ! pid_alive "$c/scheduler.pid"; then
    echo "---- start $(date -u +%FT%TZ)" >>"$c/scheduler.log"
    GOMEMLIMIT=100MiB run_daemon "$c/scheduler.pid" "$c/scheduler.log" "$TC_BIN/kube-scheduler" \
      --kubeconfig="$c/controller-manager.kubeconfig" \
      --authentication-kubeconfig="$c/controller-manager.kubeconfig" \
      --authorization-kubeconfig="$c/controller-manager.kubeconfig" \
      --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false
  fi
  if ! pid_alive "$c/kwok.pid"; then
    echo "---- start $(date -u +%FT%TZ)" >>"$c/kwok.log"
    GOMEMLIMIT=100MiB run_daemon "$c/kwok.pid" "$c/kwok.log" "$TC_BIN/kwok" \
      --kubeconfig="$c/controller-manager.kubeconfig" --config="$TC_BIN/kwok-stages.yaml" \
      --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
      --cidr=10.244.0.0/16 --node-ip=10.0.0.1 --node-lease-duration-seconds=40 \
      --server-address=127.0.0.1:0
  fi
  kubectl="$(kubectl_bin)"
  "$kubectl" --kubeconfig "$c/kubeconfig" apply -f - >/dev/null <<'NODE'
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-0}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
NODE
}

stop_cluster() { # NAME
  local c="$TC_DIR/$1"
  [[ -d "$c" ]] || die "no cluster '$1' in $TC_DIR"
  stop_pidfile "$c/kwok.pid" "$1 kwok"
  stop_pidfile "$c/scheduler.pid" "$1 kube-scheduler"
  stop_pidfile "$c/controller-manager.pid" "$1 kube-controller-manager"
  stop_pidfile "$c/apiserver.pid" "$1 kube-apiserver"
}

cluster_line() { # NAME
  local PORT
  # shellcheck disable=SC1091
  source "$TC_DIR/$1/cluster.env"
  echo "$1 https://127.0.0.1:$PORT $TC_DIR/$1/kubeconfig"
}
