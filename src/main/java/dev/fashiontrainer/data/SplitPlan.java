package dev.fashiontrainer.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

import dev.fashiontrainer.config.TrainingConfig;

/**
 * Which example goes to which worker, and where in that worker's shard: a seeded shuffle of the example numbers
 * (optional), then contiguous slices whose sizes differ by at most one. The plan is a handful of numbers; the
 * order it stands for is computed where it is needed (on every executor that routes examples), the same on every
 * JVM, so the driver never holds the examples nor their order.
 */
public final class SplitPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int examples;
    private final int workers;
    private final boolean shuffle;
    private final long seed;
    // The order and every example's position in it: computed once per JVM that routes examples.
    private transient int[] order;
    private transient int[] positions;

    /**
     * @param examples size of the data set
     * @param workers number of shards, at least 1 and at most {@code examples}
     * @param shuffle shuffle before splitting (a seeded Fisher-Yates)
     * @param seed shuffle seed
     */
    public SplitPlan(int examples, int workers, boolean shuffle, long seed) {
        if (workers < 1 || workers > examples) {
            throw new IllegalArgumentException("expected 1 to " + examples + " workers, found " + workers);
        }
        this.examples = examples;
        this.workers = workers;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /** @return the split a run with {@code config} makes of {@code examples} examples before its first epoch */
    public static SplitPlan of(int examples, TrainingConfig config) {
        return new SplitPlan(examples, config.workers(), config.shuffle(), config.seed());
    }

    /** @return the same examples and workers, split anew with {@code newSeed} (always shuffled) */
    public SplitPlan reshuffled(long newSeed) {
        return new SplitPlan(examples, workers, true, newSeed);
    }

    /** @return size of the data set */
    public int examples() {
        return examples;
    }

    /** @return number of shards */
    public int workers() {
        return workers;
    }

    /** @return the examples of shard {@code worker} */
    public int shardSize(int worker) {
        return examples / workers + (worker < examples % workers ? 1 : 0);
    }

    /** @return the size of the largest shard (the first) */
    public int largestShard() {
        return shardSize(0);
    }

    /** @return the example numbers in split order: shard 0's examples, then shard 1's, and so on */
    public int[] order() {
        return cachedOrder().clone();
    }

    /** @return the shard that example {@code id} belongs to */
    public int workerOf(int id) {
        return workerAt(positions()[id]);
    }

    /** @return where example {@code id} goes within its shard */
    public int indexInShard(int id) {
        int position = positions()[id];
        return position - shardStart(workerAt(position));
    }

    /** @return the example numbers of shard {@code worker}, in shard order */
    public int[] examplesOf(int worker) {
        int from = shardStart(worker);
        return Arrays.copyOfRange(cachedOrder(), from, from + shardSize(worker));
    }

    private int workerAt(int position) {
        int base = examples / workers;
        int bigger = examples % workers;
        int inBigger = bigger * (base + 1);
        return position < inBigger ? position / (base + 1) : bigger + (position - inBigger) / base;
    }

    private int shardStart(int worker) {
        int base = examples / workers;
        return worker * base + Math.min(worker, examples % workers);
    }

    private synchronized int[] cachedOrder() {
        if (order == null) {
            int[] shuffled = Partitioner.identity(examples);
            if (shuffle) {
                Partitioner.shuffleInPlace(shuffled, new SplittableRandom(seed));
            }
            order = shuffled;
        }
        return order;
    }

    private synchronized int[] positions() {
        if (positions == null) {
            int[] inverse = new int[examples];
            int[] shuffled = cachedOrder();
            for (int p = 0; p < examples; p++) {
                inverse[shuffled[p]] = p;
            }
            positions = inverse;
        }
        return positions;
    }

    @Override
    public String toString() {
        return examples + " examples in " + workers + " shards" + (shuffle ? ", shuffled with seed " + seed : "");
    }
}
