package dev.fashiontrainer.epochs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.RunMetrics;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TrainerProcess;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.eval.Evaluator;
import dev.fashiontrainer.model.ModelArchive;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.report.Json;
import dev.fashiontrainer.rundir.Checkpoint;
import dev.fashiontrainer.rundir.RunDirectory;

/**
 * Early stopping, the best epoch's model and the time budget, on the command line: Adam at a high rate on 3,000
 * training images overfits within a few epochs, so the validation loss turns up and the run stops early.
 */
class EarlyStoppingRunTest {
    private static final int TEST_IMAGES = 1000;
    private static final int ROUNDS = 3;

    @TempDir
    static Path runs;
    private static JsonNode uninterruptedMetrics;

    private static List<String> flags(String runId, String... extra) {
        List<String> flags = new ArrayList<>(List.of("--data=" + TestData.directory(), "--train-limit=4000",
                "--validation-split=1000", "--test-limit=" + TEST_IMAGES, "--epochs=30", "--optimizer=adam",
                "--learning-rate=0.003", "--early-stopping-rounds=" + ROUNDS, "--workers=2", "--progress=off",
                "--runs-root=" + runs, "--run-id=" + runId));
        flags.addAll(List.of(extra));
        return flags;
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.mapper().readTree(file.toFile());
    }

    @BeforeAll
    static void trainUntilTheValidationLossStopsImproving() throws IOException {
        CommandRun run = CommandRun.of(flags("uninterrupted"));
        assertEquals(ExitCodes.OK, run.code(), run.stderr());
        uninterruptedMetrics = RunMetrics.of(runs.resolve("uninterrupted"));
    }

    @Test
    void theRunStopsEarlyAndItsOutputsAreTheBestEpochs() throws IOException {
        Path run = runs.resolve("uninterrupted");
        JsonNode training = json(run.resolve(TrainingRun.MANIFEST_FILE)).get("training");
        int trained = uninterruptedMetrics.size();
        int best = 1;
        for (int e = 1; e <= trained; e++) {
            if (uninterruptedMetrics.get(e - 1).get("validation_loss").asDouble()
                    < uninterruptedMetrics.get(best - 1).get("validation_loss").asDouble()) {
                best = e;
            }
        }
        assertEquals("early_stopping", training.get("stop_reason").asText(), training.toString());
        assertTrue(trained < 30, "stopped before the 30th epoch: " + trained);
        assertEquals(best + ROUNDS, trained, "stopped " + ROUNDS + " epochs after the best");
        assertEquals(best, training.get("kept_epoch").asInt());
        assertEquals(trained, training.get("epochs_trained").asInt());

        // the written evaluation and model.zip are the best epoch's, not the last one's
        double bestAccuracy = uninterruptedMetrics.get(best - 1).get("test_accuracy").asDouble();
        JsonNode evaluation = json(run.resolve(TrainingRun.EVALUATION_FILE));
        assertEquals(best, evaluation.get("epoch").asInt());
        assertEquals(bestAccuracy, evaluation.get("accuracy").asDouble(), 1e-12);
        MultiLayerNetwork model = restoreModel(run, false);
        double modelAccuracy = Evaluator.evaluate(model, TestData.fashionMnist().test().head(TEST_IMAGES)).accuracy();
        assertEquals(bestAccuracy, modelAccuracy, 1e-12, "model.zip scores the best epoch's test accuracy");
        double lastAccuracy = uninterruptedMetrics.get(trained - 1).get("test_accuracy").asDouble();
        System.out.printf("early stopping: best epoch %d of %d, test accuracy %.4f there, %.4f at the last%n",
                best, trained, bestAccuracy, lastAccuracy);
    }

