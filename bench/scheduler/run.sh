#!/usr/bin/env bash
# Builds meridian-scheduler and this bench, then prints scheduling latency (p50/p99) for 100
# clusters (see bench/scheduler/README.md). Extra arguments go to SchedulerBench, e.g.
# --clusters 500 --iterations 50000.
# SKIP_INSTALL=1 uses the meridian artifacts already in ~/.m2 instead of installing them first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [[ "${SKIP_INSTALL:-0}" != 1 ]]; then
  echo "installing meridian-scheduler into ~/.m2 ..."
  (cd "$root" && mvn -B -q -pl meridian-scheduler -am install -DskipTests)
fi
echo "building the bench ..."
(cd "$here" && mvn -B -q package -DskipTests)
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
# one thread does the work; a fixed heap keeps GC out of the way as far as it can be
exec java -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$cp" dev.meridian.bench.scheduler.SchedulerBench "$@"
