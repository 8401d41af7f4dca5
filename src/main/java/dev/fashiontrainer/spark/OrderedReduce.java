package dev.fashiontrainer.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;

import scala.Tuple2;

/**
 * Reduces an RDD in partition order, whatever order Spark's tasks finish in.
 *
 * <p>Spark's {@code reduce} and {@code treeReduce} merge task results in the order they arrive. Our merges add
 * floating-point numbers, and floating-point addition is not associative: with three or more partitions the last
 * bits of the averaged parameters and of the test loss depended on which task finished first (seen: two local runs
 * with 4 workers and the same seed differed in the 9th digit), and so would a run in which a lost task was retried.
 * Here the merge order is fixed: by partition index on the driver for up to {@link #DIRECT} partitions, and for
 * more through one level of groups of about sqrt(n) consecutive partitions, as {@code treeReduce} does, so the
 * driver still receives only a handful of partial results.
 */
public final class OrderedReduce {
    /**
     * Up to this many partitions every task's result goes straight to the driver. The grouped path costs a shuffle
     * of all results: measured with 8 workers and Adam (8 MB per result, 2026-11-26, 2 cores), an averaging round
     * took 0.3-0.6 s that way and 0.2-0.3 s sent directly, and the 8-partition test evaluation 0.19-0.25 s against
     * 0.15-0.18 s. Sixteen results of a model this size are at most about 130 MB on the driver.
     */
    static final int DIRECT = 16;

    private OrderedReduce() {
    }

    /**
     * Reduces directly on the driver for up to {@link #DIRECT} partitions, through groups above.
     *
     * @param rdd the elements
     * @param merge an associative merge (it need not be commutative, and its floating-point rounding may differ
     *     with the grouping: the grouping depends only on the number of partitions)
     * @return the elements merged in partition order, then element order
     * @throws IllegalArgumentException when the RDD has no elements
     */
    public static <T> T reduce(JavaRDD<T> rdd, Function2<T, T, T> merge) {
        return reduce(rdd, merge, treeByDefault(rdd.getNumPartitions()));
    }

    /**
     * @param partitions partitions to reduce
     * @return whether {@link #reduce(JavaRDD, Function2)} takes the grouped (tree) path for that many
     */
    public static boolean treeByDefault(int partitions) {
        return partitions > DIRECT;
    }

    /**
     * @param rdd the elements
     * @param merge an associative merge, as for {@link #reduce(JavaRDD, Function2)}
     * @param tree whether the tasks' results are first merged in groups of about sqrt(n) consecutive partitions on
     *     the executors (a shuffle between them), so the driver receives about sqrt(n) partial results instead of
     *     n: cheaper when the driver's link, not the executors', limits a round (docs/scaling.md)
     * @return the elements merged in partition order, then element order (the grouping depends only on the path
     *     and the number of partitions, so each path gives the same bits every run)
     * @throws IllegalArgumentException when the RDD has no elements
     */
    public static <T> T reduce(JavaRDD<T> rdd, Function2<T, T, T> merge, boolean tree) {
        int partitions = rdd.getNumPartitions();
        if (!tree) {
            return foldOnDriver(rdd.mapPartitions(items -> fold(items, merge).stream().iterator()).collect(), merge)
                    .orElseThrow(() -> empty(rdd));
        }
        int groupSize = (int) Math.ceil(Math.sqrt(partitions));
        int groups = (partitions + groupSize - 1) / groupSize;
        List<Tuple2<Integer, T>> partials = rdd
                .mapPartitionsWithIndex((index, items) -> fold(items, merge).stream()
                        .map(partial -> new Tuple2<>(index / groupSize, new Tuple2<>(index, partial))).iterator(), true)
                .mapToPair(keyed -> keyed)
                .groupByKey(new HashPartitioner(groups))
                .mapValues(members -> {
                    List<Tuple2<Integer, T>> sorted = new ArrayList<>();
                    members.forEach(sorted::add);
                    sorted.sort(Comparator.comparingInt(Tuple2::_1));
                    return fold(sorted.stream().map(Tuple2::_2).iterator(), merge).orElseThrow();
                })
                .collect();
        List<Tuple2<Integer, T>> sorted = new ArrayList<>(partials);
        sorted.sort(Comparator.comparingInt(Tuple2::_1));
        return foldOnDriver(sorted.stream().map(Tuple2::_2).toList(), merge).orElseThrow(() -> empty(rdd));
    }

    private static <T> Optional<T> foldOnDriver(List<T> items, Function2<T, T, T> merge) {
        try {
            return fold(items.iterator(), merge);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("merging the partial results failed: " + e.getMessage(), e);
        }
    }

    private static <T> Optional<T> fold(Iterator<T> items, Function2<T, T, T> merge) throws Exception {
        if (!items.hasNext()) {
            return Optional.empty();
        }
        T result = items.next();
        while (items.hasNext()) {
            result = merge.call(result, items.next());
        }
        return Optional.of(result);
    }

    private static IllegalArgumentException empty(JavaRDD<?> rdd) {
        return new IllegalArgumentException("expected at least one element to reduce in " + rdd.name() + "; found none");
    }
}
