package dev.fashiontrainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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
 * spark-submit, changed only in size.
 */
class AirflowDagTest {
    /** What the YARN test may change: how much it trains, nothing about how. */
    private static final List<String> SIZE_SETTINGS = List.of("epochs", "workers", "train_limit", "test_limit");

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
}
