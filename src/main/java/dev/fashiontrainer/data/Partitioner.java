package dev.fashiontrainer.data;

import java.util.ArrayList;
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
