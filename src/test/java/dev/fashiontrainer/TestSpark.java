package dev.fashiontrainer;

import java.util.concurrent.TimeoutException;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import dev.fashiontrainer.spark.SparkApplication;

/**
 * One local-mode Spark context for the whole test JVM (Spark allows one per JVM; starting it takes seconds).
 */
public final class TestSpark {
    private static JavaSparkContext context;

    private TestSpark() {
    }

    /** @return the shared {@code local[2]} context, started on first use and stopped when the JVM exits */
    public static synchronized JavaSparkContext context() {
        if (context == null) {
            SparkConf conf = new SparkConf().setAppName("fashion-trainer-tests").setMaster("local[2]")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    // the trainer's heartbeat, which carries the live progress of running tasks
                    .set("spark.executor.heartbeatInterval", SparkApplication.HEARTBEAT_INTERVAL);
            context = new JavaSparkContext(conf);
            context.setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        }
        return context;
    }

    /**
     * Waits until Spark's listeners have seen every event posted so far. What {@code getRDDStorageInfo} reports
     * (cached partitions, sizes) comes from the status store, which a listener fills after the job has returned:
     * read without this wait, a loaded machine saw 2 of 3 just-cached partitions (CI, 2026-11-25).
     */
    public static void awaitListeners() {
        try {
            context().sc().listenerBus().waitUntilEmpty(60_000);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Spark's listeners were still busy after 60 s", e);
        }
    }
}
