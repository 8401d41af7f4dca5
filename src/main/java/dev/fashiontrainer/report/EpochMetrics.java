package dev.fashiontrainer.report;

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
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
                           double examplesPerSecond, double learningRate, int averagingRounds,
                           double evaluationSeconds, double reshuffleSeconds) {
}
