package dev.fashiontrainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.model.NativeSettings;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;

/** The lean SGD step must compute what DL4J's {@code fit} computes, from the same parameters and minibatches. */
class LeanSgdStepTest {
    private static final double LEARNING_RATE = 0.05; // larger than the seed's, so that the updates are visible

    @BeforeAll
    static void nativeSettings() {
        NativeSettings.applyToThisJvm();
    }

    @Test
    void stepsMatchDl4jFit() {
        stepsMatch(config("--seed", "7"));
    }

    @Test
    void stepsMatchDl4jFitWithNllAndHeInitialization() {
        stepsMatch(config("--seed", "11", "--loss", "nll", "--init", "he"));
    }

    private static void stepsMatch(TrainingConfig config) {
        LabeledImages images = randomImages(64 * 3 + 37, 3);
        int[] order = Partitioner.identity(images.size());
        Partitioner.shuffleInPlace(order, new SplittableRandom(5));
        LocalStep reference = new Dl4jFitStep(NetworkFactory.create(config));
        LocalStep lean = new LeanSgdStep(NetworkFactory.create(config));
        ParameterSnapshot start = ParameterSnapshot.of(reference.network());
        reference.reset(start, LEARNING_RATE);
        lean.reset(start, LEARNING_RATE);

        float[] before = start.parameters();
        // three full minibatches, then the short last one
        for (int from = 0; from < images.size(); from += 64) {
            int size = Math.min(64, images.size() - from);
            double expectedLoss = reference.fit(images, order, from, size);
            double loss = lean.fit(images, order, from, size);
            assertEquals(expectedLoss, loss, 1e-5 * expectedLoss, "loss of the minibatch at " + from);

            float[] expected = reference.snapshot().parameters();
            float[] actual = lean.snapshot().parameters();
            assertClose(expected, actual, 1e-5, "parameters after the minibatch at " + from);
            assertClose(difference(expected, before), difference(actual, before), 1e-3,
                    "update of the minibatch at " + from);
            before = expected;
        }
    }

    @Test
    void autoPicksTheLeanStepForPlainSgdOnly() {
        assertTrue(config().usesLeanStep());
        assertTrue(config("--loss", "nll").usesLeanStep());
        assertTrue(!config("--optimizer", "nesterov").usesLeanStep());
        assertTrue(!config("--loss", "mse").usesLeanStep());
        assertTrue(!config("--local-step", "dl4j").usesLeanStep());
        assertInstanceOf(Dl4jFitStep.class, LocalStep.create(config("--optimizer", "adam")));
        assertInstanceOf(LeanSgdStep.class, LocalStep.create(config()));
    }

    @Test
    void leanStepRefusesOtherOptimizers() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config("--local-step", "lean", "--optimizer", "nesterov"));
        assertTrue(e.getMessage().contains("found --optimizer nesterov"), e.getMessage());
    }

    private static TrainingConfig config(String... args) {
        var commandLine = FashionTrainer.commandLine(null);
        commandLine.parseArgs(args);
        return ((TrainCommand) commandLine.getCommand()).trainingConfig();
    }

    private static LabeledImages randomImages(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[count * LabeledImages.PIXELS];
        byte[] labels = new byte[count];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) random.nextInt(LabeledImages.CLASSES);
        }
        return new LabeledImages(pixels, labels);
    }

    private static float[] difference(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** Relative difference in the Euclidean norm, and no single element off by more than the tolerance. */
    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        double diff = 0;
        double norm = 0;
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        for (int i = 0; i < expected.length; i++) {
            double d = actual[i] - expected[i];
            diff += d * d;
            norm += (double) expected[i] * expected[i];
            worst = Math.max(worst, Math.abs(d) / scale);
        }
        double relative = Math.sqrt(diff / norm);
        assertTrue(relative <= tolerance && worst <= 10 * tolerance, what + ": expected a relative difference of at"
                + " most " + tolerance + ", found " + relative + " (largest element difference " + worst
                + " of the largest value)");
    }
}
