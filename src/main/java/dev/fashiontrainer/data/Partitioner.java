package dev.fashiontrainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a data set held in memory into the workers' shards by its {@link SplitPlan}: a seeded shuffle
 * (optional), then contiguous slices whose sizes differ by at most one. Every example lands in exactly one shard.
 * {@link TrainingData} makes the same shards on the executors.
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
        SplitPlan plan = new SplitPlan(data.size(), workers, shuffle, seed);
        List<TrainingShard> shards = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            shards.add(new TrainingShard(w, data.select(plan.examplesOf(w))));
        }
        return shards;
    }

    /**
     * Holds out a seeded random sample of {@code data} for validation.
     *
     * @param data the training set
     * @param count examples to hold out, 0 to {@code data.size()}
     * @param seed picks them (a seeded Fisher-Yates, independent of the partitioning's shuffle)
     * @return two sets: the examples left for training, in their stored order, and the held-out ones; with
     *     {@code count} 0, {@code data} itself and an empty set
     */
    public static List<LabeledImages> holdOut(LabeledImages data, int count, long seed) {
        if (count < 0 || count > data.size()) {
            throw new IllegalArgumentException("expected 0 to " + data.size() + " examples to hold out, found "
                    + count);
        }
        if (count == 0) {
            return List.of(data, data.head(0));
        }
        int[] order = identity(data.size());
        shuffleInPlace(order, new SplittableRandom(~seed));
        int[] held = Arrays.copyOf(order, count);
        int[] kept = Arrays.copyOfRange(order, count, order.length);
        // the stored order for training, so the partitioning's own shuffle alone decides who gets what
        Arrays.sort(kept);
        Arrays.sort(held);
        return List.of(data.select(kept), data.select(held));
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
