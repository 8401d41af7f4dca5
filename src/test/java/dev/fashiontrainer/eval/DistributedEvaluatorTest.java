package dev.fashiontrainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.config.EngineKind;
import dev.fashiontrainer.config.LocalStepKind;
import dev.fashiontrainer.config.LossKind;
import dev.fashiontrainer.config.OptimizerKind;
import dev.fashiontrainer.config.ScalingKind;
import dev.fashiontrainer.config.ScheduleKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.config.WeightInitKind;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.NetworkFactory;

class DistributedEvaluatorTest {

    @Test
    void agreesWithASingleProcessEvaluationOfTheSameModel() {
        TrainingConfig config = new TrainingConfig(1, 64, 0.001, 3, 11, 0, WeightInitKind.PYTORCH,
                LossKind.CROSS_ENTROPY, OptimizerKind.SGD, 0.9, 0, true, false, ScalingKind.NONE, 0, ScheduleKind.CONSTANT,
                EngineKind.SPARK, LocalStepKind.AUTO, 0, 0, "test");
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
}
