package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster whose hosts talk over real, rate-limited links: the master, the driver and each
 * worker run in their own network namespace ({@link NamespaceLinks}), joined through a bridge, and use only the
 * addresses inside those namespaces. The master and the workers are JVMs started from the build's Spark home as
 * {@link StandaloneCluster} starts them; their executors inherit the worker's namespace, and a driver started with
 * {@link #driverCommand} runs in the driver's.
 *
 * <p>{@link #close()} kills every process in the namespaces and deletes them, also from a shutdown hook when the
 * JVM ends without closing, and the next cluster deletes what a crashed one left ({@link NamespaceLinks}). Needs
 * root and iproute2: check {@link NamespaceLinks#unavailable()} first.
 */
public final class NamespaceCluster implements SparkEnvironment, AutoCloseable {
    /** The master's port, inside its namespace (no other process can hold it there). */
    static final int MASTER_PORT = 7077;
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final SparkHome sparkHome;
    private final Path directory;
    private final NamespaceLinks links;
    private final int workers;
    private final Thread shutdownHook;

    private NamespaceCluster(SparkHome sparkHome, Path directory, NamespaceLinks links, int workers) {
        this.sparkHome = sparkHome;
        this.directory = directory;
        this.links = links;
        this.workers = workers;
        this.shutdownHook = new Thread(links::delete, "namespace-cluster-teardown");
    }

    /**
     * Makes the namespaces and links, limits the links, and starts a master and {@code workerCount} workers of one
     * core each, waiting until every worker has registered.
     *
     * @param workerCount how many workers (each one host)
     * @param bitsPerSecond every link's rate, both ways
     * @param executorMemory what each worker offers its executor, e.g. {@code 1g}
     * @param directory where the logs and work directories go
     * @return the running cluster
     */
    public static NamespaceCluster start(int workerCount, long bitsPerSecond, String executorMemory, Path directory) {
        NamespaceLinks links = NamespaceLinks.create(workerCount);
        NamespaceCluster cluster = new NamespaceCluster(SparkHome.ofBuild(), directory, links, workerCount);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            StandaloneCluster.deleteRecursively(directory);
            Files.createDirectories(directory);
            links.limit(bitsPerSecond);
            cluster.launch("master", "org.apache.spark.deploy.master.Master", "--host", links.address("master"),
                    "--port", String.valueOf(MASTER_PORT), "--webui-port", "8080");
            for (int i = 1; i <= workerCount; i++) {
                String host = "w" + i;
                Path workDir = Files.createDirectories(directory.resolve(host));
                cluster.launch(host, "org.apache.spark.deploy.worker.Worker", cluster.masterUrl(),
                        "--host", links.address(host), "--cores", "1", "--memory", executorMemory,
                        "--webui-port", "8081", "--work-dir", workDir.toString());
            }
            cluster.awaitRegisteredWorkers();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** @return {@code spark://<master's address>:7077} */
    public String masterUrl() {
        return "spark://" + links.address("master") + ":" + MASTER_PORT;
    }

    /** @return the namespaces and links, to change the rate or to probe them */
    public NamespaceLinks links() {
        return links;
    }

    /** @return the number of workers */
    public int workers() {
        return workers;
    }

    /** @return where the logs and work directories are */
    public Path directory() {
        return directory;
    }

    /** @return Spark's home of the build (its {@code jars/} hold Spark's jars) */
    public Path sparkHome() {
        return sparkHome.path();
    }

    /**
     * @param command a driver's command line (e.g. {@code submit/cluster.sh ...})
     * @return it, run in the driver's namespace
     */
    public List<String> driverCommand(List<String> command) {
        return links.inside("driver", command);
    }

    /** Sets a driver's environment: this Spark home, and the driver's own address to bind to. */
    @Override
    public void environment(Map<String, String> environment) {
        sparkHome.environment(environment);
        environment.put("SPARK_LOCAL_IP", links.address("driver"));
    }

    /** Kills every process of the cluster (executors and a driver included) and deletes its namespaces. */
    @Override
    public void close() {
        links.delete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or has run
        }
    }

    private void launch(String host, String mainClass, String... args) throws IOException {
        List<String> command = links.inside(host, sparkHome.java(List.of("-Xmx256m"), sparkHome.jars(), mainClass,
                List.of(args)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve(host + ".log").toFile());
        sparkHome.environment(builder.environment());
        builder.environment().put("SPARK_LOCAL_IP", links.address(host));
        builder.start();
    }

    // The master's web UI is inside its namespace, out of this JVM's reach: the workers' logs say when they joined.
    private void awaitRegisteredWorkers() throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        List<String> waiting = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            waiting.clear();
            for (int i = 1; i <= workers; i++) {
                Path log = directory.resolve("w" + i + ".log");
                if (!Files.exists(log) || !Files.readString(log).contains("Successfully registered with master")) {
                    waiting.add("w" + i);
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            StandaloneCluster.sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("expected every worker to register with the master within "
                + STARTUP.toSeconds() + " s; still waiting for " + waiting + "; see the logs in " + directory);
    }
}
