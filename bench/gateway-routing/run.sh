#!/usr/bin/env bash
# Builds meridian-gateway (mvn package into its target/, never install: ~/.m2's SNAPSHOTs are
# shared) and this bench, then runs the JMH routing benchmark and prints ns/op.
# Extra arguments go to JMH; the default is a short run: -f 1 -wi 2 -i 3.
# SKIP_BUILD=1 reuses what is already built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "building meridian-gateway (package, no tests) ..."
  (cd "$root" && mvn -B -q -ntp -pl meridian-gateway -am package -DskipTests)
  echo "building the bench ..."
  (cd "$here" && mvn -B -q -ntp package -DskipTests)
fi

cp="$here/target/classes:$root/meridian-gateway/target/meridian-gateway-0.1.0-SNAPSHOT.jar"
cp="$cp:$root/meridian-api/target/meridian-api-0.1.0-SNAPSHOT.jar:$(cat "$here/target/classpath.txt")"
args=("$@")
if [[ ${#args[@]} -eq 0 ]]; then args=(-f 1 -wi 2 -i 3); fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "source: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . || echo ' + uncommitted changes')"
exec java -cp "$cp" org.openjdk.jmh.Main 'dev.meridian.bench.gateway.RoutingBench' -tu ns -bm avgt "${args[@]}"
