#!/usr/bin/env bash
# Submits the trainer's job jar to a cluster with spark-submit. Options before the trainer's flags are Spark's;
# everything after them (or after --) goes to the trainer unchanged. Examples:
#   submit/cluster.sh --master spark://127.0.0.1:7077 --data file:///usr/share/datasets/fashion-mnist --epochs 2
#   submit/cluster.sh --master yarn --deploy-mode cluster --num-executors 8 --executor-cores 2 \
#       --data hdfs:///datasets/fashion-mnist --output hdfs:///user/$USER/runs/fashion-1 --workers 16
#   submit/cluster.sh --master k8s://https://K8S-API:6443 --deploy-mode cluster \
#       --conf spark.kubernetes.container.image=IMAGE --jar local:///opt/app/fashion-trainer-job.jar \
#       --data s3a://BUCKET/fashion-mnist --output s3a://BUCKET/runs/fashion-1
#
# Spark options it knows: --master URL (or $SPARK_MASTER), --deploy-mode client|cluster, --executor-memory,
# --executor-cores, --num-executors (YARN, Kubernetes), --total-executor-cores (standalone), --driver-memory,
# --conf KEY=VALUE, --packages, --jars, --queue, --properties-file (default: conf/spark-defaults.conf), and
# --jar PATH (default: this Spark line's job jar, built when missing: target/fashion-trainer-job.jar, or with
# SPARK_LINE=4 target/spark4/fashion-trainer-spark4_2.13-job.jar; docs/spark-versions.md). JAVA_HOME picks the
# JVM of a driver started here; it must be one the line supports.
#
# What executors need, and where it is set:
# - memory and cores: conf/spark-defaults.conf (2g heap, 1 core); override with the flags. The trainer adds 1g
#   off-heap overhead unless spark.executor.memoryOverhead is set.
# - one native thread per task core (OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1) and OPENBLAS_CORETYPE: the
#   trainer sets spark.executorEnv.* itself unless given, the kernel family from the driver's CPU (or the driver's
#   own OPENBLAS_CORETYPE). Set --conf spark.executorEnv.OPENBLAS_CORETYPE=... when the executors' CPUs differ.
# - Java 17's --add-opens: Spark adds them to its JVMs; conf/spark-defaults.conf states them again.
# - the driver's environment: in client mode the driver is this process (native-env.sh exports the variables);
#   in cluster mode on YARN they go through spark.yarn.appMasterEnv.*, on Kubernetes spark.kubernetes.driverEnv.*.
#   A standalone cluster-mode driver has no such setting: the workers' own environment applies.
#
# Needs spark-submit: $SPARK_HOME/bin/spark-submit, else spark-submit on PATH, else a $SPARK_HOME that holds only
# jars/ (what the cluster tests build from Maven), from which SparkSubmit is started directly.
# --properties-file replaces $SPARK_HOME/conf/spark-defaults.conf; pass site settings with --conf.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=native-env.sh
. "$here/native-env.sh"
# shellcheck source=spark-line.sh
. "$here/spark-line.sh"

master="${SPARK_MASTER:-}"
deploy_mode=client
jar="$line_job_jar"
properties="$root/conf/spark-defaults.conf"
driver_memory=""
spark_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master|--deploy-mode|--jar|--properties-file|--driver-memory|--executor-memory|--executor-cores|\
    --num-executors|--total-executor-cores|--conf|--packages|--jars|--queue)
      if [ $# -lt 2 ] || [ -z "$2" ]; then
        echo "error: $1 needs a value, e.g. $1 VALUE (see the top of $0)" >&2
        exit 2
      fi ;;
  esac
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --deploy-mode) deploy_mode="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --properties-file) properties="$2"; shift 2 ;;
    --driver-memory) driver_memory="$2"; spark_args+=("$1" "$2"); shift 2 ;;
    --executor-memory|--executor-cores|--num-executors|--total-executor-cores|--conf|--packages|--jars|--queue)
      spark_args+=("$1" "$2"); shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
if [ -z "$master" ]; then
  echo "error: no --master given and \$SPARK_MASTER is unset; expected spark://HOST:PORT, yarn or k8s://https://HOST:PORT" >&2
  exit 2
fi

if [ "$jar" = "$line_job_jar" ] && { [ ! -f "$jar" ] \
    || [ -n "$(find "$root/src/main" "$root/src/dl4j-spark" "$root/conf" "$root/pom.xml" -newer "$jar" -print -quit)" ]; }; then
  echo "Building the job jar for Spark $spark_line (mvn package)..." >&2
  (cd "$root" && mvn -B -q "${mvn_line[@]}" -DskipTests package) >&2
fi

# Executors get their native settings from the trainer itself (SparkApplication.setExecutorDefaults). A driver
# that runs on the cluster starts before any code of ours, so it gets this machine's settings passed on.
driver_env_prefix=""
if [ "$deploy_mode" = cluster ]; then
  case "$master" in
    yarn*) driver_env_prefix=spark.yarn.appMasterEnv. ;;
    k8s://*) driver_env_prefix=spark.kubernetes.driverEnv. ;;
  esac
fi
if [ -n "$driver_env_prefix" ]; then
  for name in OMP_NUM_THREADS OPENBLAS_NUM_THREADS OPENBLAS_CORETYPE; do
    [ -n "${!name:-}" ] && spark_args+=(--conf "$driver_env_prefix$name=${!name}")
  done
fi

# The value of KEY in the properties file, the way spark-submit reads it (key, whitespace, value).
property() {
  awk -v key="$1" '$1 == key { sub(/^[^ \t]+[ \t]+/, ""); print; exit }' "$properties"
}

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  submit=("$SPARK_HOME/bin/spark-submit")
elif command -v spark-submit >/dev/null; then
  submit=(spark-submit)
elif [ -n "${SPARK_HOME:-}" ] && [ -d "$SPARK_HOME/jars" ]; then
  # What bin/spark-submit does for a client-mode driver: its JVM gets spark.driver.memory,
  # spark.driver.extraJavaOptions and Java 17's --add-opens, since they must be set before the JVM starts, and
  # $SPARK_SUBMIT_OPTS (where a site puts -Dspark.* settings such as spark.yarn.jars).
  # shellcheck disable=SC2207
  driver_opts=($(property spark.driver.extraJavaOptions))
  heap="${driver_memory:-$(property spark.driver.memory)}"
  read -ra submit_opts <<< "${SPARK_SUBMIT_OPTS:-}"
  # Like bin/spark-class, the Hadoop client configuration (core-site.xml, yarn-site.xml) goes on the classpath.
  classpath="$SPARK_HOME/jars/*"
  for conf_dir in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do
    [ -n "$conf_dir" ] && classpath="$conf_dir:$classpath"
  done
  submit=("$java_cmd" @"$root/conf/java17.args" "${driver_opts[@]}" "${submit_opts[@]}" "-Xmx${heap:-1g}"
          -cp "$classpath" org.apache.spark.deploy.SparkSubmit)
else
  echo "error: spark-submit not found: expected \$SPARK_HOME/bin/spark-submit, spark-submit on PATH, or \$SPARK_HOME/jars;" \
       "SPARK_HOME is '${SPARK_HOME:-}'" >&2
  exit 2
fi

exec "${submit[@]}" --master "$master" --deploy-mode "$deploy_mode" --name fashion-trainer \
  --properties-file "$properties" --class dev.fashiontrainer.cli.FashionTrainer \
  "${spark_args[@]}" "$jar" "$@"
