package dev.fashiontrainer.rundir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.FashionMnistFile;
import dev.fashiontrainer.epochs.LoopState;
import dev.fashiontrainer.epochs.StopReason;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.report.EpochMetrics;
import dev.fashiontrainer.report.Versions;

/**
 * The engine's carried state (block momentum's last step) in checkpoints; checkpoints are resumed only by the run
 * that made them, and a pointer file cannot steer what is read or deleted.
 */
class CheckpointTest {
    private static final Provenance PROVENANCE = Provenance.of(Map.of(FashionMnistFile.TEST_LABELS.baseName(),
            FashionMnistFile.TEST_LABELS.sha256()), Versions.of("3.5.3"));

    @TempDir
    Path directory;

    private static TrainingConfig config() {
        var commandLine = FashionTrainer.commandLine(null);
        commandLine.parseArgs("--block-momentum", "0.5");
        return ((TrainCommand) commandLine.getCommand()).trainingConfig();
    }

    /** @return the loop's state after {@code epochs} epochs of made-up metrics, tracking no best epoch */
    static LoopState afterEpochs(int epochs) {
        List<EpochMetrics> metrics = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            metrics.add(new EpochMetrics(epoch, 1.0 / epoch, 0.5, 0.8, 1, 1000, 0.001, 1, 0.1, 0, List.of(), null,
                    null));
        }
        return LoopState.resumed(metrics, 0, null, null);
    }

    /** A checkpoint of epoch 1 of a fresh network, with {@code engineState} as the engine's carried state. */
    private static void saveEpochOne(RunDirectory outputs, TrainingConfig config, float[] engineState) {
        Checkpoint.save(outputs, null, NetworkFactory.create(config), engineState, config, PROVENANCE, afterEpochs(1), 1);
    }

    @Test
    void theEngineStateRoundTripsAndOnlyTheLatestEpochsFilesAreKept() {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        TrainingConfig config = config();
        MultiLayerNetwork model = NetworkFactory.create(config);
        float[] state = {1.5f, -2.25f, Float.MIN_VALUE, 3e30f};

        Checkpoint first = Checkpoint.save(outputs, null, model, state, config, PROVENANCE, afterEpochs(1), 1);
        Checkpoint.save(outputs, first, model, state, config, PROVENANCE, afterEpochs(2), 1);

        Checkpoint latest = Checkpoint.latest(outputs);
        assertEquals(2, latest.epoch());
        assertArrayEquals(state, latest.engineState(outputs));
        assertFalse(Files.exists(directory.resolve("checkpoint-epoch-1-engine.bin")), "epoch 1's state removed");

        Checkpoint.deleteAll(outputs);
        assertFalse(Files.exists(directory.resolve("checkpoint-epoch-2-engine.bin")));
    }

    /**
     * {@code --keep-checkpoints 2}: the two latest model files stay; the best epoch's weights stay however old, are
     * written again only when a better epoch comes, and read back as saved with the stop that ended training.
     */
    @Test
    void theLatestCheckpointsAndTheBestEpochsWeightsAreKept() {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        TrainingConfig config = config();
        MultiLayerNetwork model = NetworkFactory.create(config);
        ParameterSnapshot epochTwo = new ParameterSnapshot(new float[] {1, 2, 3}, new float[] {4, 5});
        ParameterSnapshot epochFour = new ParameterSnapshot(new float[] {6, 7, 8}, new float[0]);
        Checkpoint saved = null;
        for (int epoch = 1; epoch <= 5; epoch++) {
            int best = epoch < 4 ? Math.min(epoch, 2) : 4;
            ParameterSnapshot weights = best == 2 ? epochTwo : best == 4 ? epochFour : new ParameterSnapshot(
                    new float[] {0}, new float[0]);
            LoopState state = afterEpochs(epoch);
            saved = Checkpoint.save(outputs, saved, model, new float[0], config, PROVENANCE, new LoopState(
                    state.metrics(), best, weights, epoch == 5 ? Optional.of(StopReason.EARLY_STOPPING)
                            : Optional.empty()), 2);
            if (epoch == 3) {
                assertTrue(Files.exists(directory.resolve("checkpoint-best-epoch-2.bin")));
                assertFalse(Files.exists(directory.resolve("checkpoint-best-epoch-1.bin")), "replaced by epoch 2's");
            }
        }
        assertEquals(List.of(4, 5), saved.keptEpochs());
        for (int epoch = 1; epoch <= 5; epoch++) {
            assertEquals(epoch >= 4, Files.exists(directory.resolve("checkpoint-epoch-" + epoch + ".zip")),
                    "epoch " + epoch);
        }
        assertFalse(Files.exists(directory.resolve("checkpoint-best-epoch-2.bin")), "replaced by epoch 4's");

        LoopState resumed = Checkpoint.latest(outputs).loopState(outputs);
        assertEquals(5, resumed.epoch());
        assertEquals(4, resumed.bestEpoch());
        assertArrayEquals(epochFour.parameters(), resumed.bestWeights().parameters());
        assertArrayEquals(epochFour.updaterState(), resumed.bestWeights().updaterState());
        assertEquals(Optional.of(StopReason.EARLY_STOPPING), resumed.stop());
        Checkpoint.deleteAll(outputs);
        assertFalse(Files.exists(directory.resolve("checkpoint-best-epoch-4.bin")));
    }

    @Test
    void withoutEngineStateNoFileIsWritten() {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        TrainingConfig config = config();
        saveEpochOne(outputs, config, new float[0]);

        Checkpoint latest = Checkpoint.latest(outputs);
        assertNull(latest.engineStateFile());
        assertEquals(0, latest.engineState(outputs).length);
    }

    @Test
    void aTruncatedStateFileIsReportedWithWhatToDo() throws IOException {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        TrainingConfig config = config();
        saveEpochOne(outputs, config, new float[] {1f, 2f, 3f});
        Path file = directory.resolve("checkpoint-epoch-1-engine.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 2));

        Checkpoint latest = Checkpoint.latest(outputs);
        OutputException e = assertThrows(OutputException.class, () -> latest.engineState(outputs));
        assertTrue(e.getMessage().contains("checkpoint-epoch-1-engine.bin: unreadable checkpoint"), e.getMessage());
        assertTrue(e.getMessage().endsWith("pass --no-resume to start the run again"), e.getMessage());
    }

    /**
     * A count of 2^30 floats (4 GiB) in a file of a few bytes: refused from the file's length, before anything of
     * that size is allocated (the thread's allocation is measured).
     */
    @Test
    void aStateFileWhoseCountExceedsItsLengthIsRefusedWithoutAllocatingTheCount() throws IOException {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        saveEpochOne(outputs, config(), new float[] {1f, 2f, 3f});
        Path file = directory.resolve("checkpoint-epoch-1-engine.bin");
        Files.write(file, ByteBuffer.allocate(12).putInt(1 << 30).putFloat(1f).putFloat(2f).array());
        // a crafted file comes without Hadoop's checksum file, which would otherwise refuse it first
        Files.delete(directory.resolve(".checkpoint-epoch-1-engine.bin.crc"));
        Checkpoint latest = Checkpoint.latest(outputs);

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        OutputException e = assertThrows(OutputException.class, () -> latest.engineState(outputs));
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        assertTrue(e.getMessage().contains("checkpoint-epoch-1-engine.bin: unreadable checkpoint (its header"
                + " promises 1073741824 floats (4294967300 bytes), the file holds 12 bytes); pass --no-resume"),
                e.getMessage());
        assertTrue(allocated < 64 << 20, "allocated " + allocated + " bytes to refuse it");
    }

    @Test
    void aCheckpointOfOtherDataOrCodeIsRefusedNamingTheDifference() {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        TrainingConfig config = config();
        saveEpochOne(outputs, config, new float[0]);
        Checkpoint latest = Checkpoint.latest(outputs);
        latest.checkResumableWith(outputs, config, PROVENANCE); // the same run: resumable

        Map<String, String> newerCode = new HashMap<>(PROVENANCE.versions());
        newerCode.put("fashion_trainer", "9.9.9");
        ConfigException code = assertThrows(ConfigException.class, () -> latest.checkResumableWith(outputs, config,
                new Provenance(PROVENANCE.dataSha256(), newerCode)));
        assertTrue(code.getMessage().contains("versions.fashion_trainer " + PROVENANCE.versions().get("fashion_trainer")
                + " there, 9.9.9 now"), code.getMessage());

        Provenance otherData = Provenance.of(Map.of(FashionMnistFile.TEST_LABELS.baseName(), "0".repeat(64)),
                Versions.of("3.5.3"));
        ConfigException data = assertThrows(ConfigException.class,
                () -> latest.checkResumableWith(outputs, config, otherData));
        assertTrue(data.getMessage().contains("data_sha256.t10k-labels-idx1-ubyte "
                + FashionMnistFile.TEST_LABELS.sha256() + " there, " + "0".repeat(64) + " now"), data.getMessage());
    }

    @Test
    void aPointerNamingAnotherFileIsRefusedAndNeverSteersDeletion() throws IOException {
        Path outside = Files.createDirectories(directory.resolve("outside"));
        Files.writeString(outside.resolve("precious.txt"), "keep me");
        Path run = Files.createDirectories(directory.resolve("run"));
        RunDirectory outputs = RunDirectory.open(run.toString(), new Configuration());
        Files.writeString(run.resolve(Checkpoint.POINTER), "{\"epoch\": 1, \"model_file\": \"" + outside
                + "\", \"engine_state_file\": null, \"settings\": {}, \"metrics\": []}");
        Files.writeString(run.resolve("checkpoint-epoch-1.zip"), "a leftover");

        OutputException e = assertThrows(OutputException.class, () -> Checkpoint.latest(outputs));
        assertTrue(e.getMessage().contains("expected a file name matching"), e.getMessage());

        Checkpoint.deleteAll(outputs);
        assertTrue(Files.exists(outside.resolve("precious.txt")), "nothing outside the run directory deleted");
        assertFalse(Files.exists(run.resolve(Checkpoint.POINTER)));
        assertFalse(Files.exists(run.resolve("checkpoint-epoch-1.zip")), "the trainer's own files deleted by name");
    }
}
