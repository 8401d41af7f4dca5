package dev.fashiontrainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.report.Json;

/**
 * The Airflow DAG's {@code SparkSubmitOperator}, read from submit/airflow/fashion_trainer_dag.py with Python's own
 * {@code ast} (src/test/resources/dag_arguments.py; Airflow cannot be installed here), and the spark-submit it
 * makes. YarnHdfsIT submits that to YARN; AirflowDagTest checks what it changes for the test.
 */
public final class AirflowDag {
    /** Appended to the DAG's arguments by the YARN test: the same run on a small subset (the last flag wins). */
    public static final List<String> SMALLER_RUN = List.of("--epochs", "2", "--workers", "2",
            "--train-limit", "6000", "--test-limit", "1000");
    /** The YARN test's executors: one per worker of {@link #SMALLER_RUN}. */
    public static final int SMALLER_RUN_EXECUTORS = 2;
    private static final Path DAG = Path.of("submit/airflow/fashion_trainer_dag.py");

    private AirflowDag() {
    }

    /**
     * @return the operator's keyword arguments as JSON ({@code application_args} with {@code {{ ds }}} rendered as
     *     2026-11-25), plus the DAG's {@code retries} and {@code min_test_accuracy}
     */
    public static JsonNode operator() {
        Path root = Path.of(System.getProperty("cluster.projectRoot", System.getProperty("user.dir")));
        try {
            Process python = new ProcessBuilder("/usr/bin/python3",
                    root.resolve("src/test/resources/dag_arguments.py").toString(), root.resolve(DAG).toString())
                    .redirectErrorStream(true).start();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
                throw new IllegalStateException("dag_arguments.py failed: " + output);
            }
            return Json.mapper().readTree(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** @return the trainer's arguments the DAG passes */
    public static List<String> applicationArguments(JsonNode operator) {
        List<String> args = new ArrayList<>();
        operator.get("application_args").forEach(a -> args.add(a.asText()));
        return args;
    }

    /**
     * spark-submit's arguments as {@code SparkSubmitOperator} builds them, for a connection to YARN in cluster
     * deploy mode, made {@link #SMALLER_RUN}.
     *
     * @param operator the DAG's operator, see {@link #operator()}
     * @param files the DAG's paths (its job jar, its properties file) and where they are here
     * @return the arguments after {@code spark-submit}
     */
    public static List<String> smallerYarnClusterSubmission(JsonNode operator, Map<String, String> files) {
        List<String> args = new ArrayList<>(List.of("--master", "yarn"));
        operator.path("conf").fields().forEachRemaining(e -> args.addAll(List.of("--conf",
                e.getKey() + "=" + e.getValue().asText())));
        args.addAll(List.of("--properties-file", files.get(operator.get("properties_file").asText()),
                "--num-executors", String.valueOf(SMALLER_RUN_EXECUTORS),
                "--name", operator.get("name").asText(),
                "--class", operator.get("java_class").asText(),
                "--deploy-mode", "cluster",
                files.get(operator.get("application").asText())));
        args.addAll(applicationArguments(operator));
        args.addAll(SMALLER_RUN);
        return args;
    }
}
