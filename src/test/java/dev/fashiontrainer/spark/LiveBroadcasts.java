package dev.fashiontrainer.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BroadcastBlockId;
import org.apache.spark.storage.BlockResult;

import scala.Option;

import dev.fashiontrainer.TestSpark;

/** The broadcasts this JVM's Spark still holds, by the type of their value (a destroyed one holds nothing). */
public final class LiveBroadcasts {
    private LiveBroadcasts() {
    }

    /** @return how many live broadcasts have a value of {@code type} in the test context's block managers */
    public static long holding(Class<?> type) {
        TestSpark.context();
        var blockManager = SparkEnv.get().blockManager();
        // the driver keeps its whole copy without telling the master: ask the block managers themselves
        var ids = blockManager.master().getMatchingBlockIds(
                new scala.runtime.AbstractFunction1<BlockId, Object>() {
                    @Override
                    public Object apply(BlockId id) {
                        return id instanceof BroadcastBlockId broadcast && broadcast.field().isEmpty();
                    }
                }, true);
        return ScalaCollections.asList(ids).stream().filter(id -> {
            Option<BlockResult> held = blockManager.getLocalValues(id);
            if (held.isEmpty()) {
                return false;
            }
            var values = held.get().data();
            boolean matches = values.hasNext() && type.isInstance(values.next());
            blockManager.releaseLock(id, Option.empty());
            return matches;
        }).count();
    }
}
