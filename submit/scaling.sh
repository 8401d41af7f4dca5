#!/usr/bin/env bash
# The scaling measurement (docs/scaling.md): Spark clusters of 1, 2, 4 and 8 workers whose master, driver and
# workers each live in their own Linux network namespace, joined through a bridge by links that tc limits to 1, 10
# and 25 Gbit/s; times the trainer's averaging rounds (direct to the driver and through a tree) and its test
# evaluation for the seed's network and a wider one, appends them to docs/scaling-measurements.jsonl, then fits the
# cost model and regenerates docs/scaling.md and docs/scaling.png (submit/scaling_report.py). Needs root and
# iproute2 (and Debian's python3-matplotlib and python3-scipy for the report); takes 15-60 minutes on 2 cores. Examples:
#   submit/scaling.sh
#   submit/scaling.sh --workers 2,4 --rates 1 --layers 784,512,512,10
#   submit/scaling.sh --report-only      # the page and the plot again from the measurements file
# Every cluster's namespaces are deleted when it is done, also after a failure; a crashed run's are deleted by
# the next one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"
# shellcheck source=native-env.sh
. "$here/native-env.sh"

if [ "${1:-}" != "--report-only" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: network namespaces need root; run submit/scaling.sh as root" >&2
    exit 2
  fi
  classpath_file="$root/target/benchmark-classpath.txt"
  echo "Building the trainer, the benchmark and the Spark home (mvn verify -DskipTests, log in target/scaling-build.log)..." >&2
  mkdir -p "$root/target"
  if ! (mvn -B -ntp verify -DskipTests \
        && mvn -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file") \
        > "$root/target/scaling-build.log" 2>&1; then
    grep -E '\[ERROR\]' "$root/target/scaling-build.log" | head -20 >&2
    echo "error: the build failed; see $root/target/scaling-build.log" >&2
    exit 1
  fi
  java @"$root/conf/java17.args" -Xmx1g \
    -Dcluster.sparkHome="$root/target/spark-home" -Dcluster.javaOptions="@$root/conf/java17.args" \
    -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
    -cp "$root/target/test-classes:$root/target/classes:$(cat "$classpath_file")" \
    dev.fashiontrainer.bench.ScalingBench "$@"
fi
exec /usr/bin/python3 "$here/scaling_report.py" docs/scaling-measurements.jsonl docs/scaling.md docs/scaling.png
