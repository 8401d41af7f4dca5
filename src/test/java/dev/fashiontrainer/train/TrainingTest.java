package dev.fashiontrainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.config.EngineKind;
import dev.fashiontrainer.config.LossKind;
import dev.fashiontrainer.config.OptimizerKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.config.WeightInitKind;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.SplitPlan;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.data.TrainingShard;
import dev.fashiontrainer.eval.Evaluator;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;

/** Training on real Fashion-MNIST subsets in local mode with two workers. */
class TrainingTest {
    private static LabeledImages train;
    private static LabeledImages test;

    @BeforeAll
    static void data() {
        train = TestData.fashionMnist().train().head(6000);
        test = TestData.fashionMnist().test().head(2000);
    }

    static TrainingConfig config(EngineKind engine, int workers, int averagingFrequency, OptimizerKind optimizer,
                                 double learningRate) {
        return TrainingConfig.defaults(null).with("epochs", 2).with("batchSize", 32).with("learningRate", learningRate).with("workers", workers)
                .with("seed", 7).with("averagingFrequency", averagingFrequency).with("init", WeightInitKind.HE).with("optimizer", optimizer)
                .with("engine", engine).build();
    }

    private static MultiLayerNetwork train(TrainingConfig config, LabeledImages data, int epochs,
                                           List<EpochResult> results) {
        return train(config, data, epochs, results, new java.util.ArrayList<>());
    }

