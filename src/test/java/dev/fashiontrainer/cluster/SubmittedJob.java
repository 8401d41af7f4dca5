package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A driver started with a shell command line (a documented one, or {@code submit/cluster.sh} with flags) against a
 * test cluster ({@link StandaloneCluster}, {@link YarnCluster}), run from the project's root; its standard output
 * and error go to one log file.
 */
public final class SubmittedJob implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofMinutes(6);

    private final Process process;
    private final Path log;

    private SubmittedJob(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param cluster the cluster whose Spark home (and Hadoop configuration) the command uses
     * @param commandLine a bash command line, run in the project's root
     * @param log where the driver's output goes
     * @return the running driver
     */
    public static SubmittedJob start(SparkEnvironment cluster, String commandLine, Path log) {
        return start(cluster, List.of("bash", "-c", commandLine), log);
    }

    /**
     * @param cluster the cluster whose Spark home (and Hadoop configuration) the command uses
     * @param command a program and its arguments, run in the project's root
     * @param log where the driver's output goes
     * @return the running driver
     */
    public static SubmittedJob start(SparkEnvironment cluster, List<String> command, Path log) {
        String commandLine = String.join(" ", command);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        cluster.environment(builder.environment());
        try {
            return new SubmittedJob(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start: " + commandLine, e);
        }
    }

    /** @return the project's root directory (Maven runs the tests there) */
    public static Path projectRoot() {
        return Path.of(System.getProperty("cluster.projectRoot", System.getProperty("user.dir")));
    }

    /**
     * Waits until the log contains {@code text}.
     *
     * @throws IllegalStateException when the driver exits first or the time runs out
     */
    public void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("expected \"" + text + "\" in the driver's log, but the driver exited"
                        + " with code " + process.exitValue() + " first; log: " + log);
            }
            StandaloneCluster.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("expected \"" + text + "\" in the driver's log within " + timeout.toSeconds()
                + " s; log: " + log);
    }

    /** @return the driver's exit code, once it has finished (at most six minutes) */
    public int exitCode() {
        try {
            if (!process.waitFor(LIMIT.toMinutes(), TimeUnit.MINUTES)) {
                throw new IllegalStateException("the driver did not finish within " + LIMIT.toMinutes()
                        + " minutes; log: " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the driver", e);
        }
    }

    /** @return what the driver has written so far */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the driver's process */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Kills the driver and its children if it is still running. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
