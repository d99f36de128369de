#!/usr/bin/env bash
# Builds the hub and this bench, then runs the fleet scale benchmark (see bench/fleet/README.md).
# Extra arguments go to FleetBench, e.g. --real 0 (simulated only) or --sim-steps 10,50,100,200.
# Loopback only; bounded in time (the run itself is killed after 9.5 minutes); on exit the child
# hub is stopped and the real clusters are stopped and removed.
# SKIP_INSTALL=1 uses the meridian artifacts already in ~/.m2 instead of installing them first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/target/run-$(date +%Y%m%d-%H%M%S)"

if [[ "${SKIP_INSTALL:-0}" != 1 ]]; then
  echo "installing meridian-hub and meridian-members (with its test-jar) into ~/.m2 ..."
  # spotless.apply.skip: do not reformat other modules' sources as a side effect of building them
  (cd "$root" && mvn -B -q -pl meridian-hub,meridian-members -am install -DskipTests -Dspotless.apply.skip=true)
fi
echo "installing bench/support into ~/.m2 ..."
mvn -B -q -f "$here/../support/pom.xml" install -DskipTests
echo "building the bench ..."
(cd "$here" && mvn -B -q package -DskipTests)

cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
# which code was measured: the commit, and whether the working tree differed from it
source="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git -C "$root" diff --quiet HEAD -- . 2>/dev/null; then source="$source + uncommitted changes"; fi
mkdir -p "$out"
# RealClusters finds test-clusters/ by walking up from the working directory
cd "$root"
# a safety net only: every phase is bounded by the bench itself (about 2-3 minutes in all, 3-4 with --stall);
# on TERM its shutdown hook stops the child hub and the real clusters
exec timeout --foreground --signal=TERM --kill-after=60 570 \
  java -Xmx512m -cp "$cp" dev.meridian.bench.FleetBench --out "$out" --source "$source" "$@"
