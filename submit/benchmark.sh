#!/usr/bin/env bash
# The speed benchmark: the matrix-multiply bound of this machine, this trainer with 1 and N workers (seed recipe)
# and N workers (fast recipe), the time to 88% test accuracy against a PyTorch process, DL4J's
# ParameterAveragingTrainingMaster with its defaults, MLlib's MultilayerPerceptronClassifier, and this trainer on 1x
# and 10x the training set (shifted copies in a temporary directory), all in one run;
# prints a Markdown table, writes it to runs/benchmark-<time>.md (or --output) and, dated, into
# docs/performance.md (or --page). Takes 15-30 minutes; run it on
# an otherwise idle machine. Examples:
#   submit/benchmark.sh
#   submit/benchmark.sh --repeats 3 --output speed.md
#   submit/benchmark.sh --data-scale-only     # examples/s and driver memory on 1x and 10x the training set
#   submit/benchmark.sh --trainer-only --layers 784,256,10   # the bound and this trainer alone, for another network
#   submit/benchmark.sh --mlpc-peer-only      # MLlib's perceptron against the estimator on generated tabular data
#   submit/benchmark.sh --spark-lines --also-java /usr/lib/jvm/temurin-25-jdk-amd64   # seed recipe, both Spark lines
#   submit/benchmark.sh --help
# The benchmark's code (src/bench/java) is built with the tests and is not part of the job jar. Every measurement
# runs in its own JVM with the environment of native-env.sh; the trainer runs through submit/local.sh. SPARK_LINE=4
# measures the Spark 4 build (without DL4J's Spark peer, which exists for Scala 2.12 only).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=native-env.sh
. "$here/native-env.sh"
# shellcheck source=spark-line.sh
. "$here/spark-line.sh"

classpath_file="$build_dir/benchmark-classpath.txt"
echo "Building the trainer and the benchmark for Spark $spark_line (mvn package, log in $build_dir/benchmark-build.log)..." >&2
mkdir -p "$build_dir"
if ! (cd "$root" && mvn -B -ntp "${mvn_line[@]}" -DskipTests package \
      && mvn -B -ntp "${mvn_line[@]}" dependency:build-classpath -Dmdep.includeScope=test \
           -Dmdep.outputFile="$classpath_file") \
      > "$build_dir/benchmark-build.log" 2>&1; then
  grep -E '\[ERROR\]' "$build_dir/benchmark-build.log" | head -20 >&2
  echo "error: the build failed; see $build_dir/benchmark-build.log" >&2
  exit 1
fi
# --spark-lines runs the seed recipe on both lines' builds (and on the JDKs of --also-java): build the other one too.
for arg in "$@"; do
  if [ "$arg" = --spark-lines ]; then
    other_line=(-Dspark.line=4); [ "$spark_line" = 4 ] && other_line=(-Dspark.line=3.5)
    echo "Building the other Spark line's trainer too (mvn ${other_line[*]} package)..." >&2
    if ! (cd "$root" && mvn -B -ntp "${other_line[@]}" -DskipTests package) >> "$build_dir/benchmark-build.log" 2>&1; then
      grep -E '\[ERROR\]' "$build_dir/benchmark-build.log" | head -20 >&2
      echo "error: the build failed; see $build_dir/benchmark-build.log" >&2
      exit 1
    fi
  fi
done

# The PyTorch peer needs Debian's python3-torch: installed here when missing and this runs as root with apt-get;
# otherwise the benchmark skips that peer and says why in the table.
# The parts that leave the PyTorch peer out need no torch.
needs_torch=yes
for arg in "$@"; do
  case "$arg" in --trainer-only|--mlpc-peer-only|--data-scale-only|--spark-lines) needs_torch=no ;; esac
done
if [ "$needs_torch" = yes ] && ! /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing python3-torch for the PyTorch peer (apt-get, log in target/torch-install.log)..." >&2
  apt-get install -y python3-torch > "$root/target/torch-install.log" 2>&1 \
    || echo "note: apt-get could not install python3-torch (see target/torch-install.log); the PyTorch peer is skipped" >&2
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec "$java_cmd" @"$root/conf/java17.args" -XX:-TieredCompilation -Xmx8g \
  -Dspark.ui.enabled=false -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$build_dir/test-classes:$build_dir/classes:$(cat "$classpath_file")" \
  dev.fashiontrainer.bench.Benchmark --launcher "$here/local.sh" "$@"
