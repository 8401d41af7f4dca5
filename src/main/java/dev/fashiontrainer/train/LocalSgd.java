package dev.fashiontrainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.TrainingShard;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.spark.PerThreadCache;

/**
 * The seed's {@code train_loop}, run by one worker on its shard between two averagings: for each minibatch,
 * forward, loss, zero-grad, backward and step, which a {@link LocalStep} does in one call (our lean SGD step, or
 * DL4J's {@code fit} for the other optimizers).
 * Everything it does follows from its arguments, so a task Spark retries on another executor recomputes exactly
 * what the lost one would have.
 */
public final class LocalSgd {
    /** Report the loss every this many minibatches, as the seed does. */
    public static final int REPORT_EVERY = 100;

    // Each task thread keeps its step (network and preallocated arrays) across rounds and epochs, and a notebook's
    // previous run's; an older one is closed, so its native memory goes at once.
    private static final PerThreadCache<TrainingConfig, LocalStep> STEPS = new PerThreadCache<>(2, LocalStep::close);

    private LocalSgd() {
    }

    /**
     * Trains a copy of the broadcast model on one round's minibatches of {@code shard}.
     *
     * @param shard the worker's examples
     * @param start the averaged model the round starts from
     * @param config the run's settings
     * @param epoch 1-based epoch number (seeds the order with --reorder or --reshuffle)
     * @param round 0-based averaging round within the epoch
     * @param learningRate this epoch's rate
     * @param reporter told of every minibatch as soon as it is done (the driver's live progress)
     * @return the worker's trained parameters with its example count and losses
     */
    public static WorkerUpdate train(TrainingShard shard, ParameterSnapshot start, TrainingConfig config,
                                     int epoch, int round, double learningRate, MinibatchReporter reporter) {
        int perRound = config.batchesPerRound(shard.images().size());
        return train(shard, start, config, epoch, round * perRound, (round + 1) * perRound, learningRate, reporter);
    }

    /**
     * Trains a copy of the broadcast model on the minibatches {@code firstBatch} to {@code endBatch} (exclusive,
     * cut at the shard's last) of {@code shard}: the rounds the driver plans with {@code --averaging-frequency
     * auto}.
     *
     * @param shard the worker's examples
     * @param start the averaged model the round starts from
     * @param config the run's settings
     * @param epoch 1-based epoch number (seeds the order with --reorder or --reshuffle)
     * @param firstBatch the round's first minibatch in the epoch's order
     * @param endBatch the minibatch after the round's last
     * @param learningRate this epoch's rate
     * @param reporter told of every minibatch as soon as it is done (the driver's live progress)
     * @return the worker's trained parameters with its example count and losses
     */
    public static WorkerUpdate train(TrainingShard shard, ParameterSnapshot start, TrainingConfig config,
                                     int epoch, int firstBatch, int endBatch, double learningRate,
                                     MinibatchReporter reporter) {
        LocalStep step = STEPS.get(config, LocalStep::create);
        step.reset(start, learningRate);

        // Shifts and flips are picked per position in the epoch's order, so seeding by epoch and worker suffices.
        LabeledImages images = shard.images().augmented(config.augmentation(),
                config.seed() * 1_000_003L + epoch * 10_007L + shard.index());
        int[] order = orderOf(shard, config, epoch);
        int batchSize = config.batchSize();
        int totalBatches = (images.size() + batchSize - 1) / batchSize;
        int lastBatch = Math.min(endBatch, totalBatches);
        // The step count is state too (Adam's bias correction reads it): set it from the arguments, so a network
        // reused by this thread and a fresh one on a replacement executor take the same steps.
        step.network().setIterationCount((epoch - 1) * totalBatches + firstBatch);
        step.network().setEpochCount(epoch - 1);

        List<LossSample> samples = new ArrayList<>();
        long examples = 0;
        double lossSum = 0;
        String divergence = null;
        for (int batch = firstBatch; batch < lastBatch; batch++) {
            int from = batch * batchSize;
            int size = Math.min(batchSize, images.size() - from);
            long stepStart = System.nanoTime();
            double loss = step.fit(images, order, from, size);
            reporter.minibatch(epoch, shard.index(), size, loss, (System.nanoTime() - stepStart) / 1e9);
            if (!Double.isFinite(loss)) {
                // Retrying would only diverge again: report it and let the driver stop the run.
                divergence = "worker " + (shard.index() + 1) + " saw loss " + loss + " at minibatch " + batch;
                break;
            }
            lossSum += loss * size;
            examples += size;
            if (batch % REPORT_EVERY == 0) {
                samples.add(new LossSample(shard.index(), from, images.size(), loss));
            }
        }
        return new WorkerUpdate(step.snapshot(), examples, lossSum, samples, divergence);
    }

    private static int[] orderOf(TrainingShard shard, TrainingConfig config, int epoch) {
        if (!config.reorder() && !config.reshuffle()) {
            return null;
        }
        int[] order = Partitioner.identity(shard.images().size());
        long seed = config.seed() * 1_000_003L + epoch * 10_007L + shard.index();
        Partitioner.shuffleInPlace(order, new SplittableRandom(seed));
        return order;
    }
}
