package dev.fashiontrainer.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;

/**
 * Two workers, a master and a driver in their own network namespaces, joined by links limited to 1 Gbit/s
 * ({@link NamespaceCluster}): the link must carry about what its limit says, a short training run over it must
 * end on the same numbers as over unlimited links (the network changes timing, not results: the averaging
 * frequency is pinned and the sums run in a fixed order), and closing must leave no namespace and no process.
 * Needs root (as CI runs); skipped otherwise.
 */
class NamespaceClusterIT {
    private static final long GIGABIT = 1_000_000_000L;
    private static final List<String> FLAGS = List.of("--epochs", "2", "--workers", "2", "--train-limit", "2000",
            "--test-limit", "500", "--averaging-frequency", "8", "--progress", "off");

    @Test
    void trainsOverRateLimitedLinksAndLeavesNothingBehind() throws IOException {
        assumeTrue(NamespaceLinks.unavailable().isEmpty(), () -> "skipped: " + NamespaceLinks.unavailable().get());
        Path directory = Path.of(StandaloneCluster.required("cluster.workDirectory"), "namespaces");
        NamespaceLinks links;
        List<ProcessHandle> started = new ArrayList<>();
        try (NamespaceCluster cluster = NamespaceCluster.start(2, GIGABIT, "1g", directory)) {
            links = cluster.links();
            // One TCP stream from a worker to the driver: tbf lets through about its rate (0.93 Gbit/s measured
            // here for 1 Gbit/s, headers not counted), never much more; an unlimited veth carried 3-5 Gbit/s.
            LinkProbe.Measured link = LinkProbe.measure(links, "w1", "driver", 64);
            System.err.printf("Link w1 -> driver at a 1 Gbit/s limit: %.0f Mbit/s, round trip %.0f us%n",
                    link.megabitsPerSecond(), link.roundTripMicros());
            assertTrue(link.megabitsPerSecond() > 700 && link.megabitsPerSecond() < 1100,
                    "expected 700-1100 Mbit/s through a 1 Gbit/s limit, found " + link.megabitsPerSecond());

            RunOutputs limited = train(cluster, directory.resolve("limited"), started);
            links.unlimit();
            RunOutputs unlimited = train(cluster, directory.resolve("unlimited"), started);
            assertEquals(unlimited.reproducibleMetrics(), limited.reproducibleMetrics(), "per-epoch metrics");
            assertEquals(unlimited.evaluation(), limited.evaluation(), "final evaluation");
            assertEquals(cluster.masterUrl(), limited.manifest().get("spark_master"));
        }
        assertEquals(List.of(), links.remaining(), "namespaces left after close");
        assertTrue(started.stream().noneMatch(ProcessHandle::isAlive), "a driver process outlived the cluster");
    }

    private static RunOutputs train(NamespaceCluster cluster, Path output, List<ProcessHandle> started) {
        List<String> command = new ArrayList<>(List.of("submit/cluster.sh", "--master", cluster.masterUrl(),
                "--executor-memory", "640m", "--conf", "spark.executor.memoryOverhead=512m",
                "--data", "file://" + TestData.directory(), "--output", "file://" + output));
        command.addAll(FLAGS);
        try (SubmittedJob job = SubmittedJob.start(cluster, cluster.driverCommand(command),
                output.resolveSibling(output.getFileName() + ".log"))) {
            started.add(job.handle());
            assertEquals(0, job.exitCode(), () -> "the driver failed; its log:\n" + job.log());
        }
        RunOutputs run = new RunOutputs(output);
        assertTrue(run.finished(), "expected _SUCCESS and model.zip in " + output);
        return run;
    }
}
