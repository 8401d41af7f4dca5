package dev.fashiontrainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a data set into the workers' shards: a seeded shuffle (optional), then contiguous slices whose sizes
 * differ by at most one. Every example lands in exactly one shard.
 */
public final class Partitioner {
    private Partitioner() {
    }

    /**
     * @param data the training set
     * @param workers number of shards, at least 1 and at most {@code data.size()}
     * @param shuffle shuffle before splitting (a seeded Fisher-Yates)
     * @param seed shuffle seed
     * @return one shard per worker, in worker order
     */
    public static List<TrainingShard> split(LabeledImages data, int workers, boolean shuffle, long seed) {
        List<TrainingShard> shards = new ArrayList<>(workers);
        List<int[]> slices = assign(data.size(), workers, shuffle, seed);
        for (int w = 0; w < workers; w++) {
            shards.add(new TrainingShard(w, data.select(slices.get(w))));
        }
        return shards;
    }

    /**
     * The same split as {@link #split}, as positions: {@code split(data, ...)} shard {@code w} holds
     * {@code data.select(assign(data.size(), ...).get(w))}.
     *
     * @param size examples in the data set
     * @return per worker, the positions of its examples, in shard order
     */
    public static List<int[]> assign(int size, int workers, boolean shuffle, long seed) {
        if (workers < 1 || workers > size) {
            throw new IllegalArgumentException("expected 1 to " + size + " workers, found " + workers);
        }
        int[] order = identity(size);
        if (shuffle) {
            shuffleInPlace(order, new SplittableRandom(seed));
        }
        List<int[]> slices = new ArrayList<>(workers);
        int base = size / workers;
        int extra = size % workers;
        int from = 0;
        for (int w = 0; w < workers; w++) {
            int length = base + (w < extra ? 1 : 0);
            int[] slice = new int[length];
            System.arraycopy(order, from, slice, 0, length);
            slices.add(slice);
            from += length;
        }
        return slices;
    }

    /** @return {@code [0, 1, ..., n-1]} */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Fisher-Yates shuffle driven by {@code random}, so a seed gives the same order on every JVM. */
    public static void shuffleInPlace(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
