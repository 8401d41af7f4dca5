package dev.fashiontrainer.config;

import java.io.Serializable;

/**
 * Every setting that shapes the training: the hyperparameters the seed's lesson teaches (epochs, batch size,
 * learning rate) and the ones distribution adds. Immutable and serializable, so workers receive the very object the
 * driver validated. Defaults live in {@code conf/trainer.properties}; flags override them.
 *
 * @param epochs passes over the training set
 * @param batchSize examples per local SGD step
 * @param learningRate the step size before any scaling, warm-up or schedule
 * @param workers partitions of the training set, each trained by one Spark task
 * @param seed seeds initialization, the shuffle and every per-epoch order
 * @param averagingFrequency minibatches per worker between two averagings; 0 averages once per epoch
 * @param init weight initialization
 * @param loss loss function
 * @param optimizer optimizer of the local steps
 * @param momentum momentum of {@link OptimizerKind#NESTEROV}
 * @param blockMomentum momentum of the driver's step from one average to the next (0: the plain average)
 * @param shuffle shuffle the training set once before partitioning it
 * @param reshuffle re-split the training set across the workers with a new seeded shuffle every epoch
 * @param learningRateScaling how the learning rate grows with the number of workers
 * @param warmupEpochs epochs over which a scaled learning rate ramps up from the unscaled one (at most epochs - 1)
 * @param schedule how the learning rate changes after warm-up
 * @param engine which implementation trains
 * @param localStep how the Spark engine's workers compute a minibatch step
 * @param trainLimit use only the first N training examples (0: all), for quick runs
 * @param testLimit use only the first N test examples (0: all)
 * @param recipe the preset the defaults came from ({@code seed} or {@code fast})
 */
public record TrainingConfig(
        int epochs,
        int batchSize,
        double learningRate,
        int workers,
        long seed,
        int averagingFrequency,
        WeightInitKind init,
        LossKind loss,
        OptimizerKind optimizer,
        double momentum,
        double blockMomentum,
        boolean shuffle,
        boolean reshuffle,
        ScalingKind learningRateScaling,
        int warmupEpochs,
        ScheduleKind schedule,
        EngineKind engine,
        LocalStepKind localStep,
        int trainLimit,
        int testLimit,
        String recipe) implements Serializable {

    /**
     * Checks every value on its own.
     *
     * @return this
     * @throws ConfigException naming the first flag whose value is out of range
     */
    public TrainingConfig validate() {
        positive("--epochs", epochs);
        positive("--batch-size", batchSize);
        positive("--workers", workers);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ConfigException("--learning-rate must be a positive number, found " + learningRate);
        }
        if (averagingFrequency < 0) {
            throw new ConfigException("--averaging-frequency must be 0 (once per epoch) or a positive number of"
                    + " minibatches, found " + averagingFrequency);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new ConfigException("--momentum must be in [0, 1), found " + momentum);
        }
        if (!(blockMomentum >= 0 && blockMomentum < 1)) {
            throw new ConfigException("--block-momentum must be in [0, 1), found " + blockMomentum);
        }
        if (warmupEpochs < 0) {
            throw new ConfigException("--warmup-epochs must be 0 or positive, found " + warmupEpochs);
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new ConfigException("--train-limit and --test-limit must be 0 (all) or positive, found "
                    + trainLimit + " and " + testLimit);
        }
        if (engine == EngineKind.DL4J && reshuffle) {
            // DL4J's master orders the data on its own terms; refusing beats silently ignoring the flag.
            throw new ConfigException("--reshuffle is not supported by --engine dl4j; use --engine spark");
        }
        if (engine == EngineKind.DL4J && blockMomentum > 0) {
            // DL4J's master replaces the model by the plain average; it has no step of its own to add momentum to.
            throw new ConfigException("--block-momentum is not supported by --engine dl4j; use --engine spark or"
                    + " --block-momentum 0");
        }
        return this;
    }

    /**
     * @return whether the workers use the lean step: {@code lean} and {@code auto} (it covers every optimizer and
     *         loss the trainer offers), not {@code dl4j}
     */
    public boolean usesLeanStep() {
        return localStep != LocalStepKind.DL4J;
    }

    /**
     * Checks the settings against the data they will train on.
     *
     * @param trainingExamples examples in the (possibly limited) training set
     * @throws ConfigException when there are more workers than examples
     */
    public void checkAgainst(int trainingExamples) {
        if (workers > trainingExamples) {
            throw new ConfigException("--workers " + workers + " is more than the " + trainingExamples
                    + " training examples; every worker needs at least one");
        }
    }

    /**
     * The learning rate of one epoch: the base rate, scaled by the number of workers when asked, ramped up
     * linearly over the warm-up epochs, then kept constant or decayed along half a cosine.
     *
     * @param epoch 1-based epoch number
     * @return the rate the local steps of that epoch use
     */
    public double learningRateAt(int epoch) {
        double peak = learningRate * learningRateScaling.factor(workers);
        int warmup = Math.min(warmupEpochs, epochs - 1); // a short run still gets epochs at the full rate
        if (epoch <= warmup) {
            return learningRate + (peak - learningRate) * (epoch - 1) / warmup;
        }
        if (schedule == ScheduleKind.COSINE) {
            double progress = (double) (epoch - 1 - warmup) / (epochs - warmup);
            return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
        return peak;
    }

    /**
     * @param shardSize examples in a worker's shard
     * @return minibatches per averaging round for that shard
     */
    public int batchesPerRound(int shardSize) {
        int batches = (shardSize + batchSize - 1) / batchSize;
        return averagingFrequency == 0 ? batches : Math.min(averagingFrequency, batches);
    }

    private static void positive(String flag, long value) {
        if (value <= 0) {
            throw new ConfigException(flag + " must be a positive whole number, found " + value);
        }
    }
}
