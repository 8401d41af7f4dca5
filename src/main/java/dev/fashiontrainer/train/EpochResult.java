package dev.fashiontrainer.train;

import java.util.List;

/**
 * What one epoch of training reports to the driver.
 *
 * @param trainLoss mean training loss over the epoch's minibatches, weighted by their size
 * @param examples examples trained on, all workers together
 * @param averagingRounds how many times the workers' parameters were averaged
 * @param samples the per-100-minibatch losses the workers reported (empty when the engine reports none)
 * @param reshuffleSeconds of the epoch's time, what re-splitting the training set and shipping the new shards to
 *                         the executors took (0 when the epoch kept the shards it had)
 */
public record EpochResult(double trainLoss, long examples, int averagingRounds, List<LossSample> samples,
                          double reshuffleSeconds) {
}
