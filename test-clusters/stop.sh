#!/usr/bin/env bash
# Usage: stop.sh DIR [cluster-i|etcd ...]
# Without names: stops every cluster (controller-manager, apiserver) and etcd.
# With names: stops only those. SIGTERM first, SIGKILL after STOP_TIMEOUT
# seconds (default 15). State in DIR is kept (start-one.sh restarts a cluster).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -ge 1 ]] || die "usage: stop.sh DIR [cluster-i|etcd ...]"
[[ -d "$1" ]] || die "$1 is not a directory"
[[ -f "$1/.meridian-test-clusters" ]] || die "$1 was not made by start.sh"
TC_DIR="$(abs_dir "$1")"
shift

if [[ $# -eq 0 ]]; then
  pids=()
  for c in "$TC_DIR"/cluster-*; do
    [[ -d "$c" ]] || continue
    stop_cluster "$(basename "$c")" &
    pids+=($!)
  done
  rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  stop_pidfile "$TC_DIR/etcd/etcd.pid" etcd
  exit "$rc"
fi
for name in "$@"; do
  case "$name" in
    etcd) stop_pidfile "$TC_DIR/etcd/etcd.pid" etcd ;;
    cluster-*) stop_cluster "$name" ;;
    *) die "unknown name '$name' (expected cluster-i or etcd)" ;;
  esac
done
