package dev.fashiontrainer.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The documented object-store command: outputs and checkpoints on an S3-compatible server ({@link S3Server}) through
 * Hadoop's s3a connector, from a standalone cluster. The driver is killed after epoch 1 and the same command run
 * again: it must resume from the checkpoint on s3a:// and end with the uninterrupted run's metrics. Between the
 * two, the bucket holds the epoch's checkpoint and nothing half-written.
 */
class S3ResumeIT {
    private static final String MARKER = "<!-- s3a: S3ResumeIT runs the next block -->";
    private static final String DOC_MASTER = "spark://127.0.0.1:" + StandaloneCluster.DEFAULT_MASTER_PORT;
    private static final String DOC_ENDPOINT = "http://127.0.0.1:9090";
    private static final String BUCKET = "runs";
    private static final String RUN = "fashion-s3";
    private static final String REFERENCE_RUN = "fashion-s3-uninterrupted";

    @Test
    void killedAfterEpochOneResumesFromS3ToTheUninterruptedMetrics() throws IOException {
        try (StandaloneCluster cluster = StandaloneCluster.start(2, "s3");
             S3Server s3 = S3Server.start(cluster.directory().resolve("s3"), BUCKET)) {
            // The same command; only the master (when 7077 was taken) and the endpoint's port may differ.
            String command = DocumentedCommand.after(DocumentedCommand.CLUSTER_PAGE, MARKER).replace(DOC_MASTER, cluster.masterUrl())
                    .replace(DOC_ENDPOINT, s3.endpoint());
            String referenceCommand = command.replace("s3a://" + BUCKET + "/" + RUN, "s3a://" + BUCKET + "/"
                    + REFERENCE_RUN);
            assertTrue(!referenceCommand.equals(command), "expected s3a://" + BUCKET + "/" + RUN + " in " + command);

            try (SubmittedJob job = SubmittedJob.start(cluster, referenceCommand,
                    cluster.directory().resolve("uninterrupted.log"))) {
                assertEquals(0, job.exitCode(), () -> "the uninterrupted run failed; its log:\n" + job.log());
            }

            try (SubmittedJob job = SubmittedJob.start(cluster, command, cluster.directory().resolve("killed.log"))) {
                job.awaitLog("Epoch 1: ", Duration.ofMinutes(4)); // printed after the epoch's checkpoint is saved
            } // closing kills the driver
            List<String> afterKill = s3.keys(BUCKET, RUN + "/");
            assertTrue(afterKill.contains(RUN + "/checkpoint.json"), "expected the checkpoint: " + afterKill);
            assertFalse(afterKill.contains(RUN + "/_SUCCESS"), "a killed run is not finished: " + afterKill);
            assertTrue(afterKill.stream().noneMatch(key -> key.contains("._tmp_")),
                    "objects are written under their final names: " + afterKill);

            String log;
            try (SubmittedJob job = SubmittedJob.start(cluster, command, cluster.directory().resolve("resumed.log"))) {
                assertEquals(0, job.exitCode(), () -> "the resumed run failed; its log:\n" + job.log());
                log = job.log();
            }
            assertTrue(log.contains("Resuming from the checkpoint of epoch 1"), log);

            RunOutputs expected = s3.runOutputs(BUCKET, REFERENCE_RUN);
            RunOutputs resumed = s3.runOutputs(BUCKET, RUN);
            assertTrue(resumed.finished(), "expected _SUCCESS and model.zip in s3a://" + BUCKET + "/" + RUN);
            assertEquals(2, resumed.metrics().size(), "epochs in metrics.json");
            assertEquals(expected.reproducibleMetrics(), resumed.reproducibleMetrics(), "per-epoch metrics");
            assertEquals(expected.evaluation(), resumed.evaluation(), "final evaluation (confusion matrix)");
            List<String> finished = s3.keys(BUCKET, RUN + "/");
            assertTrue(finished.stream().noneMatch(key -> key.contains("checkpoint") || key.contains("._tmp_")),
                    "a finished run keeps no checkpoint and no temporary object: " + finished);
        }
    }
}
