package dev.fashiontrainer.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;

/**
 * Live progress on a standalone cluster: the executors are JVMs of their own, so the workers' minibatches reach
 * the driver only through their heartbeats. The driver's log goes to a file, so the progress comes as lines.
 */
class LiveProgressIT {
    // DL4J's step: an epoch of 30,000 examples per one-core executor takes several seconds, several heartbeats
    private static final String TRAINER_FLAGS = "--epochs 1 --workers 2 --test-limit 1000 --local-step dl4j"
            + " --progress auto --progress-interval 1";
    private static final Pattern PROGRESS = Pattern.compile(
            "Progress: epoch 1/1, (\\d+)/60000 examples .*; minibatches: worker 1 (\\d+), worker 2 (\\d+)");

    @Test
    void workersMinibatchesReachTheDriverWhileTheEpochRuns() {
        try (StandaloneCluster cluster = StandaloneCluster.start(2, "live-progress")) {
            Path output = cluster.directory().resolve("run");
            String command = "submit/cluster.sh --master " + cluster.masterUrl() + " --data file://"
                    + TestData.directory() + " --output file://" + output + " " + TRAINER_FLAGS;
            String log;
            try (SubmittedJob job = SubmittedJob.start(cluster, command, output.resolveSibling("driver.log"))) {
                assertEquals(0, job.exitCode(), () -> "the driver failed; its log:\n" + job.log());
                log = job.log();
            }

            // Progress lines (auto: the log is a file) came before the epoch's results, with part of the epoch
            // done and both workers counting.
            int results = log.indexOf("[worker 1] loss:");
            Matcher progress = PROGRESS.matcher(log.substring(0, Math.max(results, 0)));
            assertTrue(progress.find(), "expected a progress line before the epoch's losses:\n" + log);
            long examples = Long.parseLong(progress.group(1));
            assertTrue(examples > 0 && examples < 60_000, progress.group());
            assertTrue(Integer.parseInt(progress.group(2)) > 0 && Integer.parseInt(progress.group(3)) > 0,
                    progress.group());

            // Each worker's local-step seconds are in metrics.json.
            @SuppressWarnings("unchecked")
            List<Number> seconds = (List<Number>) new RunOutputs(output).metrics().get(0).get("worker_step_seconds");
            assertEquals(2, seconds.size(), "worker_step_seconds: " + seconds);
            assertTrue(seconds.stream().allMatch(s -> s.doubleValue() > 0), "worker_step_seconds: " + seconds);
        }
    }
}
