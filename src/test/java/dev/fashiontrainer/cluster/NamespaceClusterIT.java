package dev.fashiontrainer.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.config.ReductionKind;

/**
 * Four workers, a master and a driver in their own network namespaces, joined by links limited to 1 Gbit/s
 * ({@link NamespaceCluster}), as issue 28 asks:
 * <ul>
 * <li>a link carries about what its limit says;</li>
 * <li>a short training run over them ends on the same numbers as the same run in local mode, where nothing crosses
 * a network: the network changes timing, not results, because the averaging frequency is pinned and the sums run
 * in a fixed order;</li>
 * <li>one averaging round, measured as docs/scaling.md measures it, costs what the fitted model
 * ({@link RoundCostModel}, {@code docs/scaling-model.json}) predicts for that link, within 30%;</li>
 * <li>closing leaves no namespace and no process.</li>
 * </ul>
 * Needs root (as CI runs); skipped otherwise.
 */
class NamespaceClusterIT {
    private static final int WORKERS = 4;
    private static final long GIGABIT = 1_000_000_000L;
    private static final List<String> FLAGS = List.of("--epochs", "2", "--workers", String.valueOf(WORKERS),
            "--train-limit", "2000", "--test-limit", "500", "--averaging-frequency", "4", "--progress", "off");
    /** The network whose round is checked against the model: one whose transfer is most of its round. */
    private static final String ROUND_NETWORK = "784,2048,2048,10";
    private static final double ROUND_TOLERANCE = 0.30;
    /** Timed epochs per figure: two (the smaller counts) instead of the measurement's three, to keep CI short. */
    private static final int ROUND_TIMINGS = 2;

    @Test
    void fourHostsOverGigabitLinksTrainAsLocalModeDoesAndARoundCostsWhatTheModelSays()
            throws IOException, InterruptedException {
        assumeTrue(NamespaceLinks.unavailable().isEmpty(), () -> "skipped: " + NamespaceLinks.unavailable().get());
        Path directory = Path.of(StandaloneCluster.required("cluster.workDirectory"), "namespaces");
        NamespaceLinks links;
        List<ProcessHandle> started = new ArrayList<>();
        RunOutputs limited;
        try (NamespaceCluster cluster = NamespaceCluster.start(WORKERS, GIGABIT, "1g", directory)) {
            links = cluster.links();
            // One TCP stream from a worker to the driver: tbf lets through about its rate (0.93 Gbit/s measured
            // here for 1 Gbit/s, headers not counted), never much more; an unlimited veth carried 3-5 Gbit/s.
            LinkProbe.Measured link = LinkProbe.measure(links, "w1", "driver", 128);
            System.err.printf("Link w1 -> driver at a 1 Gbit/s limit: %.0f Mbit/s, round trip %.0f us%n",
                    link.megabitsPerSecond(), link.roundTripMicros());
            assertTrue(link.megabitsPerSecond() > 700 && link.megabitsPerSecond() < 1100,
                    "expected 700-1100 Mbit/s through a 1 Gbit/s limit, found " + link.megabitsPerSecond());

            limited = train(cluster, cluster.masterUrl(), directory.resolve("limited"), started);
            assertEquals(cluster.masterUrl(), limited.manifest().get("spark_master"));

            // The machines are shared and their speed swings between hours: a round outside the tolerance is
            // measured once more, and the test fails only when both are.
            RoundCostModel model = RoundCostModel.read(SubmittedJob.projectRoot().resolve("docs/scaling-model.json"),
                    ReductionKind.DIRECT);
            List<String> attempts = new ArrayList<>();
            boolean within = false;
            for (int attempt = 1; attempt <= 2 && !within; attempt++) {
                Map<String, Object> round = ScalingDriver.run(cluster, List.of(1.0), List.of(ROUND_NETWORK),
                        List.of(ReductionKind.DIRECT), ROUND_TIMINGS, Path.of(TestData.directory())).get(0);
                double measured = ((Number) round.get("round_seconds")).doubleValue();
                double predicted = model.roundSeconds(WORKERS, ((Number) round.get("parameters")).longValue(),
                        link.megabitsPerSecond() * 1e6 / 8);
                String line = String.format(Locale.ROOT, "One round, %d workers, %s, 1 Gbit/s, direct: measured %.3f s, model"
                        + " %.3f s (%+.0f%%)", WORKERS, ROUND_NETWORK, measured, predicted,
                        100 * (measured - predicted) / predicted);
                System.err.println(line);
                attempts.add(line);
                within = Math.abs(measured - predicted) <= ROUND_TOLERANCE * predicted;
            }
            assertTrue(within, () -> "expected one round within " + Math.round(100 * ROUND_TOLERANCE)
                    + "% of docs/scaling.md's model: " + attempts);
        }
        assertEquals(List.of(), links.remaining(), "namespaces left after close");
        assertTrue(started.stream().noneMatch(ProcessHandle::isAlive), "a driver process outlived the cluster");

        // The same run with no network at all: local mode, whose workers are threads of the driver's JVM.
        RunOutputs local = train(environment -> SparkHome.ofBuild().environment(environment), "local[" + WORKERS + "]",
                directory.resolve("local"), started);
        assertEquals(local.reproducibleMetrics(), limited.reproducibleMetrics(), "per-epoch metrics");
        assertEquals(local.evaluation(), limited.evaluation(), "final evaluation");
    }

    private static RunOutputs train(SparkEnvironment cluster, String master, Path output, List<ProcessHandle> started) {
        List<String> command = new ArrayList<>(List.of("submit/cluster.sh", "--master", master,
                "--executor-memory", "640m", "--conf", "spark.executor.memoryOverhead=512m",
                "--data", "file://" + TestData.directory(), "--output", "file://" + output));
        command.addAll(FLAGS);
        List<String> inItsNetwork = cluster instanceof NamespaceCluster hosts ? hosts.driverCommand(command) : command;
        try (SubmittedJob job = SubmittedJob.start(cluster, inItsNetwork,
                output.resolveSibling(output.getFileName() + ".log"))) {
            started.add(job.handle());
            assertEquals(0, job.exitCode(), () -> "the driver failed; its log:\n" + job.log());
        }
        RunOutputs run = new RunOutputs(output);
        assertTrue(run.finished(), "expected _SUCCESS and model.zip in " + output);
        return run;
    }
}
