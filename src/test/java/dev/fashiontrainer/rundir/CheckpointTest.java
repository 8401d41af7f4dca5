package dev.fashiontrainer.rundir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.model.NetworkFactory;

/** The engine's carried state (block momentum's last step) in checkpoints. */
class CheckpointTest {
    @TempDir
    Path directory;

    private static TrainingConfig config() {
        var commandLine = FashionTrainer.commandLine(null);
        commandLine.parseArgs("--block-momentum", "0.5");
        return ((TrainCommand) commandLine.getCommand()).trainingConfig();
    }

    @Test
    void theEngineStateRoundTripsAndOnlyTheLatestEpochsFilesAreKept() {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        TrainingConfig config = config();
        MultiLayerNetwork model = NetworkFactory.create(config);
        float[] state = {1.5f, -2.25f, Float.MIN_VALUE, 3e30f};

        Checkpoint.save(outputs, model, state, config, 1, List.of());
        Checkpoint.save(outputs, model, state, config, 2, List.of());

        Checkpoint latest = Checkpoint.latest(outputs);
        assertEquals(2, latest.epoch());
        assertArrayEquals(state, latest.engineState(outputs));
        assertFalse(Files.exists(directory.resolve("checkpoint-epoch-1-engine.bin")), "epoch 1's state removed");

        Checkpoint.deleteAll(outputs);
        assertFalse(Files.exists(directory.resolve("checkpoint-epoch-2-engine.bin")));
    }

    @Test
    void withoutEngineStateNoFileIsWritten() {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        TrainingConfig config = config();
        Checkpoint.save(outputs, NetworkFactory.create(config), new float[0], config, 1, List.of());

        Checkpoint latest = Checkpoint.latest(outputs);
        assertNull(latest.engineStateFile());
        assertEquals(0, latest.engineState(outputs).length);
    }

    @Test
    void aTruncatedStateFileIsReportedWithWhatToDo() throws IOException {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        TrainingConfig config = config();
        Checkpoint.save(outputs, NetworkFactory.create(config), new float[] {1f, 2f, 3f}, config, 1, List.of());
        Path file = directory.resolve("checkpoint-epoch-1-engine.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 2));

        Checkpoint latest = Checkpoint.latest(outputs);
        OutputException e = assertThrows(OutputException.class, () -> latest.engineState(outputs));
        assertTrue(e.getMessage().contains("checkpoint-epoch-1-engine.bin: unreadable checkpoint"), e.getMessage());
        assertTrue(e.getMessage().endsWith("pass --no-resume to start the run again"), e.getMessage());
    }
}
