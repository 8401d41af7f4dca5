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
import java.util.stream.Collectors;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.cluster.LinkProbe;
import dev.fashiontrainer.cluster.NamespaceCluster;
import dev.fashiontrainer.cluster.NamespaceLinks;
import dev.fashiontrainer.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scaling measurement (submit/scaling.sh): for each number of workers, a {@link NamespaceCluster} of that
 * many worker hosts; for each link rate, one TCP stream's measured throughput and round-trip time between a worker
 * and the driver ({@link LinkProbe}); then {@link ScalingDriver} in the driver's namespace times averaging rounds
 * and evaluations. Everything goes, one JSON object a line, into the measurements file that
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

    @Option(names = "--output", description = "The measurements file, appended to (default: ${DEFAULT-VALUE})")
    Path output = Path.of("docs/scaling-measurements.jsonl");

    @Option(names = "--data", description = "Fashion-MNIST's directory (default: ${DEFAULT-VALUE})")
    Path data = Path.of("/usr/share/datasets/fashion-mnist");

    @Option(names = "--work", description = "Logs of the clusters (default: ${DEFAULT-VALUE})")
    Path work = Path.of("target/scaling");

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
                runDriver(cluster, session);
            }
        }
        return ExitCodes.OK;
    }

    private void runDriver(NamespaceCluster cluster, String session) throws IOException, InterruptedException {
        Path partial = cluster.directory().resolve("measured.jsonl");
        Files.deleteIfExists(partial);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@conf/java17.args");
        command.addAll(List.of("-Xmx3g", "-Dspark.master=" + cluster.masterUrl(), "-Dspark.app.name=scaling",
                "-Dspark.ui.enabled=false", "-Dspark.executor.memory=640m", "-Dspark.executor.memoryOverhead=512m",
                // the job jar is on every host's disk here: executors read it there instead of fetching 157 MB
                // from the driver over the limited links before the first task (a real cluster pays that once)
                "-Dspark.executor.extraClassPath=" + Path.of("target/fashion-trainer-job.jar").toAbsolutePath(),
                "-Dlog4j2.configurationFile=conf/log4j2.properties",
                "-cp", System.getProperty("java.class.path"), ScalingDriver.class.getName(),
                cluster.links().id(), String.valueOf(cluster.workers()),
                rates.stream().map(String::valueOf).collect(Collectors.joining(",")), String.join(";", layers),
                partial.toAbsolutePath().toString(), data.toString()));
        ProcessBuilder builder = new ProcessBuilder(cluster.driverCommand(command)).redirectErrorStream(true)
                .redirectOutput(cluster.directory().resolve("driver.log").toFile());
        cluster.environment(builder.environment());
        int code = builder.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("the scaling driver failed with code " + code + "; see "
                    + cluster.directory().resolve("driver.log"));
        }
        for (String line : Files.readAllLines(partial)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> measured = Json.mapper().readValue(line, LinkedHashMap.class);
            Map<String, Object> withSession = new LinkedHashMap<>();
            withSession.put("kind", measured.remove("kind"));
            withSession.put("session", session);
            withSession.putAll(measured);
            append(withSession);
        }
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
