package dev.fashiontrainer.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Puts one item per partition into executor memory so that later jobs find it there without shipping it again.
 *
 * <p>{@code parallelize(items)} would not do: its partitions carry their data inside every task, so each epoch
 * would re-send the whole training set even when the RDD is cached. Here every item travels once as its own
 * broadcast (fetched only by the executor whose task needs it); tasks carry only the small broadcast handles.
 * If an executor is lost, Spark recomputes its partition from the broadcast, which the driver still holds.
 */
public final class ExecutorCache {
    private ExecutorCache() {
    }

    /**
     * @param spark the application's context
     * @param items one item per partition
     * @param name the RDD's name in Spark's UI
     * @return a cached RDD with item {@code i} alone in partition {@code i}
     */
    public static <T extends Serializable> JavaRDD<T> of(JavaSparkContext spark, List<T> items, String name) {
        List<Broadcast<T>> handles = new ArrayList<>(items.size());
        List<Integer> indices = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            handles.add(spark.broadcast(items.get(i)));
            indices.add(i);
        }
        return spark.parallelize(indices, items.size())
                .map(i -> handles.get(i).value())
                .setName(name)
                .persist(StorageLevel.MEMORY_ONLY());
    }
}
