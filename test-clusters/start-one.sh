#!/usr/bin/env bash
# Usage: start-one.sh DIR cluster-i
# (Re)starts one cluster made earlier by start.sh DIR: same port, same etcd
# prefix, same tokens, so its data and kubeconfig stay valid. Starts the shared
# etcd again too if it is down. Waits for /readyz and prints
#   cluster-i https://127.0.0.1:PORT DIR/cluster-i/kubeconfig
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -eq 2 ]] || die "usage: start-one.sh DIR cluster-i"
[[ -f "$1/.meridian-test-clusters" ]] || die "$1 was not made by start.sh"
TC_DIR="$(abs_dir "$1")"
name="$2"
[[ "$name" =~ ^cluster-[0-9]+$ && -f "$TC_DIR/$name/cluster.env" ]] || die "no cluster '$name' in $TC_DIR"

start_etcd
start_apiserver "$name"
wait_ready "$name"
start_controller_manager "$name"
start_nodes "$name"
cluster_line "$name"
