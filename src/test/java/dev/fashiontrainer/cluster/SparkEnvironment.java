package dev.fashiontrainer.cluster;

import java.util.Map;

/** A test cluster that a submitting process (spark-submit, submit/cluster.sh) must know about. */
public interface SparkEnvironment {
    /**
     * Sets what a process that submits to this cluster needs: Spark's home, the Hadoop configuration, ...
     *
     * @param environment a process builder's environment
     */
    void environment(Map<String, String> environment);
}
