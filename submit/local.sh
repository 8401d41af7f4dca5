#!/usr/bin/env bash
# Trains in Spark local mode on this machine, with no Spark installation: builds the jar when needed, then runs
# the trainer with every flag passed through. Examples:
#   submit/local.sh                      # the seed's 10 epochs on 2 workers
#   submit/local.sh --epochs 3 --workers 1
#   submit/local.sh --recipe fast --workers 4
#   submit/local.sh --help
# SPARK_LINE=4 runs the Spark 4 / Scala 2.13 build instead of Spark 3.5's (docs/spark-versions.md); JAVA_HOME picks
# the JVM, which must be one the line supports. SPARK_LOCAL_CORES sets the number of local task threads (default:
# all cores). TRAINER_MAIN runs another main class on the same classpath, e.g. TRAINER_MAIN=dev.fashiontrainer.examples.EstimatorExample (docs/estimator.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=native-env.sh
. "$here/native-env.sh"
# shellcheck source=spark-line.sh
. "$here/spark-line.sh"

jar="$line_jar"
classpath_file="$build_dir/classpath.txt"
if [ ! -f "$jar" ] || [ ! -f "$classpath_file" ] || [ "$root/pom.xml" -nt "$classpath_file" ] \
   || [ -n "$(find "$root/src/main" "$root/src/dl4j-spark" "$root/conf" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  # The touch below: the dependency plugin leaves an unchanged classpath file as it was, and then every run after
  # a pom.xml edit would rebuild (seen: two rebuilds inside one benchmark).
  echo "Building the trainer for Spark $spark_line (mvn package, log in $build_dir/build.log)..." >&2
  mkdir -p "$build_dir"
  if ! (cd "$root" && mvn -B -ntp "${mvn_line[@]}" -DskipTests package \
        && mvn -B -ntp "${mvn_line[@]}" dependency:build-classpath -Dmdep.includeScope=compile \
             -Dmdep.outputFile="$classpath_file" \
        && touch "$classpath_file") \
        > "$build_dir/build.log" 2>&1; then
    grep -E '\[ERROR\]' "$build_dir/build.log" | head -20 >&2
    echo "error: the build failed; see $build_dir/build.log" >&2
    exit 1
  fi
fi

# Only the optimizing JIT compiler: with the quick first-tier compiler too, the JVM keeps compiling Spark's and
# DL4J's code for several epochs on the same two cores as the training tasks. Measured here (2 workers, 2 runs
# each): median epoch 1.46 s without it, against 1.55 s. TRAINER_JAVA_OPTS=-XX:+TieredCompilation restores it.
jit=(-XX:-TieredCompilation)
# TRAINER_JAVA_OPTS comes after the defaults, so it adds to them and overrides only what it names (the JVM takes
# the last -Xmx): TRAINER_JAVA_OPTS=-Xmx2g shrinks the heap, TRAINER_JAVA_OPTS=-verbose:gc keeps the 8 GB.

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"  # local mode talks to itself only
# shellcheck disable=SC2086  # TRAINER_JAVA_OPTS holds several options, split on spaces
exec "$java_cmd" @"$root/conf/java17.args" "${jit[@]}" -Xmx8g ${TRAINER_JAVA_OPTS:-} \
  -Dspark.master="local[${SPARK_LOCAL_CORES:-*}]" \
  -Dspark.ui.enabled="${SPARK_UI_ENABLED:-false}" \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$jar:$(cat "$classpath_file")" \
  "${TRAINER_MAIN:-dev.fashiontrainer.cli.FashionTrainer}" "$@"
