package dev.fashiontrainer.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Items kept in executor memory, one per partition, so that later jobs find them there without shipping them again.
 *
 * <p>{@code parallelize(items)} would not do: its partitions carry their data inside every task, so each epoch
 * would re-send the whole training set even when the RDD is cached. Here every item travels once as its own
 * broadcast (fetched only by the executor whose task needs it); tasks carry only the small broadcast handles.
 * If an executor is lost, Spark recomputes its partition from the broadcast, which the driver still holds.
 *
 * <p>A named accumulator counts how often a partition was built from its broadcast, that is, how often an
 * executor had to fetch an item; Spark's UI shows it on every stage that reads the cache.
 *
 * @param <T> the item type
 */
public final class ExecutorCache<T extends Serializable> implements AutoCloseable {
    private final List<Broadcast<T>> handles;
    private final LongAccumulator builds;
    private final JavaRDD<T> rdd;

    /**
     * @param spark the application's context
     * @param items one item per partition
     * @param name the RDD's name in Spark's UI
     */
    public ExecutorCache(JavaSparkContext spark, List<T> items, String name) {
        List<Broadcast<T>> broadcasts = new ArrayList<>(items.size());
        List<Integer> indices = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            broadcasts.add(spark.broadcast(items.get(i)));
            indices.add(i);
        }
        LongAccumulator built = spark.sc().longAccumulator("partitions built from broadcast: " + name);
        this.handles = broadcasts;
        this.builds = built;
        this.rdd = spark.parallelize(indices, items.size())
                .map(i -> {
                    // Runs only when the partition is not in this executor's memory.
                    built.add(1);
                    return broadcasts.get(i).value();
                })
                .setName(name)
                .persist(StorageLevel.MEMORY_ONLY());
    }

    /** @return the cached RDD with item {@code i} alone in partition {@code i} */
    public JavaRDD<T> rdd() {
        return rdd;
    }

    /** @return how many times, so far, a partition was built from its broadcast (an executor fetched its item) */
    public long builds() {
        return builds.value();
    }

    /** @return partitions held in executor memory, and their size, as Spark reports them */
    public CachedStorage storage() {
        return CachedStorage.of(rdd);
    }

    /** Drops the cached partitions and the broadcasts, on the executors and the driver. */
    @Override
    public void close() {
        rdd.unpersist(false);
        handles.forEach(handle -> handle.destroy(false));
    }
}
