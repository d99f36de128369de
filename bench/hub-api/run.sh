#!/usr/bin/env bash
# Builds the hub and this bench, then runs the hub-api load benchmark (see bench/README.md).
# Extra arguments go to HubApiBench, e.g. --write-seconds 30, --plain-http, --profile, or
# --hub URL --token-file F for a hub you started. SKIP_HUB_BUILD=1 uses the meridian-hub
# already installed in ~/.m2. Loopback only; bounded in time; the child hub is stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/target/run-$(date +%Y%m%d-%H%M%S)"
installed="$HOME/.m2/repository/dev/meridian/meridian-hub/0.1.0-SNAPSHOT/meridian-hub-0.1.0-SNAPSHOT.jar"

if [ "${SKIP_HUB_BUILD:-0}" != 1 ]; then
  echo "building meridian-hub (and what it needs) into ~/.m2 ..."
  log="$(mktemp)"
  if ! (cd "$root" && mvn -B -q -pl meridian-hub -am install -DskipTests) >"$log" 2>&1; then
    grep -m 5 'ERROR' "$log" >&2 || tail -n 20 "$log" >&2
    if [ -f "$installed" ]; then
      # the tree is shared with people editing other modules; a build broken for a moment
      # elsewhere should not stop a benchmark of the hub that was last built
      echo "WARNING: building meridian-hub failed (full log: $log); benchmarking the one" \
        "installed in ~/.m2 on $(date -r "$installed" '+%F %T')" >&2
    else
      echo "building meridian-hub failed and none is installed (full log: $log)" >&2
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

if ! command -v wrk >/dev/null; then
  echo "note: wrk is not installed, so the peer comparison is skipped (apt-get install -y wrk)"
fi

cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
mkdir -p "$out"
# a safety net only: the bench bounds every phase itself (about 2 minutes by default);
# on TERM its shutdown hook stops the child hub
exec timeout --foreground --signal=TERM --kill-after=20 290 \
  java -Xms512m -Xmx1g -cp "$cp" dev.meridian.bench.HubApiBench --out "$out" "$@"
