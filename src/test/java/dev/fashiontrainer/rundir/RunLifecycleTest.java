package dev.fashiontrainer.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TrainerProcess;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.report.Json;

/** Run directories of scheduled jobs: finished runs are left alone, killed runs resume where they stopped. */
class RunLifecycleTest {
    @TempDir
    static Path runs;

    private static List<String> flags(String runId, String... extra) {
        List<String> flags = new ArrayList<>(List.of("--data=" + TestData.directory(), "--train-limit=12000",
                "--test-limit=1000", "--epochs=3", "--workers=2", "--runs-root=" + runs, "--run-id=" + runId));
        flags.addAll(List.of(extra));
        return flags;
    }

    private static String runInProcess(List<String> flags, int expectedCode) {
        CommandRun run = CommandRun.of(flags);
        assertEquals(expectedCode, run.code(), run.stderr());
        return run.stderr();
    }

    private static JsonNode metrics(String runId) throws IOException {
        return Json.mapper().readTree(runs.resolve(runId).resolve(TrainingRun.METRICS_FILE).toFile());
    }

    @Test
    void aFinishedRunIsANoOpUnlessOverwritten() throws IOException {
        List<String> flags = flags("finished", "--epochs=1");
        runInProcess(flags, ExitCodes.OK);
        Path model = runs.resolve("finished").resolve(TrainingRun.MODEL_FILE);
        Files.setLastModifiedTime(model, FileTime.fromMillis(0));

        String again = runInProcess(flags, ExitCodes.OK);
        assertTrue(again.contains("already finished; nothing to do"), again);
        assertEquals(0, Files.getLastModifiedTime(model).toMillis(), "model.zip untouched");

        List<String> overwrite = new ArrayList<>(flags);
        overwrite.add("--overwrite");
        String retrained = runInProcess(overwrite, ExitCodes.OK);
        assertTrue(retrained.contains("--overwrite: training it again"), retrained);
        assertNotEquals(0, Files.getLastModifiedTime(model).toMillis(), "model.zip rewritten");
        assertTrue(Files.exists(runs.resolve("finished").resolve(RunDirectory.SUCCESS)));
    }

    /**
     * Block momentum, so that the checkpoint must carry the driver's last step besides the model; reshuffling, so
     * that the resumed run must rebuild, on the executors, the split of the epoch it resumes at.
     */
    @ParameterizedTest
    @ValueSource(strings = {"--block-momentum=0.5", "--reshuffle"})
    void aRunKilledAfterItsFirstEpochResumesToTheSameResult(String setting) throws Exception {
        // the reference: the same run, uninterrupted
        String name = setting.replaceAll("\\W", "");
        String uninterrupted = runInProcess(flags("uninterrupted-" + name, setting), ExitCodes.OK);
        if (setting.equals("--reshuffle")) {
            assertTrue(uninterrupted.contains("Data: epoch 2 built 2 training shard(s) (--reshuffle: a new split,"),
                    uninterrupted);
            assertTrue(uninterrupted.contains("moved between executors through Spark's shuffle, none through the"
                    + " driver)"), uninterrupted);
        }

        // kill -9 the trainer's JVM as soon as epoch 1's checkpoint exists
        Path killedDir = runs.resolve("killed-" + name);
        Process trainer = TrainerProcess.start(runs.resolve("killed-" + name + ".log"),
                flags("killed-" + name, setting).toArray(String[]::new));
        Path pointer = killedDir.resolve(Checkpoint.POINTER);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(pointer) && trainer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        trainer.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(trainer.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(killedDir.resolve(RunDirectory.SUCCESS)), "killed before it finished: "
                + Files.readString(runs.resolve("killed-" + name + ".log")));
        assertFalse(Files.exists(killedDir.resolve(TrainingRun.MODEL_FILE)), "no model.zip from a killed run");

        String resumed = runInProcess(flags("killed-" + name, setting), ExitCodes.OK);
        assertTrue(resumed.contains("Resuming from the checkpoint of epoch"), resumed);

        JsonNode expected = metrics("uninterrupted-" + name);
        JsonNode actual = metrics("killed-" + name);
        assertEquals(3, actual.size());
        for (int e = 0; e < 3; e++) {
            for (String field : new String[] {"epoch", "train_loss", "test_loss", "test_accuracy", "learning_rate"}) {
                assertEquals(expected.get(e).get(field).asDouble(), actual.get(e).get(field).asDouble(), 1e-9,
                        "epoch " + (e + 1) + " " + field);
            }
        }
        assertFalse(Files.exists(killedDir.resolve(Checkpoint.POINTER)), "checkpoint removed once finished");
    }
}
