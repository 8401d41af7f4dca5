package dev.fashiontrainer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.fashiontrainer.cli.FashionTrainer;

/**
 * Starts the trainer in a JVM of its own, as a user or a scheduler would, so that tests can kill it for real.
 */
public final class TrainerProcess {
    // the build runs the tests in the project directory; the argument file is the one list of --add-opens
    private static final String JAVA_17_OPENS = "@" + Path.of("conf", "java17.args").toAbsolutePath();

    private TrainerProcess() {
    }

    /**
     * @param log file receiving the process's standard output and error
     * @param args trainer flags
     * @return the started process, in local mode with two task threads
     */
    public static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(JAVA_17_OPENS);
        command.addAll(List.of("-Xmx3g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1", "-cp", System.getProperty("java.class.path"),
                FashionTrainer.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.directory(new File(System.getProperty("user.dir")));
        return builder.start();
    }

    /**
     * Waits until {@code condition} holds or the process has ended, at most 6 minutes (a loaded machine needs
     * minutes for what takes seconds on an idle one).
     */
    public static void await(Process process, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (!condition.getAsBoolean() && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** @return the lines of {@code output} that belong to a stack trace: naming an exception, or {@code \tat ...} */
    public static List<String> traceLines(String output) {
        return output.lines().filter(line -> line.contains("Exception") || line.startsWith("\tat ")).toList();
    }
}
