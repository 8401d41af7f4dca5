package dev.fashiontrainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.SplitPlan;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.model.NetworkFactory;

/** The Spark engine trains the same model whichever local step its workers use. */
class LocalStepEngineTest {

    /** What two epochs left: the second epoch's report and the averaged parameters. */
    private record Trained(EpochResult result, float[] parameters) {
    }

    @Test
    void leanAndDl4jStepsTrainTheSameModel() {
        assertSameModel(train("lean", "--learning-rate", "0.05"), train("dl4j", "--learning-rate", "0.05"), 1e-5);
    }

    @Test
    void leanAndDl4jStepsTrainTheSameModelWithTheFastRecipe() {
        // Adam's moments averaged with the parameters, the step count across rounds, block momentum
        String[] fast = {"--recipe", "fast", "--averaging-frequency", "3"};
        assertSameModel(train("lean", fast), train("dl4j", fast), 1e-4);
    }

    private static void assertSameModel(Trained leanRun, Trained dl4jRun, double tolerance) {
        EpochResult lean = leanRun.result();
        EpochResult dl4j = dl4jRun.result();
        assertEquals(dl4j.trainLoss(), lean.trainLoss(), 1e-5 * dl4j.trainLoss());
        assertEquals(dl4j.examples(), lean.examples());
        assertEquals(dl4j.samples().size(), lean.samples().size());
        for (int i = 0; i < dl4j.samples().size(); i++) {
            assertEquals(dl4j.samples().get(i).loss(), lean.samples().get(i).loss(), 1e-4,
                    "loss sample " + i);
        }
        float[] expected = dl4jRun.parameters();
        float[] actual = leanRun.parameters();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.pow(actual[i] - expected[i], 2);
            norm += Math.pow(expected[i], 2);
        }
        assertTrue(Math.sqrt(diff / norm) < tolerance, "expected the parameters after 2 epochs to differ by at most "
                + tolerance + " (relative), found " + Math.sqrt(diff / norm));
    }

    private static Trained train(String localStep, String... flags) {
        var commandLine = FashionTrainer.commandLine(null);
        List<String> args = new ArrayList<>(List.of("--local-step", localStep, "--train-limit", "1000",
                "--reshuffle"));
        args.addAll(List.of(flags));
        commandLine.parseArgs(args.toArray(String[]::new));
        TrainingConfig config = ((TrainCommand) commandLine.getCommand()).trainingConfig();
        LabeledImages images = TestData.fashionMnist().train().head(config.trainLimit());
        MultiLayerNetwork model = NetworkFactory.create(config);
        EpochResult result;
        try (TrainingEngine engine = TrainingEngine.create(TestSpark.context(), config, TrainingData.fromDriver(TestSpark.context(), images,
                SplitPlan.of(images.size(), config)))) {
            engine.trainEpoch(model, 1);
            result = engine.trainEpoch(model, 2);
        }
        return new Trained(result, model.params().toFloatVector());
    }
}
