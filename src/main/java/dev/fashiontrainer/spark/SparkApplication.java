package dev.fashiontrainer.spark;

import java.util.function.Consumer;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.api.java.JavaSparkContext;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TrainerException;
import dev.fashiontrainer.model.NativeSettings;

/**
 * Gives a command the application's Spark context: the one already running in this JVM (a notebook, a test), or
 * else a new one that is stopped when the command's work is done.
 */
public final class SparkApplication {
    /**
     * How often executors report to the driver. Their heartbeats carry the accumulators of running tasks, which is
     * how an epoch's progress reaches the console while it runs ({@link dev.fashiontrainer.progress.LiveProgress});
     * Spark's default, 10 s, would leave an epoch of a few seconds silent. One small message a second per executor
     * costs the driver little; spark-submit's {@code --conf spark.executor.heartbeatInterval=...} overrides it
     * (it must stay below {@code spark.network.timeout}, 120 s).
     */
    public static final String HEARTBEAT_INTERVAL = "1s";

    private SparkApplication() {
    }

    /**
     * @param localThreads task threads when there is no master configured
     * @param work what to do with the context
     */
    public static void run(int localThreads, Consumer<JavaSparkContext> work) {
        // Where the work runs is spark-submit's (or submit/local.sh's) decision; local mode only as a fallback.
        SparkConf sparkConf = new SparkConf().setAppName("fashion-trainer")
                .setIfMissing("spark.master", "local[" + localThreads + "]")
                // A worker's result is its model, 2.7 MB (8 MB with Adam's moments): above Spark's 1 MB default
                // it is parked in the executor's block manager and fetched in a second trip. Sent with the task's
                // status instead, an averaging round took 20 ms less (measured in local mode, 2 workers).
                .setIfMissing("spark.task.maxDirectResultSize", "16m")
                .setIfMissing("spark.executor.heartbeatInterval", HEARTBEAT_INTERVAL);
        setExecutorDefaults(sparkConf);
        boolean ownsContext = SparkContext$.MODULE$.getActive().isEmpty();
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(sparkConf));
        // What the scheduler backend is told when the context stops: in YARN client mode the ApplicationMaster
        // reports the application FAILED for a non-zero code, SUCCEEDED for 0 (with a plain stop(), always 0).
        int exitCode = ExitCodes.FAILURE;
        try {
            if (ownsContext) {
                spark.setLogLevel("WARN");
            }
            work.accept(spark);
            exitCode = ExitCodes.OK;
        } catch (TrainerException e) {
            exitCode = e.exitCode();
            throw e;
        } finally {
            if (ownsContext) { // a context someone else started (a notebook, a test) is theirs to stop
                spark.sc().stop(exitCode);
            }
        }
    }

    /**
     * What the executors need, unless the user or the site set it: however the job was submitted (submit/cluster.sh,
     * a bare spark-submit, Airflow's SparkSubmitOperator), its executors compute with the right native settings.
     * Executors start after the context, so settings made here reach them on every cluster manager.
     */
    static void setExecutorDefaults(SparkConf sparkConf) {
        NativeSettings.environment().forEach((name, value) -> sparkConf.setIfMissing("spark.executorEnv." + name, value));
        // ND4J computes off the Java heap (JavaCPP buffers, a 320 MB native library): YARN and Kubernetes kill a
        // container that exceeds heap + overhead, and Spark's default (10%, at least 384 MB) is too little.
        sparkConf.setIfMissing("spark.executor.memoryOverhead", "1g");
    }
}
