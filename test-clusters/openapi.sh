#!/usr/bin/env bash
# Usage: openapi.sh OUT_DIR
# Starts one kube-apiserver of the pinned version (no controller-manager), reads
# the OpenAPI v3 document of every built-in group-version the hub serves, and
# writes each to OUT_DIR/<path with / as _>.json.gz (gzip -n, so the files are
# reproducible). The hub serves these schemas for its built-in kinds and takes
# strategic-merge-patch keys and list types from them; the e2e test
# OpenApiOfTheHubTest checks the shipped files against a running kube-apiserver.
# Regenerate after a version bump:
#   test-clusters/openapi.sh meridian-api/src/main/resources/dev/meridian/api/openapi
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
[[ $# -eq 1 ]] || die "usage: openapi.sh OUT_DIR"
out="$1"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap '"$here/stop.sh" "$tmp" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
TC_CONTROLLER_MANAGER=0 "$here/start.sh" 1 "$tmp" >/dev/null
kubectl="$(kubectl_bin)"
for gv in api/v1 apis/apps/v1 apis/batch/v1 apis/autoscaling/v2 apis/policy/v1 \
  apis/discovery.k8s.io/v1 apis/networking.k8s.io/v1 apis/rbac.authorization.k8s.io/v1 \
  apis/storage.k8s.io/v1 apis/apiextensions.k8s.io/v1; do
  f="$out/${gv//\//_}.json.gz"
  "$kubectl" --kubeconfig "$tmp/cluster-1/kubeconfig" get --raw "/openapi/v3/$gv" | gzip -n -9 >"$f"
  echo "$gv -> $f ($(stat -c %s "$f") bytes)"
done
