package dev.fashiontrainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.model.NativeSettings;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * The lean step must compute what DL4J's {@code fit} computes, from the same parameters, optimizer state and
 * minibatches, for every optimizer and loss.
 */
class LeanStepTest {
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

    @Test
    void adamStepsMatchDl4jFit() {
        // Adam's bias correction reads the iteration count: start past zero, as a later averaging round does
        stepsMatch(config("--seed", "3", "--optimizer", "adam", "--init", "he"), 0.001, 5);
    }

    @Test
    void nesterovStepsMatchDl4jFitWithMse() {
        stepsMatch(config("--seed", "5", "--optimizer", "nesterov", "--momentum", "0.9", "--loss", "mse"),
                LEARNING_RATE, 0);
    }

    @Test
    void adamStepsMatchDl4jFitWithNll() {
        stepsMatch(config("--seed", "13", "--optimizer", "adam", "--loss", "nll"), 0.002, 0);
    }

    @Test
    void sgdStepsMatchDl4jFitWithMse() {
        stepsMatch(config("--seed", "17", "--loss", "mse"), LEARNING_RATE, 0);
    }

    /** Regression: one linear output and the mean squared error, on real-valued features and targets. */
    @Test
    void aLinearOutputWithSquaredErrorMatchesDl4jFit() {
        SplittableRandom random = new SplittableRandom(41);
        int rows = 64 * 3 + 37;
        float[] features = new float[rows * 20];
        float[] targets = new float[rows];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble(-2, 2);
        }
        for (int r = 0; r < rows; r++) {
            targets[r] = features[r * 20] * features[r * 20 + 1] + (float) random.nextDouble(-0.1, 0.1);
        }
        TrainingConfig config = config("--seed", "43", "--layers", "20,32,16,1", "--optimizer", "adam").toBuilder()
                .with("task", dev.fashiontrainer.config.TaskKind.REGRESSION).build();
        stepsMatch(() -> NetworkFactory.create(config), LabeledImages.ofTargets(20, features, targets), 0.003, 0);
    }

    /** Other layer lists and MLlib's sigmoid, or tanh: the lean step's backward pass for each nonlinearity. */
    @Test
    void otherWidthsAndNonlinearitiesMatchDl4jFit() {
        stepsMatch(config("--seed", "29", "--hidden-layers", "64,32,16", "--activation", "sigmoid"), 0.5, 0);
        stepsMatch(config("--seed", "31", "--hidden-layers", "48", "--activation", "tanh", "--optimizer", "adam"),
                0.002, 0);
        stepsMatch(config("--seed", "37", "--hidden-layers", "none"), LEARNING_RATE, 0);
    }

    @Test
    void adamWithOtherSettingsMatchesDl4jFit() {
        // an epsilon near sqrt(v) shows where it is added; other betas show they are read from the network
        TrainingConfig config = config("--seed", "23", "--optimizer", "adam");
        stepsMatch(() -> {
            MultiLayerConfiguration layers = NetworkFactory.configuration(config);
            for (int l = 0; l < layers.getConfs().size(); l++) {
                ((BaseLayer) layers.getConf(l).getLayer()).setIUpdater(new Adam(0.001, 0.8, 0.99, 1e-3));
            }
            MultiLayerNetwork network = new MultiLayerNetwork(layers);
            network.init();
            network.setParams(NetworkFactory.create(config).params());
            return network;
        }, 0.001, 2);
    }

    private static void stepsMatch(TrainingConfig config) {
        stepsMatch(config, LEARNING_RATE, 0);
    }

    private static void stepsMatch(TrainingConfig config, double learningRate, int firstIteration) {
        stepsMatch(() -> NetworkFactory.create(config), learningRate, firstIteration);
    }

    /**
     * Takes the same minibatches with both steps from one start (a state already moved away from zero, so that
     * momentum and moments matter) and compares losses, parameters, updates and optimizer state after each.
     */
    private static void stepsMatch(Supplier<MultiLayerNetwork> networks, double learningRate, int firstIteration) {
        stepsMatch(networks, randomImages(64 * 3 + 37, 3), learningRate, firstIteration);
    }

    private static void stepsMatch(Supplier<MultiLayerNetwork> networks, LabeledImages images, double learningRate,
                                   int firstIteration) {
        int[] order = Partitioner.identity(images.size());
        Partitioner.shuffleInPlace(order, new SplittableRandom(5));
        LocalStep reference = new Dl4jFitStep(networks.get());
        LocalStep lean = new LeanStep(networks.get());
        ParameterSnapshot start = withState(ParameterSnapshot.of(reference.network()));
        reference.reset(start, learningRate);
        lean.reset(start, learningRate);
        reference.network().setIterationCount(firstIteration);
        lean.network().setIterationCount(firstIteration);

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
            float[] expectedState = reference.snapshot().updaterState();
            assertEquals(expectedState.length, lean.snapshot().updaterState().length, "optimizer state's length");
            if (expectedState.length > 0) {
                assertClose(expectedState, lean.snapshot().updaterState(), 1e-4,
                        "optimizer state after the minibatch at " + from);
            }
            assertEquals(reference.network().getIterationCount(), lean.network().getIterationCount(),
                    "iteration count after the minibatch at " + from);
            before = expected;
        }
    }

    @Test
    void autoPicksTheLeanStepForEveryOptimizerAndLoss() {
        assertInstanceOf(LeanStep.class, LocalStep.create(config()));
        assertInstanceOf(LeanStep.class, LocalStep.create(config("--recipe", "fast")));
        assertInstanceOf(LeanStep.class, LocalStep.create(config("--optimizer", "nesterov", "--loss", "mse")));
        assertInstanceOf(Dl4jFitStep.class, LocalStep.create(config("--optimizer", "adam", "--local-step", "dl4j")));
    }

    /**
     * A step keeps the arrays of two minibatch sizes (the full one and the shard's last): an executor thread that
     * trains runs of other sizes frees the older ones at once instead of keeping one set per size it ever saw.
     */
    @Test
    void keepsTheArraysOfTwoMinibatchSizesAndFreesTheOthers() {
        LeanForward forward = new LeanForward(NetworkFactory.create(config()));
        LeanForward.Activations full = forward.arrays(64);
        LeanForward.Activations last = forward.arrays(37);
        assertSame(full, forward.arrays(64), "the full size's arrays are reused");

        LeanForward.Activations other = forward.arrays(20); // another shard's last minibatch: 37 is the older
        assertTrue(last.layer[1].wasClosed() && last.batch.features().wasClosed(), "the evicted size is freed");
        assertFalse(full.layer[1].wasClosed() || other.layer[1].wasClosed());
        assertSame(full, forward.arrays(64));

        forward.close();
        assertTrue(full.layer[1].wasClosed() && other.delta[1].wasClosed());
    }

    /** Closing a step, as a thread's cache does when it drops it, frees its network's native memory. */
    @Test
    void closingAStepFreesItsNetwork() {
        for (TrainingConfig config : new TrainingConfig[] {config("--optimizer", "adam"),
                config("--optimizer", "adam", "--local-step", "dl4j")}) {
            LocalStep step = LocalStep.create(config);
            LabeledImages images = randomImages(40, 5);
            step.fit(images, null, 0, 32);
            step.fit(images, null, 32, 8);
            step.close();
            assertTrue(step.network().params().wasClosed(), step.getClass().getSimpleName() + "'s parameters");
            assertTrue(step.network().getUpdater(false).getStateViewArray().wasClosed(),
                    step.getClass().getSimpleName() + "'s Adam state");
        }
    }

    /** The snapshot with its optimizer state set to small seeded values, as after some steps. */
    private static ParameterSnapshot withState(ParameterSnapshot snapshot) {
        float[] state = snapshot.updaterState().clone();
        SplittableRandom random = new SplittableRandom(19);
        int half = state.length / 2;
        for (int i = 0; i < state.length; i++) {
            // Adam's second moments (its state's second half) must not be negative
            state[i] = (float) (i < half ? random.nextDouble(-1e-3, 1e-3) : random.nextDouble(0, 1e-6));
        }
        return new ParameterSnapshot(snapshot.parameters(), state);
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
