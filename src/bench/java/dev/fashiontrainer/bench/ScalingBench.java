package dev.fashiontrainer.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.cluster.LinkProbe;
import dev.fashiontrainer.cluster.NamespaceCluster;
import dev.fashiontrainer.cluster.NamespaceLinks;
import dev.fashiontrainer.cluster.ScalingDriver;
import dev.fashiontrainer.cluster.SubmittedJob;
import dev.fashiontrainer.config.Choice;
import dev.fashiontrainer.config.ReductionKind;
import dev.fashiontrainer.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The scaling measurement (submit/scaling.sh): for each number of workers, a {@link NamespaceCluster} of that
 * many worker hosts; for each link rate, one TCP stream's measured throughput and round-trip time between a worker
 * and the driver ({@link LinkProbe}); then {@link ScalingDriver} in the driver's namespace times averaging rounds
 * and evaluations, and {@code submit/cluster.sh} trains whole epochs of the seed recipe with
 * {@code --averaging-frequency auto}, as a user would. Everything goes, one JSON object a line, into the measurements file that
 * {@code submit/scaling_report.py} fits the cost model on and turns into docs/scaling.md.
 */
@Command(name = "scaling", mixinStandardHelpOptions = true, description = "Measures averaging rounds and"
        + " evaluations over rate-limited links between network namespaces (root only).")
public final class ScalingBench implements Callable<Integer> {
    @Option(names = "--workers", split = ",", description = "Cluster sizes (default: ${DEFAULT-VALUE})")
    List<Integer> workers = List.of(1, 2, 4, 8);

    @Option(names = "--rates", split = ",", description = "Link rates in Gbit/s (default: ${DEFAULT-VALUE})")
    List<Double> rates = List.of(1.0, 10.0, 25.0);

    @Option(names = "--layers", split = ";", description = "Networks, MLlib's layer lists separated by ;"
            + " (default: ${DEFAULT-VALUE})")
    List<String> layers = List.of("784,512,512,10", "784,2048,2048,10");

    @Option(names = "--paths", split = ",", converter = ReductionConverter.class,
            description = "Reduction paths to time (default: direct,tree)")
    List<ReductionKind> paths = List.of(ReductionKind.DIRECT, ReductionKind.TREE);

    @Option(names = "--measure", split = ",", description = "rounds (one round's cost, little data per worker)"
            + " and/or epochs (whole epochs of the seed recipe with --averaging-frequency auto, at the first two"
            + " rates, 2 workers and more) (default: ${DEFAULT-VALUE})")
    List<String> measure = List.of("rounds", "epochs");

    @Option(names = "--output", description = "The measurements file, appended to (default: ${DEFAULT-VALUE})")
    Path output = Path.of("docs/scaling-measurements.jsonl");

    @Option(names = "--data", description = "Fashion-MNIST's directory (default: ${DEFAULT-VALUE})")
    Path data = Path.of("/usr/share/datasets/fashion-mnist");

    @Option(names = "--work", description = "Logs of the clusters (default: ${DEFAULT-VALUE})")
    Path work = Path.of("target/scaling");

    /** Epochs of each whole-epoch run: the first measures and chooses, the others are timed. */
    private static final int WHOLE_EPOCHS = 3;

    /** Reads a reduction path as the command line spells it. */
    static final class ReductionConverter implements ITypeConverter<ReductionKind> {
        @Override
        public ReductionKind convert(String text) {
            return Choice.parse(ReductionKind.class, text);
        }
    }

