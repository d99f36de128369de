#!/usr/bin/env bash
# Installs what start.sh needs from Debian when missing: etcd (etcd-server)
# and openssl. Needs root (or sudo). Kubernetes binaries come from build.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

pkgs=()
command -v etcd >/dev/null 2>&1 || pkgs+=(etcd-server)
command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
[[ ${#pkgs[@]} -eq 0 ]] && exit 0
command -v apt-get >/dev/null || die "apt-get not found: install ${pkgs[*]} by hand"
sudo=()
[[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
log "installing ${pkgs[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null || die "apt-get update failed"
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null || die "apt-get install ${pkgs[*]} failed"
# Debian's package starts an etcd service on 2379 where systemd runs; ours
# does not use it, so stop it if it is up.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
  "${sudo[@]}" systemctl disable --now etcd >/dev/null 2>&1 || true
fi
