package dev.fashiontrainer.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.RDDInfo;

/**
 * How much of a persisted RDD the executors hold in memory, as Spark reports it to its UI.
 *
 * <p>Spark's status store is filled by a listener after each job has returned, so a reading taken right after a
 * job may still show the state before it (a loaded machine showed 2 of 3 just-cached partitions); tests wait for
 * the listeners first.
 *
 * @param cachedPartitions partitions in executor memory
 * @param partitions all partitions
 * @param bytes their size in executor memory
 */
public record CachedStorage(int cachedPartitions, int partitions, long bytes) {

    /**
     * @param rdd a persisted RDD
     * @return what Spark reports for it now; nothing cached when it reports nothing
     */
    public static CachedStorage of(JavaRDD<?> rdd) {
        for (RDDInfo info : rdd.context().getRDDStorageInfo()) {
            if (info.id() == rdd.id()) {
                return new CachedStorage(info.numCachedPartitions(), info.numPartitions(), info.memSize());
            }
        }
        return new CachedStorage(0, rdd.getNumPartitions(), 0);
    }
}
