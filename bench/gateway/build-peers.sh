#!/usr/bin/env bash
# Builds the Go peers of the gateway bench (Traefik, Caddy) from the Go module proxy into
# ~/.cache/meridian/peers/bin, once; later runs reuse the binaries. Safe to run in the
# background: one build at a time (flock), each logged to ~/.cache/meridian/peers/logs/.
#   build-peers.sh [traefik|caddy]...        (default: both)
# Versions: override with TRAEFIK_VERSION / CADDY_VERSION.
set -uo pipefail
TRAEFIK_VERSION=${TRAEFIK_VERSION:-v3.7.13}
CADDY_VERSION=${CADDY_VERSION:-v2.11.9}
PEERS=${MERIDIAN_PEERS_DIR:-$HOME/.cache/meridian/peers}
BIN=$PEERS/bin
LOGS=$PEERS/logs
mkdir -p "$BIN" "$LOGS"
export GOBIN=$BIN GOFLAGS=${GOFLAGS:--buildvcs=false}

if ! command -v go >/dev/null 2>&1; then
  echo "build-peers: no 'go' on PATH: Traefik and Caddy cannot be built" >&2
  exit 1
fi

build_caddy() {
  local out=$BIN/caddy-$CADDY_VERSION
  [[ -x $out ]] && return 0
  # caddy's go.mod has no replace directive, so a plain `go install` works.
  go install "github.com/caddyserver/caddy/v2/cmd/caddy@$CADDY_VERSION" &&
    mv -f "$BIN/caddy" "$out"
}

build_traefik() {
  local out=$BIN/traefik-$TRAEFIK_VERSION
  [[ -x $out ]] && return 0
  # Traefik's go.mod has replace directives (its forks, and a local ./pkg/config/dynamic/ext),
  # which `go install pkg@version` refuses. So: fetch the module through the proxy
  # (`go mod download`), copy it, and build it as the main module, where its replaces apply.
  local dir src
  dir=$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || return 1
  [[ -d $dir ]] || { echo "no module dir for traefik $TRAEFIK_VERSION" >&2; return 1; }
  src=$(mktemp -d "${TMPDIR:-/tmp}/traefik-src.XXXXXX")
  trap 'rm -rf "$src"' RETURN
  cp -r "$dir/." "$src/" && chmod -R u+w "$src" &&
    (cd "$src" && go build -trimpath \
       -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
       -o "$out.tmp" ./cmd/traefik) &&
    mv -f "$out.tmp" "$out"
}

want=("$@"); [[ ${#want[@]} -eq 0 ]] && want=(caddy traefik)
exec 9>"$PEERS/.build.lock"
flock 9
rc=0
for p in "${want[@]}"; do
  log=$LOGS/$p.log
  echo "$(date -u +%FT%TZ) building $p" >"$log"
  if "build_$p" >>"$log" 2>&1; then
    echo "$(date -u +%FT%TZ) ok" >>"$log"
    ln -sfn "$(basename "$(ls -1 "$BIN/$p"-v* | tail -1)")" "$BIN/$p"
  else
    echo "$(date -u +%FT%TZ) FAILED" >>"$log"; rc=1
  fi
done
exit $rc
