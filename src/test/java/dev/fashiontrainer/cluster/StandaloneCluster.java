package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests: one master and N workers, each a separate JVM started from
 * the Spark jars Maven copied into {@code target/spark-home/jars} (no Spark download). Workers launch executor
 * JVMs from the same jars, so the trainer's classes and natives reach them only through the submitted job jar.
 *
 * <p>The build passes the locations as system properties ({@code cluster.*}, see pom.xml's failsafe setup).
 * {@link #close()} stops every JVM it started, executors included, also when a test fails.
 */
public final class StandaloneCluster implements SparkEnvironment, AutoCloseable {
    /** The master port the documented command lines name (the tests replace it with their master's). */
    public static final int DEFAULT_MASTER_PORT = 7077;
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final SparkHome sparkHome;
    private final Path directory;
    private final String masterUrl;
    private final List<Process> workers = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    private StandaloneCluster(SparkHome sparkHome, Path directory, int masterPort) {
        this.sparkHome = sparkHome;
        this.directory = directory;
        this.masterUrl = "spark://127.0.0.1:" + masterPort;
    }

    /**
     * Starts a master and {@code workerCount} workers of 1 core and 3 GB each, and waits until all are ALIVE.
     *
     * @param workerCount how many workers
     * @param name a directory name under the build's cluster directory for this cluster's logs and work dirs
     * @return the running cluster
     */
    public static StandaloneCluster start(int workerCount, String name) {
        SparkHome sparkHome = SparkHome.ofBuild();
        Path directory = Path.of(required("cluster.workDirectory"), name);
        // Never the documented 7077 itself: another cluster on this machine (a hand-started one, another checkout's
        // tests) may take it between a check and the master's bind, and Spark then moves the master to the next
        // port while the workers register with the other cluster's master (seen with two test runs at once).
        int masterPort = freePort();
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, directory, masterPort);
        try {
            deleteRecursively(directory); // logs and work dirs of an earlier run would mix with this one's
            Files.createDirectories(directory);
            int webUiPort = freePort();
            cluster.launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(webUiPort));
            for (int i = 1; i <= workerCount; i++) {
                Path workDir = Files.createDirectories(directory.resolve("worker-" + i));
                cluster.workers.add(cluster.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker",
                        cluster.masterUrl, "--host", "127.0.0.1", "--cores", "1", "--memory", "3g",
                        "--webui-port", "0", "--work-dir", workDir.toString()));
            }
            cluster.awaitAliveWorkers(webUiPort, workerCount);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** @return the master's URL, {@code spark://127.0.0.1:PORT} */
    public String masterUrl() {
        return masterUrl;
    }

    /** @return Spark's home: the directory whose {@code jars/} the cluster runs from */
    public Path sparkHome() {
        return sparkHome.path();
    }

    /** @return where this cluster's logs and the workers' work directories are */
    public Path directory() {
        return directory;
    }

    /**
     * Kills (SIGKILL) the executor JVM that worker {@code worker} launched, as a crashed machine would lose it.
     *
     * @param worker 1-based worker number
     * @return the killed executor's process id
     */
    public long killExecutorOf(int worker) {
        Process parent = workers.get(worker - 1);
        List<ProcessHandle> executors = parent.descendants().filter(ProcessHandle::isAlive).toList();
        if (executors.size() != 1) {
            throw new IllegalStateException("expected one executor JVM under worker " + worker + " (pid "
                    + parent.pid() + "), found " + executors.size());
        }
        ProcessHandle executor = executors.get(0);
        executor.destroyForcibly();
        executor.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        return executor.pid();
    }

    /** Stops the workers' executors, the workers and the master; kills what does not stop in time. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (int i = started.size() - 1; i >= 0; i--) { // workers and their executors before the master
            started.get(i).descendants().forEach(all::add);
            all.add(started.get(i).toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }

    private Process launch(String name, String mainClass, String... args) throws IOException {
        List<String> command = sparkHome.java(List.of("-Xmx512m"), sparkHome.jars(), mainClass, List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile());
        environment(builder.environment());
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Sets the variables every JVM of this cluster needs (the workers pass them on to their executors). */
    @Override
    public void environment(Map<String, String> environment) {
        sparkHome.environment(environment);
    }

    private void awaitAliveWorkers(int webUiPort, int expected) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        int alive = 0;
        while (System.nanoTime() < deadline) {
            for (Process process : started) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("a cluster JVM exited with code " + process.exitValue()
                            + " while starting; see the logs in " + directory);
                }
            }
            try {
                Matcher matcher = ALIVE_WORKERS.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                alive = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
                if (alive == expected) {
                    return;
                }
            } catch (IOException e) {
                // the master's web UI is not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers", e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("expected " + expected + " ALIVE workers within " + STARTUP.toSeconds()
                + " s, found " + alive + "; see the logs in " + directory);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; run the cluster tests"
                    + " with mvn verify, which sets it");
        }
        return value;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
