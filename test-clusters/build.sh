#!/usr/bin/env bash
# Builds the Kubernetes binaries pinned in go.mod (k8s.io/kubernetes vX.Y.Z)
# into ~/.cache/meridian/k8s/<version>/bin/. Binaries already there are not
# rebuilt. Usage: build.sh [component...]
#   components: kube-apiserver kubectl kube-controller-manager kube-scheduler etcd helm kwok
#   (helm, kwok: from modules of their own, test-clusters/helm and test-clusters/kwok;
#   kwok also writes kwok-stages.yaml, KWOK's "fast" node and pod lifecycles, beside it)
#   (default: all of them)
# Env: MERIDIAN_K8S_CACHE (default ~/.cache/meridian/k8s), FORCE=1 rebuilds.
# Prints the bin directory as its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

declare -A pkg=(
  [kube-apiserver]=k8s.io/kubernetes/cmd/kube-apiserver
  [kubectl]=k8s.io/kubernetes/cmd/kubectl
  [kube-controller-manager]=k8s.io/kubernetes/cmd/kube-controller-manager
  [kube-scheduler]=k8s.io/kubernetes/cmd/kube-scheduler
  [etcd]=go.etcd.io/etcd/server/v3
  [helm]=helm.sh/helm/v4/cmd/helm
  [kwok]=sigs.k8s.io/kwok/cmd/kwok
)
all=(kube-apiserver kubectl kube-controller-manager kube-scheduler etcd helm kwok)

if [[ $# -gt 0 ]]; then wanted=("$@"); else wanted=("${all[@]}"); fi
for c in "${wanted[@]}"; do
  [[ -n "${pkg[$c]:-}" ]] || die "unknown component '$c' (known: ${all[*]})"
done

command -v go >/dev/null || die "go is not on PATH"
mkdir -p "$TC_BIN"

# One build at a time per version.
exec 9>"$TC_BIN/.build.lock"
flock 9

todo=()
for c in "${wanted[@]}"; do
  if [[ -x "$TC_BIN/$c" && "${FORCE:-0}" != 1 ]]; then continue; fi
  todo+=("$c")
done
if [[ ${#todo[@]} -eq 0 ]]; then
  log "kubernetes $TC_VERSION binaries already built (${wanted[*]})"
  echo "$TC_BIN"
  exit 0
fi

# go.mod says "go 1.26.0": use a newer toolchain from the module proxy if the
# local go is older (GOTOOLCHAIN may be "local" in the environment).
gov="$(go env GOVERSION)"; gov="${gov#go}"
if [[ "$(printf '%s\n%s\n' "$gov" "$TC_MIN_GO" | sort -V | head -1)" != "$TC_MIN_GO" ]]; then
  export GOTOOLCHAIN="${TC_GOTOOLCHAIN:-go1.26.8}"
  log "local go $gov < $TC_MIN_GO, using GOTOOLCHAIN=$GOTOOLCHAIN"
fi

export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"

# Version stamps, as the upstream release build sets them.
major="${TC_VERSION#v}"; major="${major%%.*}"
minor="${TC_VERSION#v*.}"; minor="${minor%%.*}"
xflags=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  xflags+=" -X $p.gitVersion=$TC_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minor"
  xflags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done

start=$(date +%s)
log "building kubernetes $TC_VERSION: ${todo[*]} -> $TC_BIN (first build takes long)"
cd "$here"
for c in "${todo[@]}"; do
  t0=$(date +%s)
  tmp="$TC_BIN/.$c.tmp.$$"
  if [[ "$c" == kwok ]]; then
    (cd "$here/kwok" && go build -trimpath -ldflags="-s -w" -o "$tmp" "${pkg[$c]}") \
      || { rm -f "$tmp"; die "go build of $c failed"; }
    stages="$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage"
    for f in "$stages"/node/fast/node-initialize.yaml \
      "$stages"/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
      "$stages"/pod/fast/pod-ready.yaml "$stages"/pod/fast/pod-complete.yaml \
      "$stages"/pod/fast/pod-delete.yaml; do
      echo "---"; cat "$f"
    done >"$TC_BIN/kwok-stages.yaml"
  elif [[ "$c" == helm ]]; then
    helm_version="$(awk '$1=="helm.sh/helm/v4" {print $2} $2=="helm.sh/helm/v4" {print $3}' "$here/helm/go.mod" | head -1)"
    (cd "$here/helm" && go build -trimpath \
      -ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=$helm_version" \
      -o "$tmp" "${pkg[$c]}") || { rm -f "$tmp"; die "go build of $c failed"; }
  else
    go build -trimpath -ldflags="-s -w$xflags" -o "$tmp" "${pkg[$c]}" \
      || { rm -f "$tmp"; die "go build of $c failed"; }
  fi
  mv -f "$tmp" "$TC_BIN/$c"
  log "built $c in $(( $(date +%s) - t0 ))s"
done
log "build finished in $(( $(date +%s) - start ))s"
echo "$TC_BIN"
