package dev.fashiontrainer.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Items kept in executor memory, one per partition, so that later jobs find them there without shipping them again.
 *
 * <p>{@code parallelize(items)} would not do: its partitions carry their data inside every task, so each epoch
 * would re-send the whole training set even when the RDD is cached. Here every item travels once as its own
 * broadcast (fetched only by the executor whose task needs it); tasks carry only the small broadcast handles.
 * If an executor is lost, Spark recomputes its partition from the broadcast, which the driver still holds.
 *
 * @param <T> the item type
 */
public final class ExecutorCache<T extends Serializable> implements AutoCloseable {
    private final List<Broadcast<T>> handles;
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
        this.handles = broadcasts;
        this.rdd = spark.parallelize(indices, items.size())
                .map(i -> broadcasts.get(i).value())
                .setName(name)
                .persist(StorageLevel.MEMORY_ONLY());
    }

    /** @return the cached RDD with item {@code i} alone in partition {@code i} */
    public JavaRDD<T> rdd() {
        return rdd;
    }

    /** Drops the cached partitions and the broadcasts, on the executors and the driver. */
    @Override
    public void close() {
        rdd.unpersist(false);
        handles.forEach(handle -> handle.destroy(false));
    }
}
