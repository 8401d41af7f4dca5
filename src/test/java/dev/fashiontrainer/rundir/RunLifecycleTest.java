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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.RunMetrics;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TrainerProcess;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.export.RunExport;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.FashionMnistFile;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.report.Json;
import dev.fashiontrainer.report.Versions;

/**
 * Run directories of scheduled jobs: finished runs are left alone, killed runs resume where they stopped, one
 * process writes a run directory at a time, and nothing of an earlier run survives to look like a new one's.
 */
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

    /** A quick run: one epoch on 2,000 images. */
    private static List<String> quick(String runId, String... extra) {
        List<String> quick = flags(runId, "--epochs=1", "--train-limit=2000", "--test-limit=200");
        quick.addAll(List.of(extra));
        return quick;
    }

    private static void assertSameMetrics(String expectedRunId, String actualRunId, int epochs) throws IOException {
        RunMetrics.assertSame(runs.resolve(expectedRunId), runs.resolve(actualRunId), epochs);
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
        TrainerProcess.await(trainer, () -> Files.exists(pointer));
        trainer.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(Files.exists(pointer), "expected epoch 1's checkpoint before the kill; the trainer's log: "
                + Files.readString(runs.resolve("killed-" + name + ".log")));
        assertTrue(trainer.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(killedDir.resolve(RunDirectory.SUCCESS)), "killed before it finished: "
                + Files.readString(runs.resolve("killed-" + name + ".log")));
        assertFalse(Files.exists(killedDir.resolve(TrainingRun.MODEL_FILE)), "no model.zip from a killed run");

        // the killed process's lock outlives it, but its process is gone from this host: a retry takes it over
        Path lock = killedDir.resolve(RunLock.FILE);
        assertTrue(Files.exists(lock), "a killed run leaves its lock");
        String resumed = runInProcess(flags("killed-" + name, setting), ExitCodes.OK);
        assertTrue(resumed.contains("Resuming from the checkpoint of epoch"), resumed);
        assertSameMetrics("uninterrupted-" + name, "killed-" + name, 3);
        assertFalse(Files.exists(killedDir.resolve(Checkpoint.POINTER)), "checkpoint removed once finished");
        assertFalse(Files.exists(lock), "lock released");
    }

    @Test
    void aSecondProcessOnTheSameRunIdExitsWithUsageWhileTheFirstFinishes() throws Exception {
        Path shared = runs.resolve("shared");
        Process first = TrainerProcess.start(runs.resolve("shared.log"), flags("shared").toArray(String[]::new));
        Path lock = shared.resolve(RunLock.FILE);
        TrainerProcess.await(first, () -> Files.exists(lock));
        JsonNode holder = Json.mapper().missingNode();
        while (!holder.has("application_id") && first.isAlive()) { // the holder may be writing it right now
            try {
                holder = Json.mapper().readTree(Files.readString(lock));
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        assertTrue(holder.has("application_id"), Files.readString(runs.resolve("shared.log")));

        // the second process: this JVM, with the same flags, while the first trains
        CommandRun second = CommandRun.of(flags("shared"));
        assertEquals(ExitCodes.USAGE, second.code(), second.stderr());
        assertTrue(second.errorLine().startsWith("error: " + shared.toUri().toString().replace("file:///", "file:/")
                .replaceAll("/$", "") + " is in use by Spark application " + holder.get("application_id").asText()
                + " (host "), second.errorLine());
        assertTrue(first.isAlive() || first.exitValue() == 0, "the first was not disturbed");

        assertTrue(first.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, first.exitValue(), Files.readString(runs.resolve("shared.log")));
        assertTrue(Files.exists(shared.resolve(RunDirectory.SUCCESS)));
        assertFalse(Files.exists(lock), "lock released");
        runInProcess(flags("shared-reference"), ExitCodes.OK);
        assertSameMetrics("shared-reference", "shared", 3);
    }

    @Test
    void aFinishedRunReRunWithOtherSettingsIsAUsageErrorNamingTheDifference() {
        runInProcess(quick("settings"), ExitCodes.OK);
        CommandRun other = CommandRun.of(quick("settings", "--epochs=2", "--learning-rate=0.05"));
        assertEquals(ExitCodes.USAGE, other.code(), other.stderr());
        assertTrue(other.errorLine().contains("already finished with other settings (epochs 1 there, 2 now;"
                + " learning_rate 0.001 there, 0.05 now)"), other.errorLine());
    }

    @Test
    void anOverwriteThatDivergesLeavesNothingOfTheOldRunThatLooksCurrent() {
        runInProcess(quick("diverging"), ExitCodes.OK);
        runInProcess(quick("diverging", "--overwrite", "--learning-rate=1e6"), ExitCodes.DIVERGED);
        Path dir = runs.resolve("diverging");
        for (String old : new String[] {RunDirectory.SUCCESS, TrainingRun.MODEL_FILE, RunExport.FILE,
                TrainingRun.EVALUATION_FILE,
                TrainingRun.REPORT_FILE, TrainingRun.PREDICTIONS_FILE, TrainingRun.METRICS_FILE}) {
            assertFalse(Files.exists(dir.resolve(old)), old + " of the earlier run left behind");
        }
    }

    @Test
    void noResumeStartsOverWhateverTheCheckpointPointerSays() throws IOException {
        Path outside = Files.createDirectories(runs.resolve("precious"));
        Files.writeString(outside.resolve("data.txt"), "not the trainer's");
        Path dir = Files.createDirectories(runs.resolve("pointer"));
        Files.writeString(dir.resolve(Checkpoint.POINTER), "{\"epoch\": 1, \"model_file\": \"" + outside
                + "\", \"settings\": {}, \"metrics\": []}");

        String refused = runInProcess(quick("pointer"), ExitCodes.USAGE);
        assertTrue(refused.contains("unreadable checkpoint (expected a file name matching"), refused);
        runInProcess(quick("pointer", "--no-resume"), ExitCodes.OK);
        assertTrue(Files.exists(outside.resolve("data.txt")), "a directory outside the run was deleted");

        Path garbled = Files.createDirectories(runs.resolve("garbled"));
        Files.writeString(garbled.resolve(Checkpoint.POINTER), "{\"epoch\": 1, \"mod");
        runInProcess(quick("garbled", "--no-resume"), ExitCodes.OK);
        assertTrue(Files.exists(garbled.resolve(RunDirectory.SUCCESS)));
    }

    @Test
    void aCheckpointOfOtherDataIsNotResumed() {
        List<String> flags = quick("other-data", "--epochs=2");
        var commandLine = FashionTrainer.commandLine(null);
        commandLine.parseArgs(flags.toArray(String[]::new));
        TrainingConfig config = ((TrainCommand) commandLine.getCommand()).trainingConfig();
        RunDirectory outputs = RunDirectory.open(runs.resolve("other-data").toString(), new Configuration());
        Map<String, String> otherDigests = new TreeMap<>();
        for (FashionMnistFile file : FashionMnistFile.values()) {
            otherDigests.put(file.baseName(), file == FashionMnistFile.TRAIN_IMAGES ? "0".repeat(64) : file.sha256());
        }
        Checkpoint.save(outputs, null, NetworkFactory.create(config), new float[0], config,
                Provenance.of(otherDigests, Versions.of("3.5.3")), CheckpointTest.afterEpochs(1), 1);

        CommandRun resumed = CommandRun.of(flags);
        assertEquals(ExitCodes.USAGE, resumed.code(), resumed.stderr());
        assertTrue(resumed.errorLine().contains("holds a checkpoint made with other settings, data or code"
                + " (data_sha256.train-images-idx3-ubyte " + "0".repeat(64) + " there, "
                + FashionMnistFile.TRAIN_IMAGES.sha256() + " now)"), resumed.errorLine());
    }
}
