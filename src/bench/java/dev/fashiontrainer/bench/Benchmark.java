package dev.fashiontrainer.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;

import org.apache.hadoop.conf.Configuration;

import dev.fashiontrainer.config.EngineKind;
import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.Downloader;
import dev.fashiontrainer.data.ShiftedCopies;
import dev.fashiontrainer.model.NetworkShape;
import dev.fashiontrainer.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code submit/benchmark.sh}: the side-by-side speed table, in one run on one machine. Each
 * measurement runs in its own JVM, started with this JVM's options and environment (so the BLAS kernel choice of
 * submit/native-env.sh applies: OpenBLAS reads it only when it loads): the matrix-multiply bound, a per-minibatch
 * breakdown, our trainer through the launcher script (the seed recipe and the fast one), the time to a test
 * accuracy of our fast recipe against a PyTorch process, DL4J's trainer with its defaults, and MLlib's perceptron,
 * all for the network of {@code --layers}. {@code --trainer-only} keeps the bound and our seed-recipe runs;
 * {@code --mlpc-peer-only} times MLlib's perceptron and our estimator on generated tabular data instead.
 * The Markdown table goes to standard output, to {@code --output} and, dated, into {@code --page} (the tabular
 * one into {@code --mllib-page}).
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the matrix-multiply bound, this trainer, DL4J's trainer and MLlib's perceptron on"
                + " this machine, and this trainer on 1x and 10x the training set, and prints a Markdown table. Takes"
                + " 15-30 minutes.")
public final class Benchmark implements Callable<Integer> {
    // The lines that end an epoch: the trainer's "Epoch 3: 1.52 s, ..." and the PyTorch peer's "epoch 3: ...".
    /** DL4J's peer, in the Spark 3.5 build's sources only (src/dl4j-spark/bench). */
    private static final String DL4J_PEER = "dev.fashiontrainer.bench.Dl4jPeer";
    private static final Pattern TRAINER_EPOCH = Pattern.compile("^Epoch (\\d+): ");
    private static final Pattern TORCH_EPOCH = Pattern.compile("^epoch (\\d+): ");

    /**
     * The generated sets of --mlpc-peer-only, as MlpcTabularPeer's arguments: MlpcDropInTest's three classes
     * (4,000 rows, a 32-wide hidden layer, 30 epochs of ours), then a set 25 times larger with five classes.
     */
    private static final List<List<String>> TABULAR_SETS = List.of(
            List.of("--classes", "3", "--train-rows", "4000", "--test-rows", "1000", "--hidden", "32",
                    "--max-iter", "30", "--data-seed", "5"),
            List.of("--classes", "5", "--train-rows", "100000", "--test-rows", "20000", "--hidden", "64",
                    "--max-iter", "10", "--data-seed", "7"));

    @Option(names = "--layers", paramLabel = "WIDTHS",
            description = "The network measured, as the trainer's --layers: input width, hidden widths, class count"
                    + " (e.g. 784,256,10). Default: the trainer's, the seed's 784,512,512,10.")
    String layers;

    @Option(names = "--workers", paramLabel = "N",
            description = "Workers (and concurrent bound loops). Default: ${DEFAULT-VALUE}.")
    int workers = 2;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs of the end-to-end trainer run. Default: ${DEFAULT-VALUE}.")
    int epochs = 10;

    @Option(names = "--single-worker-epochs", paramLabel = "N",
            description = "Epochs of the 1-worker trainer run. Default: ${DEFAULT-VALUE}.")
    int singleWorkerEpochs = 4;

    @Option(names = "--dl4j-epochs", paramLabel = "N",
            description = "Epochs of DL4J's trainer (the first includes its export). Default: ${DEFAULT-VALUE}.")
    int dl4jEpochs = 3;

    @Option(names = "--repeats", paramLabel = "N",
            description = "Repeats of the end-to-end trainer runs. Default: ${DEFAULT-VALUE}.")
    int repeats = 1;

    @Option(names = "--bound-repeats", paramLabel = "N",
            description = "Timed repeats of the bound and of the per-minibatch timings. Default: ${DEFAULT-VALUE}.")
    int boundRepeats = 5;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write the table. Default: runs/benchmark-<time>.md.")
    Path output;

    @Option(names = "--launcher", paramLabel = "SCRIPT",
            description = "The trainer's launcher. Default: ${DEFAULT-VALUE}.")
    Path launcher = Path.of("submit/local.sh");

