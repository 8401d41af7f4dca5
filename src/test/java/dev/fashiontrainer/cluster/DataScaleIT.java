package dev.fashiontrainer.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.data.ShiftedCopies;

/**
 * Data that outgrows the driver: on a standalone cluster of separate JVMs with a 1 GB driver, ten times
 * Fashion-MNIST's training set (600,000 images, 470 MB, made by {@link ShiftedCopies} in the build's directory)
 * trains an epoch with 2 workers, and the driver's memory does not grow with the data: its heap peak for the
 * 10x set is within 1.2 times that of the 1x set. The figures (and the peak RSS) are printed for the docs.
 */
class DataScaleIT {
    private static final String TRAINER_FLAGS = "--epochs 1 --workers 2 --test-limit 2000 --no-verify";

    @Test
    void tenTimesTheDataTrainsWithTheDriverMemoryOfOnce() throws IOException {
        try (StandaloneCluster cluster = StandaloneCluster.start(2, "data-scale")) {
            Map<String, Object> once = trainOn(cluster, 1);
            Map<String, Object> tenTimes = trainOn(cluster, 10);

            long peakOnce = bytes(once, "heap_peak_bytes");
            long peakTenTimes = bytes(tenTimes, "heap_peak_bytes");
            System.err.printf(Locale.ROOT, "DataScaleIT: driver heap peak %.1f MB (1x) and %.1f MB (10x); heap in"
                            + " use after a collection, at most %.1f MB and %.1f MB; RSS peak %.1f MB and %.1f MB%n",
                    peakOnce / 1e6, peakTenTimes / 1e6, bytes(once, "heap_live_peak_bytes") / 1e6,
                    bytes(tenTimes, "heap_live_peak_bytes") / 1e6, bytes(once, "rss_peak_bytes") / 1e6,
                    bytes(tenTimes, "rss_peak_bytes") / 1e6);
            assertTrue(peakTenTimes <= 1.2 * peakOnce, "expected the driver's heap peak for 10x the data within"
                    + " 1.2 times that for 1x (" + peakOnce + " bytes), found " + peakTenTimes);
        }
    }

    /** @return the driver's memory figures from run.json of one epoch on {@code factor} times the data */
    private static Map<String, Object> trainOn(StandaloneCluster cluster, int factor) throws IOException {
        Path data = ShiftedCopies.write(Path.of(TestData.directory()), cluster.directory().resolve("data-" + factor),
                factor);
        Path output = cluster.directory().resolve("run-" + factor);
        String command = "submit/cluster.sh --master " + cluster.masterUrl() + " --driver-memory 1g --data file://"
                + data + " --output file://" + output + " " + TRAINER_FLAGS;
        String log;
        try (SubmittedJob job = SubmittedJob.start(cluster, command, cluster.directory().resolve("run-" + factor
                + ".log"))) {
            assertEquals(0, job.exitCode(), () -> "the " + factor + "x run failed; its log:\n" + job.log());
            log = job.log();
        }
        RunOutputs run = new RunOutputs(output);
        assertTrue(run.finished(), "expected _SUCCESS and model.zip in " + output);
        assertEquals(60_000L * factor, ((Number) ((Map<?, ?>) run.manifest().get("data")).get("training_examples"))
                .longValue());
        assertTrue(log.contains("2 training shard(s) built on the executors in ") && log.contains(" s from file:"
                + data), log);
        System.err.printf(Locale.ROOT, "DataScaleIT: %dx: %.0f examples/s in epoch 1%n", factor,
                ((Number) run.metrics().get(0).get("examples_per_second")).doubleValue());
        Map<?, ?> memory = (Map<?, ?>) run.manifest().get("memory");
        @SuppressWarnings("unchecked")
        Map<String, Object> driver = (Map<String, Object>) memory.get("driver");
        return driver;
    }

    private static long bytes(Map<String, Object> figures, String key) {
        return ((Number) figures.get(key)).longValue();
    }
}
