package dev.fashiontrainer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * Every way of submitting the trainer (submit/cluster.sh, a bare spark-submit, Airflow) gives its executors one
 * native thread per task core and room off the heap, unless the submission says otherwise.
 */
class ExecutorDefaultsTest {
    @Test
    void executorsGetOneNativeThreadAndOffHeapOverheadByDefault() {
        SparkConf conf = new SparkConf(false);
        SparkApplication.setExecutorDefaults(conf);
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("1", conf.get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
        assertEquals("1g", conf.get("spark.executor.memoryOverhead"));
    }

    @Test
    void theSubmissionsOwnSettingsWin() {
        SparkConf conf = new SparkConf(false)
                .set("spark.executorEnv.OPENBLAS_CORETYPE", "Haswell")
                .set("spark.executorEnv.OMP_NUM_THREADS", "2")
                .set("spark.executor.memoryOverhead", "3g");
        SparkApplication.setExecutorDefaults(conf);
        assertEquals("Haswell", conf.get("spark.executorEnv.OPENBLAS_CORETYPE"));
        assertEquals("2", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("3g", conf.get("spark.executor.memoryOverhead"));
    }
}