    /** @param args the options above */
    public static void main(String[] args) {
        BenchmarkMain.exit(new ScalingBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (NamespaceLinks.unavailable().isPresent()) {
            System.err.println("error: " + NamespaceLinks.unavailable().get());
            return ExitCodes.USAGE;
        }
        String session = Instant.now().toString();
        for (int n : workers) {
            System.err.printf("Cluster of %d worker(s)...%n", n);
            try (NamespaceCluster cluster = NamespaceCluster.start(n, (long) (rates.get(0) * 1e9), "1g",
                    work.resolve("workers-" + n))) {
                for (double rate : rates) {
                    cluster.links().limit((long) (rate * 1e9));
                    LinkProbe.Measured link = LinkProbe.measure(cluster.links(), "w1", "driver", 128);
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("kind", "link");
                    line.put("session", session);
                    line.put("workers", n);
                    line.put("rate_gbit", rate);
                    line.put("measured_mbit", link.megabitsPerSecond());
                    line.put("round_trip_us", link.roundTripMicros());
                    line.put("cpu", cpuModel());
                    append(line);
                }
                if (measure.contains("rounds")) {
                    for (Map<String, Object> measured : ScalingDriver.run(cluster, rates, layers, paths,
                            ScalingDriver.TIMED_EPOCHS, data)) {
                        Map<String, Object> withSession = new LinkedHashMap<>();
                        withSession.put("kind", measured.remove("kind"));
                        withSession.put("session", session);
                        withSession.putAll(measured);
                        append(withSession);
                    }
                }
                if (measure.contains("epochs") && n > 1) {
                    for (double rate : rates.subList(0, Math.min(2, rates.size()))) {
                        cluster.links().limit((long) (rate * 1e9));
                        runEpochs(cluster, rate, session);
                    }
                }
            }
        }
        return ExitCodes.OK;
    }

    // The command line's own run, as a user starts it: whole epochs of the seed recipe over the limited links, with
    // --averaging-frequency auto measuring in epoch 1 and choosing for the epochs after it.
    private void runEpochs(NamespaceCluster cluster, double rate, String session) throws IOException {
        Path output = cluster.directory().resolve("epochs-" + rate + "g");
        List<String> command = new ArrayList<>(List.of("submit/cluster.sh", "--master", cluster.masterUrl(),
                "--executor-memory", "640m", "--conf", "spark.executor.memoryOverhead=512m",
                "--data", "file://" + data.toAbsolutePath(), "--output", "file://" + output.toAbsolutePath(),
                "--workers", String.valueOf(cluster.workers()), "--epochs", String.valueOf(WHOLE_EPOCHS),
                "--averaging-frequency", "auto", "--progress", "off", "--overwrite"));
        try (SubmittedJob job = SubmittedJob.start(cluster, cluster.driverCommand(command),
                cluster.directory().resolve("epochs-" + rate + "g.log"))) {
            if (job.exitCode() != 0) {
                throw new IllegalStateException("the whole-epoch run failed; its log:\n" + job.log());
            }
        }
        Map<?, ?> run = Json.mapper().readValue(output.resolve("run.json").toFile(), Map.class);
        List<?> metrics = Json.mapper().readValue(output.resolve("metrics.json").toFile(), List.class);
        // epoch 1 measures the rounds; the later ones average as auto chose
        List<Double> train = new ArrayList<>();
        List<Double> evaluation = new ArrayList<>();
        for (Object epoch : metrics.subList(1, metrics.size())) {
            train.add(((Number) ((Map<?, ?>) epoch).get("seconds")).doubleValue());
            evaluation.add(((Number) ((Map<?, ?>) epoch).get("evaluation_seconds")).doubleValue());
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", "epoch");
        line.put("session", session);
        line.put("workers", cluster.workers());
        line.put("rate_gbit", rate);
        line.put("layers", "784,512,512,10");
        line.put("examples", 60_000);
        line.put("test_images", 10_000);
        line.put("train_seconds", Results.median(train));
        line.put("evaluation_seconds", Results.median(evaluation));
        line.put("averaging_choice", run.get("averaging_choice"));
        line.put("final_test_accuracy", run.get("final_test_accuracy"));
        append(line);
    }

    private void append(Map<String, Object> line) throws IOException {
        String text = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(line);
        System.err.println(text);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(output, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND))) {
            out.println(text);
        }
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }
}