    @Option(names = "--trainer-flag", paramLabel = "FLAG",
            description = "Extra trainer flag for every run, repeatable (e.g. --trainer-flag=--train-limit=6400 for a"
                    + " quick check of the harness; such tables do not measure an epoch).")
    List<String> trainerFlags = new ArrayList<>();

    @Option(names = "--scale-factor", paramLabel = "K",
            description = "Also train on K times the training set (shifted copies, written to a temporary"
                    + " directory) and on 1x, 2 epochs each; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int scaleFactor = 10;

    @Option(names = "--data-scale-only",
            description = "Measure only the 1x and --scale-factor runs (examples/s, driver memory).")
    boolean dataScaleOnly;

    @Option(names = "--trainer-only",
            description = "Measure only the matrix-product bound and this trainer's seed-recipe runs (N workers and"
                    + " 1), for the network of --layers: no per-minibatch breakdown, peers, fast recipe or data scale.")
    boolean trainerOnly;

    @Option(names = "--mlpc-peer-only",
            description = "Measure only MLlib's MultilayerPerceptronClassifier against this trainer's estimator on"
                    + " generated tabular data (a small and a large set): the time each needs to the same test"
                    + " accuracy. Its table goes into --mllib-page.")
    boolean mlpcPeerOnly;

    @Option(names = "--spark-lines",
            description = "Measure only the seed recipe on each Spark line: the 3.5 build and the Spark 4 build on"
                    + " this JVM, then the Spark 4 build on each --also-java JDK, alternating, --repeats times. Its"
                    + " table goes into --lines-page.")
    boolean sparkLines;

    @Option(names = "--also-java", paramLabel = "JAVA_HOME",
            description = "With --spark-lines, a further JDK to run the Spark 4 build on (repeatable), e.g."
                    + " /usr/lib/jvm/temurin-25-jdk-amd64.")
    List<Path> alsoJava = new ArrayList<>();

    @Option(names = "--lines-page", paramLabel = "FILE",
            description = "Markdown page for the --spark-lines table; an empty value leaves it alone. Default:"
                    + " ${DEFAULT-VALUE}.")
    String linesPage = "docs/spark-versions.md";

    @Option(names = "--mllib-page", paramLabel = "FILE",
            description = "Markdown page for the --mlpc-peer-only table; an empty value leaves it alone. Default:"
                    + " ${DEFAULT-VALUE}.")
    String mllibPage = "docs/from-mllib.md";

    @Option(names = "--target-accuracy", paramLabel = "FRACTION",
            description = "Test accuracy of the time-to-accuracy race (fast recipe against PyTorch). Default:"
                    + " ${DEFAULT-VALUE}.")
    double raceTarget = 0.88;

    @Option(names = "--python", paramLabel = "PROGRAM",
            description = "The Python with Debian's python3-torch for the PyTorch peer (submit/benchmark.sh installs"
                    + " it when missing and it can). Default: ${DEFAULT-VALUE}.")
    Path python = Path.of("/usr/bin/python3");

    @Option(names = "--torch-peer", paramLabel = "SCRIPT",
            description = "The PyTorch peer's script. Default: ${DEFAULT-VALUE}.")
    Path torchPeer = Path.of("submit/torch_peer.py");

    @Option(names = "--page", paramLabel = "FILE",
            description = "Markdown page whose table between its benchmark markers is replaced by this run's, dated;"
                    + " an empty value leaves pages alone. Default: ${DEFAULT-VALUE}.")
    String page = "docs/performance.md";

    /** Runs the benchmark (submit/benchmark.sh) and exits with its code. */
    public static void main(String[] args) {
        BenchmarkMain.exit(new Benchmark(), args);
    }

    @Override
    public Integer call() throws Exception {
        String started = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        Path work = Files.createTempDirectory("fashion-trainer-benchmark");
        NetworkShape network = NetworkShape.of(TrainerFlags.parse(trainerFlags()).config());
        BenchmarkTable table = new BenchmarkTable(workers, network, started, loadAverage());
        if (dataScaleOnly) {
            dataScale(table, work);
            return write(table.scaleMarkdown(loadAverage()), started, network);
        }
        if (sparkLines) {
            return sparkLines(work, started);
        }
        if (mlpcPeerOnly) {
            for (List<String> set : TABULAR_SETS) {
                table.tabular(child(MlpcTabularPeer.class, set, false));
            }
            return write(table.tabularMarkdown(loadAverage()), started, network);
        }

        // 1. the bound, with as many loops as tasks, and with one
        for (int loops : new int[] {workers, 1}) {
            table.bound(loops, child(GemmBound.class, concat(List.of("--loops", "" + loops, "--repeats",
                    "" + boundRepeats), trainerFlags()), false));
        }
        if (!trainerOnly) {
            table.steps(child(LocalStepTimer.class, concat(List.of("--repeats", "" + boundRepeats), trainerFlags()),
                    false));
        }

        // 2. this trainer, end to end through the launcher, with N workers and with one
        for (int r = 0; r < repeats; r++) {
            table.trainer(workers, trainerRun(work.resolve("workers-" + workers + "-" + r), workers, epochs,
                    List.of()));
            table.trainer(1, trainerRun(work.resolve("workers-1-" + r), 1, singleWorkerEpochs, List.of()));
        }
        if (trainerOnly) {
            return write(table.trainerMarkdown(loadAverage()), started, network);
        }
        // an averaging round with almost nothing to compute: what each round costs beyond the local steps
        table.round(trainerRun(work.resolve("round"), workers, 4, List.of("--train-limit=" + workers
                * BenchmarkTable.ROUND_BATCHES * 64, "--batch-size=64", "--test-limit=1000")));

        // 2b. the fast recipe (Adam, reshuffling, block momentum) with N workers, and the PyTorch process it races
        table.fast(trainerRun(work.resolve("fast-" + workers), workers, epochs, List.of("--recipe", "fast")),
                raceTarget);
        table.torch(torchRun(network));

        // 3. DL4J's trainer with its defaults: ND4J's own thread count, so no OMP_NUM_THREADS=1 for it. Its peer is
        // compiled into the Spark 3.5 build only (DL4J's Spark module is Scala 2.12 only): named, not referenced.
        if (EngineKind.DL4J.available()) {
            table.dl4j(child(DL4J_PEER, concat(List.of("--workers", "" + workers, "--epochs", "" + dl4jEpochs),
                    trainerFlags()), true));
        }

        // 4. MLlib, against the accuracy our trainer reached after 3 epochs, within our end-to-end wall time
        table.mllib(child(MllibPeer.class, concat(List.of("--target-accuracy", "" + table.targetAccuracy(),
                "--budget-seconds", "" + table.wallSeconds(), "--workers", "" + workers), trainerFlags()), false));

        // 6. 1x and K times the training set: examples/s and the driver's memory
        dataScale(table, work);
        return write(table.markdown(loadAverage()), started, network);
    }

    private int sparkLines(Path work, String started) throws IOException, InterruptedException {
        Path root = launcher.toAbsolutePath().getParent().getParent();
        Path java = Path.of(System.getProperty("java.home"));
        List<SparkLinesTable.Line> lines = new ArrayList<>(List.of(
                new SparkLinesTable.Line("3.5", java, root.resolve("target/fashion-trainer-job.jar")),
                new SparkLinesTable.Line("4", java, root.resolve("target/spark4/fashion-trainer-spark4_2.13-job.jar"))));
        for (Path jdk : alsoJava) {
            lines.add(new SparkLinesTable.Line("4", jdk, lines.get(1).jobJar()));
        }
        String loadAtStart = loadAverage();
        SparkLinesTable table = new SparkLinesTable();
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < lines.size(); i++) {
                SparkLinesTable.Line line = lines.get(i);
                table.add(line, trainerRun(work.resolve("line-" + i + "-" + r), workers, epochs, List.of(),
                        Map.of("SPARK_LINE", line.sparkLine(), "JAVA_HOME", line.javaHome().toString())));
            }
        }
        String markdown = table.markdown(String.format(Locale.ROOT, "Machine: %s, %d cores, OPENBLAS_CORETYPE=%s."
                + " Run %s UTC; load average (1, 5, 15 min) %s at start, %s at end.", BenchmarkTable.cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getenv("OPENBLAS_CORETYPE"), started, loadAtStart,
                loadAverage()), workers);
        print(markdown, "benchmark-lines-");
        if (!linesPage.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("submit/benchmark.sh", "--spark-lines", "--epochs",
                    "" + epochs, "--repeats", "" + repeats));
            alsoJava.forEach(jdk -> command.addAll(List.of("--also-java", jdk.toString())));
            PerformancePage.replaceTable(Path.of(linesPage), PerformancePage.SPARK_LINES, started + " UTC",
                    String.join(" ", command), markdown);
            System.err.println("Table dated and written into " + linesPage);
        }
        return 0;
    }

    /** The flags every trainer run and every child measurement gets: the network of --layers, then --trainer-flag's. */
    private List<String> trainerFlags() {
        return layers == null ? trainerFlags : concat(List.of("--layers=" + layers), trainerFlags);
    }

    private void dataScale(BenchmarkTable table, Path work) throws IOException, InterruptedException {
        if (scaleFactor < 1) {
            return;
        }
        Path source = Path.of(new DataLocator(new Configuration(), System.getenv(), Downloader.UPSTREAM, System.err)
                .locate(null).toUri().getPath());
        for (int factor : scaleFactor == 1 ? new int[] {1} : new int[] {1, scaleFactor}) {
            Path data = ShiftedCopies.write(source, work.resolve("data-" + factor), factor);
            table.scaled(factor, trainerRun(work.resolve("scale-" + factor), workers, 2,
                    List.of("--data=file://" + data, "--no-verify", "--test-limit=2000")));
            deleteRecursively(data);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Prints the table and writes it to --output, or to runs/PREFIX-time.md. */
    private void print(String markdown, String prefix) throws IOException {
        Path file = output != null ? output : Path.of("runs", prefix
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, markdown);
        System.out.println(markdown);
        System.err.println("Table written to " + file);
    }

    private int write(String markdown, String started, NetworkShape network) throws IOException {
        print(markdown, "benchmark-");
        // the page's main table is the whole benchmark's; a trainer-only table is kept per network beside it
        String command = String.join(" ", commandLine());
        if (mlpcPeerOnly) {
            if (!mllibPage.isEmpty()) {
                PerformancePage.replaceTable(Path.of(mllibPage), PerformancePage.MLPC_PEER, started + " UTC",
                        command, markdown);
                System.err.println("Table dated and written into " + mllibPage);
            }
        } else if (!page.isEmpty() && !dataScaleOnly) {
            if (trainerOnly) {
                PerformancePage.replaceNetworkTable(Path.of(page), network.toString(), started, command, markdown);
            } else {
                PerformancePage.replaceTable(Path.of(page), PerformancePage.BENCHMARK, started + " UTC", command,
                        markdown);
            }
            System.err.println("Table dated and written into " + page);
        }
        return 0;
    }

    /** The benchmark's own arguments as given, for the page's note of how the table was made. */
    private List<String> commandLine() {
        List<String> args = new ArrayList<>(List.of("submit/benchmark.sh"));
        if (trainerOnly) {
            args.add("--trainer-only");
        }
        if (mlpcPeerOnly) {
            args.add("--mlpc-peer-only");
        }
        if (layers != null) {
            args.addAll(List.of("--layers", layers));
        }
        if (epochs != 10) {
            args.addAll(List.of("--epochs", "" + epochs));
        }
        if (singleWorkerEpochs != 4) {
            args.addAll(List.of("--single-worker-epochs", "" + singleWorkerEpochs));
        }
        if (boundRepeats != 5) {
            args.addAll(List.of("--bound-repeats", "" + boundRepeats));
        }
        if (repeats != 1) {
            args.addAll(List.of("--repeats", "" + repeats));
        }
        trainerFlags.forEach(flag -> args.add("--trainer-flag=" + flag));
        return args;
    }

    /**
     * The PyTorch peer until it reaches the race's accuracy, timed from its start by the lines it prints; or the
     * reason it could not run.
     */
    private TorchRun torchRun(NetworkShape network) throws IOException, InterruptedException {
        NetworkShape seeds = NetworkShape.of(TrainerFlags.parse(List.of()).config());
        if (!network.equals(seeds)) {
            return TorchRun.skipped("the PyTorch peer trains the seed's network (" + seeds + ", relu) only, not "
                    + network + " (" + network.activation().cliName() + ")");
        }
        Process probe = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        if (probe.waitFor() != 0) {
            return TorchRun.skipped(python + " cannot import torch (Debian's python3-torch; submit/benchmark.sh"
                    + " installs it with apt-get when it runs as root)");
        }
        org.apache.hadoop.fs.Path data = TrainerFlags.parse(trainerFlags()).dataDirectory();
        if (!"file".equals(data.toUri().getScheme()) && data.toUri().getScheme() != null) {
            return TorchRun.skipped("the data is not on the local file system: " + data);
        }
        ProcessBuilder builder = new ProcessBuilder(python.toString(), torchPeer.toString(), "--data",
                data.toUri().getPath(), "--target", "" + raceTarget);
        long begin = System.nanoTime();
        ChildOutput out = run(builder, "PyTorch peer", TORCH_EPOCH);
        if (out.result() == null) {
            throw new IllegalStateException("the PyTorch peer ended without printing its result line");
        }
        return TorchRun.of(out.result(), out.epochEnds(), (System.nanoTime() - begin) / 1e9);
    }

    /** One end-to-end trainer run through the launcher: its wall time, metrics and manifest. */
    private TrainerRun trainerRun(Path dir, int runWorkers, int runEpochs, List<String> lastFlags)
            throws IOException, InterruptedException {
        return trainerRun(dir, runWorkers, runEpochs, lastFlags, Map.of());
    }

    /** The same, with {@code environment} added to the launcher's (e.g. {@code SPARK_LINE}, {@code JAVA_HOME}). */
    private TrainerRun trainerRun(Path dir, int runWorkers, int runEpochs, List<String> lastFlags,
                                  Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "--workers", "" + runWorkers,
                "--epochs", "" + runEpochs, "--output", dir.toString()));
        command.addAll(trainerFlags());
        command.addAll(lastFlags);
        long begin = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        ChildOutput out = run(builder, "trainer, " + runWorkers + " worker(s)" + (environment.isEmpty() ? ""
                : " " + environment), TRAINER_EPOCH);
        double wall = (System.nanoTime() - begin) / 1e9;
        List<Map<String, Object>> metrics = Json.mapper().readValue(dir.resolve("metrics.json").toFile(),
                new TypeReference<>() { });
        Map<String, Object> manifest = Json.mapper().readValue(dir.resolve("run.json").toFile(),
                new TypeReference<>() { });
        return new TrainerRun(wall, metrics, manifest, out.epochEnds());
    }

    /** Runs {@code main} of {@code type} in a child JVM with this JVM's options; returns its result line. */
    private Map<String, Object> child(Class<?> type, List<String> args, boolean defaultThreads)
            throws IOException, InterruptedException {
        return child(type.getName(), args, defaultThreads);
    }

    private Map<String, Object> child(String mainClass, List<String> args, boolean defaultThreads)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-Dspark.master=")) {
                command.add(option);
            }
        }
        command.add("-Dspark.master=local[" + workers + "]");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (defaultThreads) {
            builder.environment().remove("OMP_NUM_THREADS");
            builder.environment().remove("OPENBLAS_NUM_THREADS");
        }
        String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        Map<String, Object> result = run(builder, name, null).result();
        if (result == null) {
            throw new IllegalStateException(name + " ended without printing its result line ("
                    + Results.PREFIX.trim() + " ...)");
        }
        return result;
    }

    /**
     * What a child process printed: its result line, if any, and when (seconds after its start) each line that
     * ends an epoch appeared, by epoch.
     */
    private record ChildOutput(Map<String, Object> result, List<Double> epochEnds) {
    }

    /**
     * Runs a process, passing its output on to standard error; notes when the lines matching {@code epochLine}
     * (its group 1 the epoch number) appear.
     */
    private static ChildOutput run(ProcessBuilder builder, String what, Pattern epochLine)
            throws IOException, InterruptedException {
        System.err.println("== " + what + ": " + String.join(" ", builder.command().subList(0,
                Math.min(3, builder.command().size()))) + " ...");
        long begin = System.nanoTime();
        Process process = builder.redirectErrorStream(true).start();
        Map<String, Object> result = null;
        List<Double> epochEnds = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher epoch = epochLine == null ? null : epochLine.matcher(line);
                if (epoch != null && epoch.find() && Integer.parseInt(epoch.group(1)) == epochEnds.size() + 1) {
                    epochEnds.add((System.nanoTime() - begin) / 1e9);
                }
                Map<String, Object> parsed = Results.parse(line);
                if (parsed != null) {
                    result = parsed;
                } else {
                    System.err.println("   " + line);
                }
            }
        }
        int code = process.waitFor();
        if (code != 0) {
            throw new IllegalStateException(what + " failed: expected exit code 0, found " + code);
        }
        return new ChildOutput(result, epochEnds);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.format(Locale.ROOT, "%s %s %s", fields[0], fields[1], fields[2]);
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
