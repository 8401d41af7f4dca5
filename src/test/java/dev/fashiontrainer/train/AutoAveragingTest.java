package dev.fashiontrainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.SplitPlan;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.report.Json;

/**
 * {@code --averaging-frequency auto}: epoch 1 measures (a warm-up round, a one-minibatch round each way, the rest),
 * the driver chooses the rounds and the path, and that choice rides in the engine's carried state, so a resumed
 * run averages exactly as the one it continues.
 */
class AutoAveragingTest {

    @Test
    void choosesTheMostRoundsWithinTheShareAndTheCheaperPath() {
        // 100 minibatches of 0.01 s: 1 s of compute per epoch; a round costs 0.1 s direct, 0.05 s through the tree
        AveragingChoice tight = AveragingChoice.choose(0.1, 0.05, 0.01, 0.1, 100);
        assertTrue(tight.tree(), "the cheaper path");
        assertEquals(2, tight.roundsPerEpoch(), "0.1 / 0.9 x 1 s / 0.05 s = 2.2 rounds");
        assertEquals(50, tight.minibatchesPerRound());
        assertTrue(tight.predictedShare() <= 0.1, "predicted " + tight.predictedShare());

        AveragingChoice loose = AveragingChoice.choose(0.1, 0.2, 0.01, 0.5, 100);
        assertFalse(loose.tree());
        assertEquals(10, loose.roundsPerEpoch(), "0.5 / 0.5 x 1 s / 0.1 s");
        assertEquals(1, AveragingChoice.choose(10, 10, 0.01, 0.1, 100).roundsPerEpoch(), "at least one round");
        assertEquals(100, AveragingChoice.choose(1e-6, 1e-6, 0.01, 0.9, 100).roundsPerEpoch(), "at most one a step");
    }

    @Test
    void epochOneMeasuresAndAResumedEngineKeepsTheChoice() {
        TrainingConfig config = TrainingConfig.defaults(null).with("workers", 2).with("averagingFrequency", "auto")
                .with("communicationShare", 0.5).with("learningRate", 0.05).with("seed", 7).build();
        LabeledImages data = TestData.fashionMnist().train().head(2000); // 16 minibatches per worker

        MultiLayerNetwork model = NetworkFactory.create(config);
        MultiLayerNetwork afterEpochOne = NetworkFactory.create(config);
        Map<String, Object> chosen;
        float[] carried;
        EpochResult second;
        try (TrainingEngine engine = engine(config, data)) {
            assertTrue(engine.averagingChoice().isEmpty(), "nothing chosen before epoch 1");
            assertEquals(4, engine.trainEpoch(model, 1).averagingRounds(), "epoch 1: the four measuring rounds");
            chosen = engine.averagingChoice().orElseThrow();
            carried = engine.carriedState();
            ParameterSnapshot.of(model).applyTo(afterEpochOne);
            second = engine.trainEpoch(model, 2);
        }
        assertEquals(chosen.get("rounds_per_epoch"), second.averagingRounds(), "epoch 2 averages as chosen: " + chosen);
        assertTrue(String.valueOf(chosen.get("why")).startsWith("Averaging: auto chose "), String.valueOf(chosen));

        // A new engine (a resumed run) with the checkpoint's model and carried state: no measuring, the same rounds.
        try (TrainingEngine resumed = engine(config, data)) {
            resumed.restoreCarriedState(carried);
            assertEquals(chosen, resumed.averagingChoice().orElseThrow());
            assertEquals(second.averagingRounds(), resumed.trainEpoch(afterEpochOne, 2).averagingRounds());
        }
        assertArrayEquals(ParameterSnapshot.of(model).parameters(), ParameterSnapshot.of(afterEpochOne).parameters(),
                "the resumed epoch 2 equals the uninterrupted one");
    }

    @Test
    void theCommandLineRecordsTheChoiceInRunJsonAndSaysIt(@TempDir Path directory) throws IOException {
        Path run = directory.resolve("auto");
        CommandRun cli = CommandRun.of(List.of("--epochs", "2", "--workers", "2", "--train-limit", "2000",
                "--test-limit", "200", "--averaging-frequency", "auto", "--progress", "off", "--data",
                TestData.directory(), "--output", run.toString()));
        assertEquals(0, cli.code(), cli::errorLine);
        JsonNode choice = Json.mapper().readTree(run.resolve("run.json").toFile()).get("averaging_choice");
        assertTrue(choice != null && choice.get("why").asText().startsWith("Averaging: auto chose "),
                "run.json's averaging_choice: " + choice);
        assertTrue(cli.stderr().contains(choice.get("why").asText()), cli.stderr());
        JsonNode epochs = Json.mapper().readTree(run.resolve("metrics.json").toFile());
        assertEquals(4, epochs.get(0).get("averaging_rounds").asInt(), "epoch 1 measures in four rounds");
        assertEquals(choice.get("rounds_per_epoch").asInt(), epochs.get(1).get("averaging_rounds").asInt());
    }

    private static TrainingEngine engine(TrainingConfig config, LabeledImages data) {
        return TrainingEngine.create(TestSpark.context(), config,
                TrainingData.fromDriver(TestSpark.context(), data, SplitPlan.of(data.size(), config)));
    }
}
