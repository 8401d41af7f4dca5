package dev.fashiontrainer.train;

import java.io.Serializable;

/**
 * Told by a worker after each of its minibatches, while its task runs. Serializable because the task's closure
 * carries it to the executor.
 */
@FunctionalInterface
public interface MinibatchReporter extends Serializable {
    /** Reports nothing. */
    MinibatchReporter NONE = (epoch, worker, examples, loss, seconds) -> { };

    /**
     * @param epoch 1-based epoch number
     * @param worker the worker's number, 0-based
     * @param examples examples in the minibatch
     * @param loss the minibatch's mean loss before its step
     * @param seconds how long the step took
     */
    void minibatch(int epoch, int worker, int examples, double loss, double seconds);
}
