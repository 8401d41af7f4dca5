package dev.fashiontrainer.report;

import java.util.List;
import java.util.Optional;

/**
 * One line of {@code metrics.json}: what an epoch produced. Field names are written in snake case
 * ({@code train_loss}, {@code test_accuracy}) for the notebooks and other tools that read them.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's minibatches
 * @param testLoss mean loss per test example
 * @param testAccuracy fraction of test examples classified correctly, 0 to 1
 * @param seconds wall time of the epoch's training and evaluation
 * @param examplesPerSecond training examples per second of training time
 * @param learningRate the rate the epoch's local steps used
 * @param averagingRounds how many times parameters were averaged in the epoch
 * @param evaluationSeconds of {@code seconds}, the test evaluation's wall time
 * @param reshuffleSeconds of {@code seconds}, re-splitting the training set and shipping it ({@code --reshuffle})
 * @param workerStepSeconds each worker's seconds of local steps in the epoch, by worker (a straggler stands out);
 *     empty when the engine does not report them (DL4J's), null in checkpoints written before they were recorded
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
                           double examplesPerSecond, double learningRate, int averagingRounds,
                           double evaluationSeconds, double reshuffleSeconds, List<Double> workerStepSeconds) {
    /** A worker is named as the slowest when its local steps took this many times the median worker's. */
    public static final double STRAGGLER_RATIO = 1.5;

    /**
     * @return the 0-based number of the worker whose local steps took at least {@link #STRAGGLER_RATIO} times the
     *     median, or empty when none did
     */
    public Optional<Integer> straggler() {
        if (workerStepSeconds == null || workerStepSeconds.size() < 2) {
            return Optional.empty();
        }
        int slowest = 0;
        for (int w = 1; w < workerStepSeconds.size(); w++) {
            if (workerStepSeconds.get(w) > workerStepSeconds.get(slowest)) {
                slowest = w;
            }
        }
        return workerStepSeconds.get(slowest) >= STRAGGLER_RATIO * medianStepSeconds()
                ? Optional.of(slowest) : Optional.empty();
    }

    /** @return the median of {@link #workerStepSeconds()} (the mean of the middle two for an even count) */
    public double medianStepSeconds() {
        double[] sorted = workerStepSeconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
