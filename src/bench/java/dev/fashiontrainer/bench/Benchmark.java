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

import com.fasterxml.jackson.core.type.TypeReference;

import org.apache.hadoop.conf.Configuration;

import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.Downloader;
import dev.fashiontrainer.data.ShiftedCopies;
import dev.fashiontrainer.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code submit/benchmark.sh}: the side-by-side speed table, in one run on one machine. Each
 * measurement runs in its own JVM, started with this JVM's options and environment (so the BLAS kernel choice of
 * submit/native-env.sh applies: OpenBLAS reads it only when it loads): the matrix-multiply bound, a per-minibatch
 * breakdown, our trainer through the launcher script, DL4J's trainer with its defaults, and MLlib's perceptron.
 * The Markdown table goes to standard output and to {@code --output}.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the matrix-multiply bound, this trainer, DL4J's trainer and MLlib's perceptron on"
                + " this machine and prints a Markdown table. Takes 10-25 minutes.")
public final class Benchmark implements Callable<Integer> {
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

    /** Runs the benchmark (submit/benchmark.sh) and exits with its code. */
    public static void main(String[] args) {
        BenchmarkMain.exit(new Benchmark(), args);
    }

    @Override
    public Integer call() throws Exception {
        String started = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        Path work = Files.createTempDirectory("fashion-trainer-benchmark");
        BenchmarkTable table = new BenchmarkTable(workers, started, loadAverage());
        if (dataScaleOnly) {
            dataScale(table, work);
            return write(table.scaleMarkdown(loadAverage()));
        }

        // 1. the bound, with as many loops as tasks, and with one
        for (int loops : new int[] {workers, 1}) {
            table.bound(loops, child(GemmBound.class,
                    List.of("--loops", "" + loops, "--repeats", "" + boundRepeats), false));
        }
        table.steps(child(LocalStepTimer.class, concat(List.of("--repeats", "" + boundRepeats), trainerFlags),
                false));

        // 2. this trainer, end to end through the launcher, with N workers and with one
        for (int r = 0; r < repeats; r++) {
            table.trainer(workers, trainerRun(work.resolve("workers-" + workers + "-" + r), workers, epochs,
                    List.of()));
            table.trainer(1, trainerRun(work.resolve("workers-1-" + r), 1, singleWorkerEpochs, List.of()));
        }
        // an averaging round with almost nothing to compute: what each round costs beyond the local steps
        table.round(trainerRun(work.resolve("round"), workers, 4, List.of("--train-limit=" + workers
                * BenchmarkTable.ROUND_BATCHES * 64, "--batch-size=64", "--test-limit=1000")));

        // 3. DL4J's trainer with its defaults: ND4J's own thread count, so no OMP_NUM_THREADS=1 for it
        table.dl4j(child(Dl4jPeer.class, concat(List.of("--workers", "" + workers, "--epochs", "" + dl4jEpochs),
                trainerFlags), true));

        // 4. MLlib, against the accuracy our trainer reached after 3 epochs, within our end-to-end wall time
        table.mllib(child(MllibPeer.class, concat(List.of("--target-accuracy", "" + table.targetAccuracy(),
                "--budget-seconds", "" + table.wallSeconds(), "--workers", "" + workers), trainerFlags), false));

        // 6. 1x and K times the training set: examples/s and the driver's memory
        dataScale(table, work);
        return write(table.markdown(loadAverage()));
    }

    private void dataScale(BenchmarkTable table, Path work) throws IOException, InterruptedException {
        if (scaleFactor < 1) {
            return;
        }
        Path source = Path.of(new DataLocator(new Configuration(), System.getenv(), Downloader.UPSTREAM, System.err)
                .locate(null).toUri());
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

    private int write(String markdown) throws IOException {
        Path file = output != null ? output : Path.of("runs", "benchmark-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, markdown);
        System.out.println(markdown);
        System.err.println("Table written to " + file);
        return 0;
    }

    /** One end-to-end trainer run through the launcher: its wall time, metrics and manifest. */
    private TrainerRun trainerRun(Path dir, int runWorkers, int runEpochs, List<String> lastFlags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "--workers", "" + runWorkers,
                "--epochs", "" + runEpochs, "--output", dir.toString()));
        command.addAll(trainerFlags);
        command.addAll(lastFlags);
        long begin = System.nanoTime();
        run(new ProcessBuilder(command), "trainer, " + runWorkers + " worker(s)");
        double wall = (System.nanoTime() - begin) / 1e9;
        List<Map<String, Object>> metrics = Json.mapper().readValue(dir.resolve("metrics.json").toFile(),
                new TypeReference<>() { });
        Map<String, Object> manifest = Json.mapper().readValue(dir.resolve("run.json").toFile(),
                new TypeReference<>() { });
        return new TrainerRun(wall, metrics, manifest);
    }

    /** Runs {@code main} of {@code type} in a child JVM with this JVM's options; returns its result line. */
    private Map<String, Object> child(Class<?> type, List<String> args, boolean defaultThreads)
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
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), type.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (defaultThreads) {
            builder.environment().remove("OMP_NUM_THREADS");
            builder.environment().remove("OPENBLAS_NUM_THREADS");
        }
        Map<String, Object> result = run(builder, type.getSimpleName());
        if (result == null) {
            throw new IllegalStateException(type.getSimpleName() + " ended without printing its result line ("
                    + Results.PREFIX.trim() + " ...)");
        }
        return result;
    }

    /** Runs a process, passing its output on to standard error; returns its result line, if any. */
    private static Map<String, Object> run(ProcessBuilder builder, String what)
            throws IOException, InterruptedException {
        System.err.println("== " + what + ": " + String.join(" ", builder.command().subList(0,
                Math.min(3, builder.command().size()))) + " ...");
        Process process = builder.redirectErrorStream(true).start();
        Map<String, Object> result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
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
        return result;
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
