#!/usr/bin/env bash
# Usage: protos.sh OUT_DIR
# Compiles the protobuf definitions of the Kubernetes API at the pinned version
# (k8s.io/api, k8s.io/apimachinery, k8s.io/apiextensions-apiserver: the
# generated.proto files of the Go modules test-clusters/ builds from) into one
# FileDescriptorSet, OUT_DIR/kubernetes.desc.gz (gzip -n, reproducible), and
# lists in OUT_DIR/jsonfields.txt.gz where Go's JSON differs from protobuf:
# the fields left out when zero and the inlined structs (go run ./omitempty,
# from the Go types themselves). The hub decodes protobuf
# request bodies (what kubectl's create/run/expose generators send) with them.
# protoc comes from Maven Central (com.google.protobuf:protoc), cached under
# ~/.cache/meridian/protoc. Regenerate after a version bump:
#   test-clusters/protos.sh meridian-hub/src/main/resources/dev/meridian/hub/protobuf
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
[[ $# -eq 1 ]] || die "usage: protos.sh OUT_DIR"
out="$1/kubernetes.desc.gz"
protoc_version=4.36.2
protoc="$HOME/.cache/meridian/protoc/protoc-$protoc_version-linux-x86_64.exe"
if [[ ! -x "$protoc" ]]; then
  mvn -B -ntp -q dependency:copy \
    "-Dartifact=com.google.protobuf:protoc:$protoc_version:exe:linux-x86_64" \
    "-DoutputDirectory=$(dirname "$protoc")" || die "cannot fetch protoc from Maven"
  chmod +x "$protoc"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
files=()
for m in k8s.io/api k8s.io/apimachinery k8s.io/apiextensions-apiserver; do
  dir="$(cd "$here" && go list -m -f '{{.Dir}}' "$m")" || die "go list $m failed"
  mkdir -p "$tmp/src/$(dirname "$m")"
  ln -s "$dir" "$tmp/src/$m"
  while IFS= read -r f; do
    files+=("$m/${f#"$dir"/}")
  done < <(find "$dir" -name generated.proto -not -path '*/testdata/*' -not -path '*/testapigroup/*' | sort)
done
mkdir -p "$(dirname "$out")"
# (the generated files import more than they use: protoc's warnings say so, one per file)
"$protoc" -I "$tmp/src" --include_imports --descriptor_set_out="$tmp/set.pb" "${files[@]}" \
  2> >(grep -v 'is unused\.$' >&2)
gzip -n -9 <"$tmp/set.pb" >"$out"
echo "${#files[@]} proto files -> $out ($(stat -c %s "$out") bytes)"
(cd "$here" && go run ./omitempty) | gzip -n -9 >"$1/jsonfields.txt.gz"
echo "JSON-only field rules -> $1/jsonfields.txt.gz ($(zcat "$1/jsonfields.txt.gz" | wc -l) fields)"
