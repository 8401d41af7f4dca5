package dev.fashiontrainer.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;

/**
 * A notebook fits the estimator again and again in one session, with other settings each time: the driver's memory
 * must not grow with the fits. The executors are local-mode threads of this JVM, so the process's resident size
 * covers their caches too (networks and arrays in native memory, which the heap does not show).
 */
class RepeatedFitMemoryTest {
    private static final int FITS = 30;
    private static final int BASELINE_FIT = 5; // the caches and Spark's own structures have filled up by then
    private static final double ALLOWED_GROWTH = 1.15;

    @Test
    void thirtyFitsWithOtherBatchSizesKeepHeapAndResidentSizeFlat() throws IOException {
        TestSpark.context();
        Dataset<Row> rows = FeatureFrames.of(SparkSession.builder().getOrCreate(),
                TestData.fashionMnist().train().head(600), 2).cache();
        rows.count();
        long[] heap = new long[FITS + 1];
        long[] resident = new long[FITS + 1];
        for (int fit = 1; fit <= FITS; fit++) {
            // a new batch size each time: a new run's settings, and minibatch sizes the executors have not seen
            new DistributedMlpClassifier().setEpochs(1).setWorkers(2).setSeed(7).setLearningRate(0.1)
                    .setBatchSize(32 + fit % 7).fit(rows);
            System.gc();
            heap[fit] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            resident[fit] = residentBytes();
        }
        for (int fit = FITS - 4; fit <= FITS; fit++) {
            assertTrue(heap[fit] <= ALLOWED_GROWTH * heap[BASELINE_FIT], String.format("heap after a collection:"
                    + " %.1f MB after fit %d, %.1f MB after fit %d", heap[fit] / 1e6, fit,
                    heap[BASELINE_FIT] / 1e6, BASELINE_FIT));
            assertTrue(resident[fit] <= ALLOWED_GROWTH * resident[BASELINE_FIT], String.format("resident size:"
                    + " %.1f MB after fit %d, %.1f MB after fit %d", resident[fit] / 1e6, fit,
                    resident[BASELINE_FIT] / 1e6, BASELINE_FIT));
        }
    }

    /** @return the process's resident set size now ({@code VmRSS} of Linux's {@code /proc/self/status}) */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status: this test needs Linux");
    }
}
