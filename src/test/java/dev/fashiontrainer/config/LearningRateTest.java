package dev.fashiontrainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateTest {

    private static TrainingConfig config(int epochs, int workers, ScalingKind scaling, int warmup,
                                         ScheduleKind schedule) {
        return TrainingConfig.defaults(null).with("epochs", epochs).with("learningRate", 0.01).with("workers", workers).with("seed", 1)
                .with("init", WeightInitKind.HE).with("optimizer", OptimizerKind.NESTEROV).with("reshuffle", true)
                .with("learningRateScaling", scaling).with("warmupEpochs", warmup).with("schedule", schedule).build();
    }

    @Test
    void theSeedsRateIsConstant() {
        TrainingConfig seed = config(10, 4, ScalingKind.NONE, 0, ScheduleKind.CONSTANT);
        for (int epoch = 1; epoch <= 10; epoch++) {
            assertEquals(0.01, seed.learningRateAt(epoch), 1e-15);
        }
    }

    @Test
    void scalingWarmUpAndCosine() {
        TrainingConfig linear = config(10, 4, ScalingKind.LINEAR, 2, ScheduleKind.COSINE);
        assertEquals(0.01, linear.learningRateAt(1), 1e-15, "warm-up starts unscaled");
        assertEquals(0.025, linear.learningRateAt(2), 1e-15, "halfway to 4 x 0.01");
        assertEquals(0.04, linear.learningRateAt(3), 1e-15, "the cosine starts at the peak");
        assertEquals(0.04 * 0.5 * (1 + Math.cos(Math.PI * 7 / 8)), linear.learningRateAt(10), 1e-15);

        TrainingConfig sqrt = config(10, 4, ScalingKind.SQRT, 0, ScheduleKind.CONSTANT);
        assertEquals(0.02, sqrt.learningRateAt(5), 1e-15);
    }

    @Test
    void aRunShorterThanItsWarmUpStillReachesThePeak() {
        TrainingConfig oneEpoch = config(1, 2, ScalingKind.LINEAR, 3, ScheduleKind.CONSTANT);
        assertEquals(0.02, oneEpoch.learningRateAt(1), 1e-15);
    }
}
