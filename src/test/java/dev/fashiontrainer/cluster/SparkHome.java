package dev.fashiontrainer.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Spark installation the cluster tests run from: Spark's jars as Maven resolves them, copied into
 * {@code target/spark-home/jars} by the build (no Spark download), and the JVMs the tests start from it.
 */
final class SparkHome {
    private final Path path;
    private final List<String> javaOptions;

    private SparkHome(Path path, List<String> javaOptions) {
        this.path = path;
        this.javaOptions = javaOptions;
    }

    /** @return the build's Spark home, with the Java options the build passes (Java 17's --add-opens) */
    static SparkHome ofBuild() {
        Path path = Path.of(StandaloneCluster.required("cluster.sparkHome"));
        if (!Files.isDirectory(path.resolve("jars"))) {
            throw new IllegalStateException("expected Spark's jars in " + path.resolve("jars")
                    + " (made by mvn verify's pre-integration-test phase); found no such directory");
        }
        return new SparkHome(path, Arrays.asList(StandaloneCluster.required("cluster.javaOptions").trim().split("\\s+")));
    }

    /** @return the directory holding {@code jars/} */
    Path path() {
        return path;
    }

    /** @return the classpath entry of Spark's jars */
    String jars() {
        return path.resolve("jars") + "/*";
    }

    /**
     * @param options JVM options besides the Java 17 ones
     * @param classpath the classpath
     * @param mainClass the class to run
     * @param args its arguments
     * @return a command line that starts a JVM of this Spark installation
     */
    List<String> java(List<String> options, String classpath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(options);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        return command;
    }

    /** Sets what every Spark process of the tests needs: this home, Scala's version, the loopback address. */
    void environment(Map<String, String> environment) {
        environment.put("SPARK_HOME", path.toString());
        environment.put("SPARK_SCALA_VERSION", "2.12");
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
    }
}
