package dev.fashiontrainer.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.SplitPlan;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.spark.ScalaCollections;
import dev.fashiontrainer.train.EpochResult;
import dev.fashiontrainer.train.TrainingEngine;

/**
 * Live progress through Spark's own channel, in local mode with the trainer's heartbeat interval: news of
 * minibatches must reach the driver while the tasks still run, not with their results.
 */
class LiveProgressTest {

    @Test
    void progressOfRunningTasksReachesTheDriverBeforeTheirTasksEnd() throws InterruptedException {
        // The training set twice: 60,000 examples per worker, an epoch of several seconds (a few heartbeats)
        LabeledImages full = TestData.fashionMnist().train();
        LabeledImages twice = LabeledImages.concat(List.of(full, full));
        TrainingConfig config = TrainingConfig.defaults(null).with("epochs", 1).with("workers", 2).build();
        JavaSparkContext spark = TestSpark.context();

        List<EpochProgress> heard = Collections.synchronizedList(new ArrayList<>());
        List<Long> trainingTaskEnds = Collections.synchronizedList(new ArrayList<>());
        EpochResult trained;
        List<Double> stepSeconds;
        double epochSeconds;
        try (LiveProgress progress = new LiveProgress(spark.sc(), "live-progress-test", 1, heard::add);
             TrainingEngine engine = TrainingEngine.create(spark, config,
                     TrainingData.fromDriver(spark, twice, SplitPlan.of(twice.size(), config)), progress)) {
            SparkListener taskEnds = new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    boolean training = ScalaCollections.asList(end.taskInfo().accumulables())
                            .stream().anyMatch(info -> LiveProgress.ACCUMULATOR_NAME.equals(info.name().getOrElse(() -> "")));
                    if (training) {
                        trainingTaskEnds.add(end.taskInfo().finishTime());
                    }
                }
            };
            spark.sc().addSparkListener(taskEnds);
            try {
                long start = System.nanoTime();
                trained = engine.trainEpoch(NetworkFactory.create(config), 1);
                epochSeconds = (System.nanoTime() - start) / 1e9;
                stepSeconds = progress.stepSeconds(1);
                awaitListeners(() -> trainingTaskEnds.size() == 2 && !heard.isEmpty()
                        && heard.get(heard.size() - 1).examples() == twice.size());
            } finally {
                spark.sc().removeSparkListener(taskEnds);
            }
        }

        long firstTaskEnd = trainingTaskEnds.stream().mapToLong(Long::longValue).min().orElseThrow();
        List<EpochProgress> beforeAnyTaskEnded = heard.stream()
                .filter(p -> p.fromRunningTask() && p.receivedAtMillis() < firstTaskEnd && p.examples() > 0)
                .toList();
        String story = "epoch " + String.format("%.1f", epochSeconds) + " s; first task end at " + firstTaskEnd
                + "; heard " + heard.stream().map(p -> p.receivedAtMillis() + (p.fromRunningTask() ? " running " : " end ")
                + p.examples()).toList();
        assertFalse(beforeAnyTaskEnded.isEmpty(), "no progress from running tasks before a task ended: " + story);
        assertTrue(beforeAnyTaskEnded.get(0).examples() < twice.size(), story);
        assertTrue(beforeAnyTaskEnded.stream().allMatch(p -> Double.isFinite(p.meanLoss())), story);

        // The last news is the whole epoch, and agrees with what the workers sent back with their results.
        EpochProgress last = heard.get(heard.size() - 1);
        assertEquals(twice.size(), last.examples(), story);
        assertEquals(trained.trainLoss(), last.meanLoss(), 1e-9);
        assertEquals(2, last.workers().size());
        assertEquals(List.of(938L, 938L), // 60,000 examples in minibatches of 64
                last.workers().stream().map(WorkerProgress::minibatches).toList());

        // Each worker's step seconds are known once the job has returned, and fit inside the epoch.
        assertEquals(2, stepSeconds.size());
        assertTrue(stepSeconds.stream().allMatch(s -> s > 0 && s < epochSeconds), stepSeconds + " in " + epochSeconds);
    }

    // Spark's listener bus delivers events on a thread of its own, after the job has returned.
    private static void awaitListeners(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
