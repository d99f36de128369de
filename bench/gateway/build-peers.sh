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
  local gobin
  gobin=$(mktemp -d "${TMPDIR:-/tmp}/caddy-bin.XXXXXX")
  GOBIN=$gobin go install "github.com/caddyserver/caddy/v2/cmd/caddy@$CADDY_VERSION" &&
    mv -f "$gobin/caddy" "$out"
  local rc=$?
  rm -rf "$gobin"
  return $rc
}

build_traefik() {
  local out=$BIN/traefik-$TRAEFIK_VERSION
  [[ -x $out ]] && return 0
  # `go install github.com/traefik/traefik/v3/cmd/traefik@VERSION` cannot work here:
  #  - Traefik's go.mod has replace directives, which `go install pkg@version` refuses;
  #  - two of them name Traefik's forks (github.com/containous/mux, .../go-http-auth), and the
  #    module proxy reachable here refuses both modules, as it refuses a few SDKs that lego's
  #    ACME DNS providers import, and the nested module github.com/traefik/traefik/dynamic/ext.
  # So: fetch the module through the proxy (`go mod download`), copy it, build it as the main
  # module with these changes, none of them on the proxying path:
  #  - dynamic/ext: the nested module is absent from the module zip; it is two empty structs
  #    (`type HTTP struct{}`, `type Router struct{}`), written here as upstream has them;
  #  - go-http-auth: upstream github.com/abbot/go-http-auth v0.4.0 instead of the fork, plus
  #    the fork's CheckSecret and RequireAuthStale (basic and digest auth middlewares, unused here);
  #  - mux: upstream github.com/gorilla/mux v1.8.1 plus the fork's two additions as no-ops
  #    (`Router.UseRoutingPath`, `RoutingPathKey`); only v2-syntax Path rules on paths with
  #    percent-encoded characters would match differently; the bench's rule is Host(...);
  #  - lego (ACME): the DNS providers whose SDKs the proxy refuses are removed from a local copy.
  local dir src lego
  dir=$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir ]] || { echo "no module dir for traefik $TRAEFIK_VERSION" >&2; return 1; }
  src=$PEERS/src/traefik-$TRAEFIK_VERSION   # kept: a second try resumes where it stopped
  if [[ ! -d $src/traefik ]]; then
    rm -rf "$src"; mkdir -p "$src"
    cp -r "$dir/." "$src/traefik/" || return 1
    chmod -R u+w "$src"
  fi
  (
    set -e
    cd "$src/traefik"
    mkdir -p pkg/config/dynamic/ext
    [[ -f pkg/config/dynamic/ext/ext.go ]] || {
      printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.26.0\n' >pkg/config/dynamic/ext/go.mod
      printf 'package ext\n\n// HTTP is a dynamic.HTTP extension.\ntype HTTP struct{}\n\n// Router is a dynamic.Router extension.\ntype Router struct{}\n' \
        >pkg/config/dynamic/ext/ext.go
    }
    lego_mod=$(go list -m -f '{{.Path}}@{{.Version}}' all 2>/dev/null | grep '^github.com/go-acme/lego/v[0-9]*@' | head -1)
    [[ -n $lego_mod ]] || lego_mod=$(sed -n 's/^[[:space:]]*\(github.com\/go-acme\/lego\/v[0-9]*\) \(v[^ ]*\).*/\1@\2/p' go.mod | head -1)
    if [[ ! -d ../lego ]]; then
      cp -r "$(go mod download -json "$lego_mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/." ../lego
      chmod -R u+w ../lego
    fi
    if [[ ! -d ../mux ]]; then
      cp -r "$(go mod download -json github.com/gorilla/mux@v1.8.1 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/." ../mux
      chmod -R u+w ../mux
      cat >../mux/meridian_fork_compat.go <<'GO'
package mux

// The two names Traefik uses from its fork github.com/containous/mux, as no-ops: the fork
// matches v2-syntax Path rules on a path with non-reserved characters percent-decoded.
type routingPathKeyType struct{}

// RoutingPathKey is the request context key of the routing path (set by Traefik, unused here).
var RoutingPathKey = routingPathKeyType{}

// UseRoutingPath returns the router unchanged.
func (r *Router) UseRoutingPath() *Router { return r }
GO
    fi
    if [[ ! -d ../go-http-auth ]]; then
      cp -r "$(go mod download -json github.com/abbot/go-http-auth@v0.4.0 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/." ../go-http-auth
      chmod -R u+w ../go-http-auth
      cat >../go-http-auth/meridian_fork_compat.go <<'GO'
package auth

import (
	"net/http"
	"strings"
)

// CheckSecret reports whether password matches secret (htpasswd: bcrypt, {SHA}, $apr1$ or
// $1$), as the fork's and upstream master's do, from v0.4.0's own comparison functions.
func CheckSecret(password, secret string) bool {
	compare := compareFuncs[0].compare
	for _, cmp := range compareFuncs[1:] {
		if strings.HasPrefix(secret, cmp.prefix) {
			compare = cmp.compare
			break
		}
	}
	return compare([]byte(secret), []byte(password)) == nil
}

// RequireAuthStale: the fork adds stale=true to the challenge; here a plain RequireAuth.
func (a *DigestAuth) RequireAuthStale(w http.ResponseWriter, r *http.Request) {
	a.RequireAuth(w, r)
}
GO
    fi
    # v0.4.0 predates modules: a replacement directory needs a go.mod
    [[ -f ../go-http-auth/go.mod ]] ||
      printf 'module github.com/abbot/go-http-auth\n\ngo 1.12\n' >../go-http-auth/go.mod
    go mod edit -replace github.com/abbot/go-http-auth=../go-http-auth \
      -replace github.com/gorilla/mux=../mux -replace "${lego_mod%@*}=../lego"
    # drop every lego DNS provider whose module the proxy refuses (found by building), at most 8 rounds
    for _ in 1 2 3 4 5 6 7 8; do
      if go build -mod=mod -trimpath \
          -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
          -o "$out.tmp" ./cmd/traefik 2>../build.err; then
        mv -f "$out.tmp" "$out"; exit 0
      fi
      cat ../build.err
      refused=$(grep -o '\.\./lego/providers/dns/[a-z0-9]*/' ../build.err | cut -d/ -f5 | sort -u)
      [[ -n $refused ]] || exit 1
      for p in $refused; do
        echo "removing lego DNS provider $p (its SDK is not served)"
        rm -rf "../lego/providers/dns/$p"
        python3 - "$p" ../lego/providers/dns/zz_gen_dns_providers.go <<'PY'
import re, sys
p, f = sys.argv[1], sys.argv[2]
s = open(f).read()
s = re.sub(r'\t"github.com/go-acme/lego/v[0-9]+/providers/dns/%s"\n' % p, '', s)
s = re.sub(r'\tcase [^\n]*\n\t\treturn %s\.NewDNSProvider\(\)\n' % p, '', s)
open(f, 'w').write(s)
PY
      done
    done
    exit 1
  )
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
    v=${p^^}_VERSION
    ln -sfn "$p-${!v}" "$BIN/$p"
  else
    echo "$(date -u +%FT%TZ) FAILED" >>"$log"; rc=1
  fi
done
exit $rc
