# Sourced by the launch scripts (after $root is set): which Spark line's build to run, from SPARK_LINE (3.5, the
# default, or 4; docs/spark-versions.md), and a check that the JVM is one that line supports. Sets build_dir,
# line_jar (the thin jar for local mode), line_job_jar (the job jar for spark-submit), mvn_line (Maven's flag for
# the line) and java_cmd ($JAVA_HOME/bin/java, else java on PATH).
spark_line="${SPARK_LINE:-3.5}"
case "$spark_line" in
  3.5|3)
    spark_line=3.5
    build_dir="$root/target"; jar_base=fashion-trainer; mvn_line=()
    # Spark 3.5 runs on Java 8, 11 and 17 (its docs); the trainer is built for 17.
    java_supported="17"; java_hint=", or SPARK_LINE=4 for Java 21 and 25" ;;
  4)
    build_dir="$root/target/spark4"; jar_base=fashion-trainer-spark4_2.13; mvn_line=(-Dspark.line=4)
    # Spark 4.2 runs on Java 17, 21 and 25 (its docs).
    java_supported="17 21 25"; java_hint="" ;;
  *)
    echo "error: SPARK_LINE must be 3.5 or 4, found '$spark_line'" >&2
    exit 2 ;;
esac
line_jar="$build_dir/$jar_base.jar"
line_job_jar="$build_dir/$jar_base-job.jar"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_feature="$("$java_cmd" -XshowSettings:properties -version 2>&1 \
  | awk -F' = ' '/java.specification.version/ { print $2; exit }')"
if [ -z "$java_feature" ]; then
  echo "error: no Java found at '$java_cmd'; install Java 17 or set JAVA_HOME" >&2
  exit 2
fi
if [[ " $java_supported " != *" $java_feature "* ]]; then
  echo "error: Java $java_feature ($java_cmd) is not supported by the Spark $spark_line build; use Java" \
       "${java_supported// / or } (set JAVA_HOME)$java_hint" >&2
  exit 2
fi