    @Test
    void aDriverKilledWhileWaitingForAnImprovementResumesToTheSameEnd() throws Exception {
        Path killed = runs.resolve("killed");
        Process trainer = TrainerProcess.start(runs.resolve("killed.log"), flags("killed").toArray(String[]::new));
        Path pointer = killed.resolve(Checkpoint.POINTER);
        // kill -9 once the checkpoint is past the best epoch: the patience is counting
        TrainerProcess.await(trainer, () -> {
            try {
                JsonNode checkpoint = json(pointer);
                return checkpoint.get("epoch").asInt() > checkpoint.get("best_epoch").asInt();
            } catch (IOException | RuntimeException notYet) {
                return false;
            }
        });
        trainer.destroyForcibly();
        assertTrue(trainer.waitFor(30, TimeUnit.SECONDS));
        String log = Files.readString(runs.resolve("killed.log"));
        assertFalse(Files.exists(killed.resolve(RunDirectory.SUCCESS)), "killed before it finished: " + log);
        JsonNode atKill = json(pointer);
        assertTrue(atKill.get("epoch").asInt() > atKill.get("best_epoch").asInt(), atKill.toString());
        assertTrue(Files.exists(killed.resolve(atKill.get("best_weights_file").asText())), "best weights kept");

        CommandRun resumed = CommandRun.of(flags("killed"));
        assertEquals(ExitCodes.OK, resumed.code(), resumed.stderr());
        assertTrue(resumed.stderr().contains("Resuming from the checkpoint of epoch"), resumed.stderr());
        RunMetrics.assertSame(runs.resolve("uninterrupted"), killed, uninterruptedMetrics.size());
        assertEquals(json(runs.resolve("uninterrupted").resolve(TrainingRun.MANIFEST_FILE)).get("training"),
                json(killed.resolve(TrainingRun.MANIFEST_FILE)).get("training"));
        ParameterSnapshot expected = modelState(runs.resolve("uninterrupted"));
        ParameterSnapshot actual = modelState(killed);
        assertArrayEquals(expected.parameters(), actual.parameters(), "the kept epoch's parameters");
        assertArrayEquals(expected.updaterState(), actual.updaterState(), "the kept epoch's Adam moments");
    }

    private static ParameterSnapshot modelState(Path run) throws IOException {
        return ParameterSnapshot.of(restoreModel(run, true));
    }

    private static MultiLayerNetwork restoreModel(Path run, boolean withUpdater) throws IOException {
        return ModelArchive.restore(new org.apache.hadoop.fs.Path(run.resolve(TrainingRun.MODEL_FILE).toUri()),
                FileSystem.getLocal(new Configuration()), withUpdater);
    }

    @Test
    void theTimeBudgetEndsARunAtAnEpochBoundaryAsAFinishedRun() throws IOException {
        CommandRun run = CommandRun.of(flags("budget", "--max-time=1s", "--early-stopping-rounds=0"));
        assertEquals(ExitCodes.OK, run.code(), run.stderr());
        Path directory = runs.resolve("budget");
        JsonNode training = json(directory.resolve(TrainingRun.MANIFEST_FILE)).get("training");
        assertEquals("time_budget", training.get("stop_reason").asText(), training.toString());
        // the data's loading alone takes longer than a second, and a run keeps at least one epoch
        assertEquals(1, training.get("epochs_trained").asInt());
        assertEquals(1, RunMetrics.of(directory).size());
        assertTrue(Files.exists(directory.resolve(RunDirectory.SUCCESS)));
        assertTrue(run.stdout().contains("Training stopped after epoch 1 of 30: the time budget of 1s ran out"),
                run.stdout());
        assertEquals("1s", json(directory.resolve(TrainingRun.MANIFEST_FILE)).get("settings").get("max_time")
                .asText());
    }

    @Test
    void badCombinationsAreRefusedInOneLine() {
        CommandRun noValidation = CommandRun.of(List.of("--data=" + TestData.directory(), "--epochs=3",
                "--early-stopping-rounds=2", "--runs-root=" + runs, "--run-id=refused"));
        assertEquals(ExitCodes.USAGE, noValidation.code(), noValidation.stderr());
        assertEquals("error: early stopping (2 rounds) is judged on validation examples and there are none: pass"
                + " --validation-split (a fraction such as 0.1, or a count of examples)", noValidation.errorLine());

        CommandRun negative = CommandRun.of(flags("refused", "--min-delta=-0.1"));
        assertEquals(ExitCodes.USAGE, negative.code(), negative.stderr());
        assertEquals("error: --min-delta must be a number at least 0, found -0.1", negative.errorLine());

        CommandRun badTime = CommandRun.of(flags("refused", "--max-time=20 minutes"));
        assertEquals(ExitCodes.USAGE, badTime.code(), badTime.stderr());
        assertEquals("error: --max-time must be a duration such as 90s, 20m or 1h30m or none, found '20 minutes'",
                badTime.errorLine());
        assertFalse(Files.exists(runs.resolve("refused").resolve(TrainingRun.MODEL_FILE)));
    }
}
