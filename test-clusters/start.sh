#!/usr/bin/env bash
# Usage: start.sh N DIR
# Starts one etcd and N kube-apiservers (cluster-1..cluster-N) on 127.0.0.1,
# plus a kube-controller-manager per cluster when built (TC_CONTROLLER_MANAGER=0
# to skip), and with TC_NODES=1 a kube-scheduler, KWOK and one fake node each. State, logs, PIDs and kubeconfigs go under DIR; a DIR left by an
# earlier start.sh is wiped first (it must not be running). Prints, once every
# cluster answers /readyz, one line per cluster on stdout (logs go to stderr):
#   cluster-i https://127.0.0.1:PORT DIR/cluster-i/kubeconfig
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -eq 2 ]] || die "usage: start.sh N DIR"
n="$1"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, got '$n'"
[[ -n "$2" && "$2" != / ]] || die "DIR must not be empty or /"
if [[ -e "$2" && ! -d "$2" ]]; then die "$2 exists and is not a directory"; fi
TC_DIR="$(abs_dir "$2")"

# A DIR of ours may be reused once stopped; anything else must be empty.
if [[ -f "$TC_DIR/.meridian-test-clusters" ]]; then
  for f in "$TC_DIR"/etcd/etcd.pid "$TC_DIR"/cluster-*/*.pid; do
    [[ -e "$f" ]] || continue
    pid_alive "$f" && die "$TC_DIR is still running ($f): run stop.sh $TC_DIR first"
  done
  rm -rf "$TC_DIR"/etcd "$TC_DIR"/pki "$TC_DIR"/cluster-* "$TC_DIR"/clusters
elif [[ -n "$(ls -A "$TC_DIR")" ]]; then
  die "$TC_DIR is not empty and was not made by start.sh"
fi
touch "$TC_DIR/.meridian-test-clusters"

need=(kube-apiserver kubectl)
for b in "${need[@]}"; do
  [[ -x "$TC_BIN/$b" ]] || { log "$b not built yet, running build.sh"; "$here/build.sh" "${need[@]}" >&2; break; }
done

command -v openssl >/dev/null || die "openssl is not on PATH"
start_etcd
new_ca
names=()
for (( i = 1; i <= n; i++ )); do names+=("cluster-$i"); init_cluster "cluster-$i"; done
for name in "${names[@]}"; do start_apiserver "$name"; done
for name in "${names[@]}"; do wait_ready "$name"; start_controller_manager "$name"; start_nodes "$name"; done
: >"$TC_DIR/clusters"
for name in "${names[@]}"; do cluster_line "$name" | tee -a "$TC_DIR/clusters"; done
