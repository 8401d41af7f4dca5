package dev.fashiontrainer.train;

import java.io.Serializable;

/**
 * One minibatch loss a worker reports, every 100 minibatches as the seed's {@code train_loop} prints it.
 *
 * @param worker the worker's number, 0-based
 * @param seen examples the worker had trained on before this minibatch, in this epoch
 * @param shardSize examples in the worker's shard
 * @param loss the minibatch's mean loss before its step
 */
public record LossSample(int worker, int seen, int shardSize, double loss) implements Serializable {
}
