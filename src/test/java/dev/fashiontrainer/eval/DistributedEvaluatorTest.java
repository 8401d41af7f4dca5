package dev.fashiontrainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.SparkException;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.spark.LiveBroadcasts;

class DistributedEvaluatorTest {

    @Test
    void agreesWithASingleProcessEvaluationOfTheSameModel() {
        TrainingConfig config = TrainingConfig.defaults(null).with("epochs", 1).with("workers", 3).with("seed", 11).build();
        MultiLayerNetwork model = NetworkFactory.create(config);
        // a few steps so that the predictions are not uniform
        LabeledImages train = TestData.fashionMnist().train().head(640);
        float[] x = new float[640 * 784];
        float[] y = new float[640 * 10];
        train.fill(null, 0, 640, x, y);
        model.fit(new org.nd4j.linalg.dataset.DataSet(
                org.nd4j.linalg.factory.Nd4j.create(x, new long[] {640, 784}, 'c'),
                org.nd4j.linalg.factory.Nd4j.create(y, new long[] {640, 10}, 'c')));

        LabeledImages test = TestData.fashionMnist().test();
        EvaluationResult local = Evaluator.evaluate(model, test);
        EvaluationResult distributed;
        try (DistributedEvaluator evaluator = new DistributedEvaluator(TestSpark.context(),
                model.getLayerWiseConfigurations(), test, 3)) {
            distributed = evaluator.evaluate(model);
        }

        assertEquals(10000, distributed.examples());
        assertEquals(local.correct(), distributed.correct());
        assertEquals(local.averageLoss(), distributed.averageLoss(), 1e-9);
        for (int c = 0; c < 10; c++) {
            assertArrayEquals(local.confusionMatrix()[c], distributed.confusionMatrix()[c]);
        }
    }

    /** A failed evaluation job still destroys the parameters it broadcast: a notebook's context outlives it. */
    @Test
    void aFailedEvaluationDestroysItsBroadcast() throws InterruptedException {
        MultiLayerNetwork model = NetworkFactory.create(TrainingConfig.defaults(null).build());
        // a label outside 0-9 has no row in the confusion matrix: the tasks fail
        byte[] labels = new byte[100];
        labels[42] = 12;
        LabeledImages broken = new LabeledImages(new byte[100 * LabeledImages.PIXELS], labels);
        long before = LiveBroadcasts.holding(ParameterSnapshot.class);
        try (DistributedEvaluator evaluator = new DistributedEvaluator(TestSpark.context(),
                model.getLayerWiseConfigurations(), broken, 2)) {
            assertThrows(SparkException.class, () -> evaluator.evaluate(model));
        }
        // Broadcast.destroy() removes the blocks asynchronously on both Spark lines; on Spark 4, after a failed job,
        // the removal was seen to land after the first look
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (LiveBroadcasts.holding(ParameterSnapshot.class) != before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before, LiveBroadcasts.holding(ParameterSnapshot.class), "parameter broadcasts left behind");
    }
}
