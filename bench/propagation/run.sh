#!/usr/bin/env bash
# Builds the hub and this bench, then runs the propagation benchmark (see bench/propagation/README.md):
# scheduling latency, template change -> applied in 100 simulated clusters, bulk convergence of
# 1,000 Deployments x 100 clusters, and a change on 3 real kube-apiservers, in one run.
# Extra arguments go to PropagationBench, e.g. --real 0 (simulated only) or --bulk 0 (no bulk phase).
# Loopback only; bounded in time (the run itself is killed after 9.8 minutes); on exit the child
# hub is stopped and the real clusters are stopped and removed.
# SKIP_INSTALL=1 uses the meridian artifacts already in ~/.m2 instead of installing them first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/target/run-$(date +%Y%m%d-%H%M%S)"
installed="$HOME/.m2/repository/dev/meridian/meridian-hub/0.1.0-SNAPSHOT/meridian-hub-0.1.0-SNAPSHOT.jar"

if [[ "${SKIP_INSTALL:-0}" != 1 ]]; then
  echo "installing the meridian modules (and meridian-members' test-jar) into ~/.m2 ..."
  log="$(mktemp)"
  # spotless.apply.skip: do not reformat other modules' sources as a side effect of building them
  if ! (cd "$root" && mvn -B -q install -DskipTests -Dspotless.apply.skip=true) >"$log" 2>&1; then
    grep -m 5 'ERROR' "$log" >&2 || tail -n 20 "$log" >&2
    if [[ -f "$installed" ]]; then
      # the tree is shared with people editing other modules; a build broken for a moment
      # elsewhere should not stop a benchmark of what was last installed
      echo "WARNING: the install failed (full log: $log); benchmarking the jars installed in" \
        "~/.m2 on $(date -r "$installed" '+%F %T')" >&2
    else
      echo "the install failed and nothing is installed (full log: $log)" >&2
      exit 1
    fi
  else
    rm -f "$log"
  fi
fi
echo "installing bench/support into ~/.m2 ..."
mvn -B -q -f "$here/../support/pom.xml" install -DskipTests
echo "building the bench ..."
(cd "$here" && mvn -B -q package -DskipTests)

cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
# which code was measured: the commit, and whether the working tree differed from it
source="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git -C "$root" diff --quiet HEAD -- . 2>/dev/null; then source="$source + uncommitted changes"; fi
source="$source; hub jar installed $(date -r "$installed" '+%F %T' 2>/dev/null || echo '?')"
mkdir -p "$out"
# RealClusters finds test-clusters/ by walking up from the working directory
cd "$root"
# a safety net only: every phase is bounded by the bench itself (about 7-8 minutes in all);
# on TERM its shutdown hook stops the child hub and the real clusters
exec timeout --foreground --signal=TERM --kill-after=30 590 \
  java -Xmx768m -Dorg.slf4j.simpleLogger.log.io.netty.util.concurrent.DefaultPromise.rejectedExecution=off -cp "$cp" dev.meridian.bench.propagation.PropagationBench --out "$out" --source "$source" "$@"
