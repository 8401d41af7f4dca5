package dev.fashiontrainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.model.NativeSettings;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * Adam's and Nesterov's update give the same floats in place (the Vector API over the native vectors) and over
 * heap copies, so whether a JVM has the Vector API's module changes a run's speed, never its result.
 * {@link LeanStepTest} checks the way this JVM runs (in place) against DL4J's {@code fit}.
 */
class FusedUpdateTest {
    @BeforeAll
    static void nativeSettings() {
        NativeSettings.applyToThisJvm();
    }

    @Test
    void theBuildsJvmsHaveTheVectorApi() {
        // Java 20 removed the ByteBuffer loads the in-place pass uses: from then on it runs over heap copies
        assertEquals(Runtime.version().feature() < 20, FusedUpdate.VECTOR_API, "expected the module"
                + " jdk.incubator.vector with its ByteBuffer loads in the test JVM on Java 17-19 only (conf/java17.args"
                + " adds the module), found otherwise on Java " + Runtime.version().feature());
    }

    @Test
    void adamInPlaceGivesTheHeapPassesFloatsBitForBit() {
        sameFloats(config("--optimizer", "adam", "--init", "he"));
    }

    @Test
    void nesterovInPlaceGivesTheHeapPassesFloatsBitForBit() {
        sameFloats(config("--optimizer", "nesterov", "--momentum", "0.9"));
    }

    /** Steps two copies of one network with the same gradients, one in place and one over heap copies. */
    private static void sameFloats(TrainingConfig config) {
        assumeTrue(FusedUpdate.VECTOR_API, "no update in place on Java " + Runtime.version().feature());
        MultiLayerNetwork inPlaceNetwork = NetworkFactory.create(config);
        MultiLayerNetwork heapNetwork = NetworkFactory.create(config);
        FusedUpdate inPlace = FusedUpdate.of(inPlaceNetwork, true);
        FusedUpdate heap = FusedUpdate.of(heapNetwork, false);
        ParameterSnapshot start = ParameterSnapshot.of(inPlaceNetwork);
        start.applyTo(heapNetwork);
        inPlace.load(start);
        heap.load(start);

        SplittableRandom random = new SplittableRandom(29);
        float[] gradient = new float[(int) inPlaceNetwork.numParams()];
        for (int step = 0; step < 6; step++) {
            for (int i = 0; i < gradient.length; i++) {
                // gradients of several magnitudes, some zero, as a network's are
                double magnitude = Math.pow(10, -random.nextInt(1, 7));
                gradient[i] = random.nextInt(8) == 0 ? 0f : (float) (random.nextGaussian() * magnitude);
            }
            inPlaceNetwork.getFlattenedGradients().assign(Nd4j.createFromArray(gradient));
            heapNetwork.getFlattenedGradients().assign(Nd4j.createFromArray(gradient));
            inPlace.apply(0.001, step);
            heap.apply(0.001, step);
        }
        ParameterSnapshot expected = heap.snapshot();
        ParameterSnapshot actual = inPlace.snapshot();
        assertTrue(expected.parameters().length % 16 != 0, "the parameters' count should leave a tail after the"
                + " widest vectors, so that the scalar tail is checked too");
        assertArrayEquals(expected.parameters(), actual.parameters(), "parameters after 6 steps");
        assertArrayEquals(expected.updaterState(), actual.updaterState(), "optimizer state after 6 steps");
        assertArrayEquals(heapNetwork.params().toFloatVector(), inPlaceNetwork.params().toFloatVector(),
                "the networks' own parameter vectors");
    }

    private static TrainingConfig config(String... args) {
        var commandLine = FashionTrainer.commandLine(null);
        commandLine.parseArgs(args);
        return ((TrainCommand) commandLine.getCommand()).trainingConfig();
    }
}
