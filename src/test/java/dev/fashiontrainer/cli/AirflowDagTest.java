package dev.fashiontrainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fashiontrainer.AirflowDag;
import dev.fashiontrainer.config.OptimizerKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.report.Json;
import picocli.CommandLine;

/**
 * The Airflow DAG and the command line cannot drift apart: the exact application arguments the DAG passes go
 * through the trainer's real parser and validation, and the YARN test (YarnHdfsIT) submits the DAG's own
 * spark-submit, changed only in size; the check task's function runs against real run directories.
 */
class AirflowDagTest {
    private static final Path DAG = Path.of("submit/airflow/fashion_trainer_dag.py");
    /** What the YARN test may change: how much it trains, nothing about how. */
    // block_momentum too: the fast recipe's "auto" resolves to 1 - 1/workers (compared as the setting, below)
    private static final List<String> SIZE_SETTINGS = List.of("epochs", "workers", "train_limit", "test_limit",
            "block_momentum");

    private static TrainCommand parse(List<String> args) {
        String[] argv = args.toArray(String[]::new);
        CommandLine commandLine = FashionTrainer.commandLine(FashionTrainer.recipeIn(argv));
        commandLine.parseArgs(argv);
        return commandLine.getCommand();
    }

    @Test
    void theDagsArgumentsParseAndValidateWithTheTrainersOwnParser() {
        JsonNode operator = AirflowDag.operator();
        TrainCommand command = parse(AirflowDag.applicationArguments(operator));
        TrainingConfig config = command.trainingConfig();

        assertEquals(FashionTrainer.class.getName(), operator.get("java_class").asText());
        assertEquals("fast", config.recipe());
        assertEquals(OptimizerKind.ADAM, config.optimizer(), "the fast recipe's defaults applied");
        assertEquals(4, config.workers());
        assertEquals(config.workers(), operator.get("num_executors").asInt(), "one executor per worker");
        assertEquals("hdfs:///fashion-trainer/runs/2026-11-25", command.runOptions().output(),
                "one run directory per logical date");
        assertTrue(command.runOptions().resume(), "a retried task resumes");
        // training ends as a finished run inside the task's timeout, with time left for one more epoch and outputs
        double timeout = operator.get("execution_timeouts").get("train").asDouble();
        double budget = config.maxTime().toSeconds();
        assertTrue(budget > 0.8 * timeout && budget <= timeout - 600, "--max-time " + budget + " s against the"
                + " task's timeout of " + timeout + " s");
    }

    @Test
    void theYarnTestRunsTheDagsSettingsOnASmallerScale() {
        List<String> dag = AirflowDag.applicationArguments(AirflowDag.operator());
        List<String> yarnTest = new ArrayList<>(dag);
        yarnTest.addAll(AirflowDag.SMALLER_RUN);
        TrainCommand full = parse(dag);
        TrainCommand smaller = parse(yarnTest);

        assertEquals(full.runOptions(), smaller.runOptions(), "data, output, resume");
        assertEquals(withoutSize(full.trainingConfig()), withoutSize(smaller.trainingConfig()));
        assertEquals(full.spec.findOption("--block-momentum").<String>getValue(),
                smaller.spec.findOption("--block-momentum").<String>getValue(),
                "the block momentum setting (auto or a number)");
        assertEquals(AirflowDag.SMALLER_RUN_EXECUTORS, smaller.trainingConfig().workers(), "one executor per worker");
    }

    private static JsonNode withoutSize(TrainingConfig config) {
        ObjectNode json = Json.mapper().valueToTree(config);
        json.remove(SIZE_SETTINGS);
        return json;
    }

    @Test
    void theDagSubmitsWithClusterShsSettingsAndRetriesAndChecksAccuracy() {
        JsonNode operator = AirflowDag.operator();
        assertTrue(operator.get("retries").asInt() >= 1, "retries: " + operator.get("retries"));
        double threshold = operator.get("min_test_accuracy").asDouble();
        assertTrue(threshold > 0.5 && threshold < 1, "threshold " + threshold);
        assertTrue(operator.get("properties_file").asText().endsWith("/spark-defaults.conf"),
                "the DAG submits with conf/spark-defaults.conf, as submit/cluster.sh does: " + operator);
        assertFalse(operator.has("conf") && operator.get("conf").toString().contains("spark.executorEnv"),
                "the executors' native settings come from the trainer, not from a copy in the DAG: " + operator);
    }

    @Test
    void everyTaskHasAnExecutionTimeout() throws Exception {
        JsonNode timeouts = AirflowDag.operator().get("execution_timeouts");
        assertEquals(2, timeouts.size(), timeouts.toString());
        timeouts.fields().forEachRemaining(task -> assertTrue(task.getValue().asDouble() > 0,
                task.getKey() + " has no execution_timeout"));
    }

    /** The check task's own function, run on real run directories (with local stand-ins for fsspec and Airflow). */
    @Test
    void theCheckTaskTrustsOnlyFinishedRunsAndFailsAQualityGateWithoutRetrying(@TempDir Path runs) throws Exception {
        Path unfinished = writeRun(runs.resolve("unfinished"), 0.9, false);
        Path poor = writeRun(runs.resolve("poor"), 0.5, true);
        Path good = writeRun(runs.resolve("good"), 0.9, true);

        JsonNode outcomes = python("src/test/resources/dag_check_task.py", DAG.toString(), "0.85",
                unfinished.toString(), poor.toString(), good.toString());
        assertTrue(outcomes.get(unfinished.toString()).asText().startsWith("retryable: " + unfinished
                + "/_SUCCESS is missing"), outcomes.toString());
        assertTrue(outcomes.get(poor.toString()).asText().startsWith("fail-without-retry: test accuracy 0.5000 of epoch 1"),
                outcomes.toString());
        assertEquals("ok: test accuracy 0.9000 >= 0.8500 (trained all 1 epochs)", outcomes.get(good.toString()).asText());
    }

    private static Path writeRun(Path dir, double accuracy, boolean finished) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), "{\"final_test_accuracy\": " + accuracy + ", \"training\":"
                + " {\"kept_epoch\": 1, \"explanation\": \"trained all 1 epochs\"}}");
        if (finished) {
            Files.writeString(dir.resolve("_SUCCESS"), "");
        }
        return dir;
    }

    private static JsonNode python(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script));
        command.addAll(List.of(args));
        Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, python.exitValue(), output);
        return Json.mapper().readTree(output);
    }
}