    /** Also collects each epoch's data report (where its training data came from). */
    private static MultiLayerNetwork train(TrainingConfig config, LabeledImages data, int epochs,
                                           List<EpochResult> results, List<String> dataReports) {
        MultiLayerNetwork model = NetworkFactory.create(config);
        try (TrainingEngine engine = TrainingEngine.create(TestSpark.context(), config, TrainingData.fromDriver(TestSpark.context(), data,
                SplitPlan.of(data.size(), config)))) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                results.add(engine.trainEpoch(model, epoch));
                engine.dataReport(epoch).ifPresent(dataReports::add);
            }
        }
        return model;
    }

    @Test
    void twoWorkersLearnFarBetterThanChance() {
        List<EpochResult> results = new java.util.ArrayList<>();
        MultiLayerNetwork model = train(config(EngineKind.SPARK, 2, 0, OptimizerKind.SGD, 0.05), train, 2, results);

        double accuracy = Evaluator.evaluate(model, test).accuracy();
        assertTrue(accuracy > 0.70, "accuracy " + accuracy + " after 2 epochs on 6000 examples (chance: 0.10)");
        assertTrue(results.get(1).trainLoss() < results.get(0).trainLoss(), "training loss fell");
        assertEquals(6000, results.get(0).examples());
    }

    @Test
    void averagingHappensOncePerEpochByDefaultAndEveryKMinibatchesWhenAsked() {
        List<EpochResult> perEpoch = new java.util.ArrayList<>();
        train(config(EngineKind.SPARK, 2, 0, OptimizerKind.SGD, 0.05), train.head(2000), 1, perEpoch);
        assertEquals(1, perEpoch.get(0).averagingRounds());

        // 1000 examples per worker in minibatches of 32: 32 minibatches, averaged every 10: 4 rounds
        List<EpochResult> everyTen = new java.util.ArrayList<>();
        train(config(EngineKind.SPARK, 2, 10, OptimizerKind.SGD, 0.05), train.head(2000), 1, everyTen);
        assertEquals(4, everyTen.get(0).averagingRounds());
        assertEquals(2000, everyTen.get(0).examples());
    }

    @Test
    void theDriversParametersAreTheExampleWeightedMeanOfTheWorkers() {
        // three workers with unequal shards (334, 333, 333) and Nesterov momentum, so updater state is averaged too
        TrainingConfig config = config(EngineKind.SPARK, 3, 0, OptimizerKind.NESTEROV, 0.01);
        LabeledImages data = train.head(1000);
        MultiLayerNetwork model = train(config, data, 1, new java.util.ArrayList<>());
        ParameterSnapshot averaged = ParameterSnapshot.of(model);

        // the same round computed by hand, worker by worker, outside Spark
        ParameterSnapshot start = ParameterSnapshot.of(NetworkFactory.create(config));
        List<TrainingShard> shards = Partitioner.split(data, 3, config.shuffle(), config.seed());
        double[] sum = new double[averaged.parameters().length];
        double[] stateSum = new double[averaged.updaterState().length];
        for (TrainingShard shard : shards) {
            WorkerUpdate alone = LocalSgd.train(shard, start, config, 1, 0, config.learningRateAt(1),
                    MinibatchReporter.NONE);
            ParameterSnapshot worker = alone.average();
            int n = shard.images().size();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (double) n * worker.parameters()[i];
            }
            for (int i = 0; i < stateSum.length; i++) {
                stateSum[i] += (double) n * worker.updaterState()[i];
            }
        }
        assertTrue(stateSum.length > 0, "Nesterov has a velocity to average");
        assertArrayEquals(toFloats(sum, data.size()), averaged.parameters(), 1e-6f);
        assertArrayEquals(toFloats(stateSum, data.size()), averaged.updaterState(), 1e-6f);
    }

    @ParameterizedTest
    @CsvSource({"CROSS_ENTROPY, SGD, 0.05", "NLL, SGD, 0.05", "MSE, SGD, 0.5", "CROSS_ENTROPY, ADAM, 0.001"})
    void everyLossAndOptimizerOfTheLessonLearns(LossKind loss, OptimizerKind optimizer, double learningRate) {
        TrainingConfig config = variant(config(EngineKind.SPARK, 2, 0, optimizer, learningRate), loss, false, 0);
        List<EpochResult> results = new java.util.ArrayList<>();
        MultiLayerNetwork model = train(config, train.head(3000), 2, results);

        double accuracy = Evaluator.evaluate(model, test).accuracy();
        assertTrue(results.get(1).trainLoss() < results.get(0).trainLoss(), loss + " loss fell: " + results);
        assertTrue(accuracy > 0.5, loss + "/" + optimizer + " accuracy " + accuracy);
    }

    @Test
    void reshufflingAcrossWorkersTrainsAndRepeatsItself() {
        TrainingConfig reshuffle = variant(config(EngineKind.SPARK, 3, 0, OptimizerKind.SGD, 0.05),
                LossKind.CROSS_ENTROPY, true, 0);
        List<EpochResult> first = new java.util.ArrayList<>();
        MultiLayerNetwork a = train(reshuffle, train.head(3000), 3, first);
        MultiLayerNetwork b = train(reshuffle, train.head(3000), 3, new java.util.ArrayList<>());

        assertEquals(3000, first.get(2).examples(), "every example once per epoch");
        assertArrayEquals(ParameterSnapshot.of(a).parameters(), ParameterSnapshot.of(b).parameters());
        assertTrue(Evaluator.evaluate(a, test).accuracy() > 0.6);
    }

    @Test
    void reorderingVisitsEachShardInANewOrderEveryEpochWithoutMovingItAndRepeatsItself() {
        TrainingConfig fixedOrder = config(EngineKind.SPARK, 2, 0, OptimizerKind.SGD, 0.05);
        TrainingConfig reorder = fixedOrder.toBuilder().with("reorder", true).build();
        LabeledImages data = train.head(3000);
        List<String> reports = new java.util.ArrayList<>();
        List<EpochResult> results = new java.util.ArrayList<>();
        MultiLayerNetwork model = train(reorder, data, 3, results, reports);
        MultiLayerNetwork again = train(reorder, data, 3, new java.util.ArrayList<>());
        MultiLayerNetwork inStoredOrder = train(fixedOrder, data, 3, new java.util.ArrayList<>());

        assertEquals(3000, results.get(2).examples(), "every example once per epoch");
        assertTrue(reports.get(2).startsWith("Data: epoch 3 built 0 training shard(s) (all from executor memory)"),
                "the shards stay where they are: " + reports.get(2));
        assertArrayEquals(ParameterSnapshot.of(model).parameters(), ParameterSnapshot.of(again).parameters(),
                "the order is seeded");
        assertFalse(Arrays.equals(ParameterSnapshot.of(model).parameters(),
                ParameterSnapshot.of(inStoredOrder).parameters()), "another order, another model");
        double accuracy = Evaluator.evaluate(model, test).accuracy();
        assertTrue(accuracy > 0.6, "accuracy " + accuracy + "; in the stored order "
                + Evaluator.evaluate(inStoredOrder, test).accuracy());
    }

    @Test
    void augmentedMinibatchesTrainAndRepeatThemselvesWithBothLocalSteps() {
        for (OptimizerKind optimizer : List.of(OptimizerKind.SGD, OptimizerKind.ADAM)) {
            TrainingConfig plain = config(EngineKind.SPARK, 2, 0, optimizer,
                    optimizer == OptimizerKind.SGD ? 0.05 : 0.001);
            TrainingConfig augmented = plain.toBuilder().with("shiftPixels", 2).with("flip", true).with("labelSmoothing", 0.1).build();
            LabeledImages data = train.head(2000);
            MultiLayerNetwork a = train(augmented, data, 2, new java.util.ArrayList<>());
            MultiLayerNetwork b = train(augmented, data, 2, new java.util.ArrayList<>());
            MultiLayerNetwork unaugmented = train(plain, data, 2, new java.util.ArrayList<>());

            assertArrayEquals(ParameterSnapshot.of(a).parameters(), ParameterSnapshot.of(b).parameters(),
                    optimizer + ": seeded augmentation, the same training");
            assertFalse(java.util.Arrays.equals(ParameterSnapshot.of(a).parameters(),
                    ParameterSnapshot.of(unaugmented).parameters()), optimizer + ": the augmentation changed it");
            // shifted, mirrored images with soft targets are a harder task than the plain ones: 4x chance in 2 epochs
            double accuracy = Evaluator.evaluate(a, test).accuracy();
            assertTrue(accuracy > 0.4, optimizer + " learns from augmented data: " + accuracy);
        }
    }

    @Test
    void blockMomentumMovesTheModelAndAResumedRunContinuesFromItsCarriedStateExactly() {
        TrainingConfig plain = config(EngineKind.SPARK, 2, 0, OptimizerKind.SGD, 0.05);
        TrainingConfig config = variant(plain, LossKind.CROSS_ENTROPY, false, 0.5);
        LabeledImages data = train.head(2000);
        MultiLayerNetwork uninterrupted = train(config, data, 2, new java.util.ArrayList<>());

        // stopped after epoch 1: a new engine and a new model get the checkpoint's parameters and carried state
        MultiLayerNetwork beforeStop = NetworkFactory.create(config);
        float[] carried;
        try (TrainingEngine engine = TrainingEngine.create(TestSpark.context(), config, TrainingData.fromDriver(TestSpark.context(), data,
                SplitPlan.of(data.size(), config)))) {
            engine.trainEpoch(beforeStop, 1);
            carried = engine.carriedState();
        }
        MultiLayerNetwork resumed = NetworkFactory.create(config);
        ParameterSnapshot.of(beforeStop).applyTo(resumed);
        try (TrainingEngine engine = TrainingEngine.create(TestSpark.context(), config, TrainingData.fromDriver(TestSpark.context(), data,
                SplitPlan.of(data.size(), config)))) {
            engine.restoreCarriedState(carried);
            engine.trainEpoch(resumed, 2);
        }

        assertEquals(ParameterSnapshot.of(uninterrupted).parameters().length, carried.length);
        assertArrayEquals(ParameterSnapshot.of(uninterrupted).parameters(), ParameterSnapshot.of(resumed).parameters());
        MultiLayerNetwork averagedOnly = train(plain, data, 2, new java.util.ArrayList<>());
        assertFalse(java.util.Arrays.equals(ParameterSnapshot.of(averagedOnly).parameters(),
                ParameterSnapshot.of(uninterrupted).parameters()), "the momentum changed the second round");
        assertTrue(Evaluator.evaluate(uninterrupted, test).accuracy() > 0.6);
    }

    @Test
    void bothEnginesReachTheSameAccuracy() {
        assumeTrue(EngineKind.DL4J.available(), "DL4J's engine is in the Spark 3.5 build only");
        MultiLayerNetwork ours = train(config(EngineKind.SPARK, 2, 0, OptimizerKind.SGD, 0.05), train, 2,
                new java.util.ArrayList<>());
        MultiLayerNetwork dl4j = train(config(EngineKind.DL4J, 2, 0, OptimizerKind.SGD, 0.05), train, 2,
                new java.util.ArrayList<>());
        double a = Evaluator.evaluate(ours, test).accuracy();
        double b = Evaluator.evaluate(dl4j, test).accuracy();
        assertTrue(Math.abs(a - b) < 0.03, "spark engine " + a + " vs dl4j engine " + b);
    }

    /** {@code base} with another loss, reshuffling and block momentum. */
    private static TrainingConfig variant(TrainingConfig base, LossKind loss, boolean reshuffle, double blockMomentum) {
        return base.toBuilder().with("loss", loss).with("reshuffle", reshuffle).with("blockMomentum", blockMomentum).build();
    }

    private static float[] toFloats(double[] sums, int total) {
        float[] out = new float[sums.length];
        for (int i = 0; i < sums.length; i++) {
            out[i] = (float) (sums[i] / total);
        }
        return out;
    }
}
