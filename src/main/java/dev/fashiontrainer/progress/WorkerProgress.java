package dev.fashiontrainer.progress;

import java.io.Serializable;

/**
 * What one worker has done in one epoch: minibatches, examples, their summed loss and the seconds its local steps
 * took. Immutable, so a heartbeat can read it while the task goes on training.
 *
 * @param epoch 1-based epoch number
 * @param worker the worker's number, 0-based
 * @param minibatches minibatches trained
 * @param examples examples trained
 * @param lossSum sum over the minibatches of mean loss times size
 * @param stepSeconds seconds spent in the local steps (forward, backward, update)
 */
public record WorkerProgress(int epoch, int worker, long minibatches, long examples, double lossSum,
                             double stepSeconds) implements Serializable {

    /** @return whether both describe the same worker in the same epoch, so that they add up */
    boolean sameSlot(WorkerProgress other) {
        return epoch == other.epoch && worker == other.worker;
    }

    /** @return this and {@code other} (same epoch and worker) together */
    WorkerProgress plus(WorkerProgress other) {
        return new WorkerProgress(epoch, worker, minibatches + other.minibatches, examples + other.examples,
                lossSum + other.lossSum, stepSeconds + other.stepSeconds);
    }

    /** @return mean loss per example so far, NaN before the first minibatch */
    public double meanLoss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    // what Spark's UI shows for the accumulator, per task and per stage
    @Override
    public String toString() {
        return String.format("epoch %d worker %d: %d minibatches, %d examples, loss %.4f, %.2f s", epoch,
                worker + 1, minibatches, examples, meanLoss(), stepSeconds);
    }
}
