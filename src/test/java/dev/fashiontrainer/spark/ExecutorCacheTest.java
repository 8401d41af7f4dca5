package dev.fashiontrainer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestSpark;

class ExecutorCacheTest {

    @Test
    void buildsEachPartitionOnceAndThenReadsItFromMemory() {
        try (ExecutorCache<String> cache = new ExecutorCache<>(TestSpark.context(), List.of("a", "b", "c"), "letters")) {
            assertEquals(List.of("a", "b", "c"), cache.rdd().collect());
            assertEquals(3, cache.builds(), "first use builds every partition from its broadcast");

            assertEquals(List.of("a", "b", "c"), cache.rdd().collect());
            assertEquals(3, cache.builds(), "later jobs read the cached partitions");
            TestSpark.awaitListeners();
            CachedStorage storage = cache.storage();
            assertEquals(3, storage.cachedPartitions());
            assertEquals(3, storage.partitions());
            assertTrue(storage.bytes() > 0, "cached size: " + storage.bytes());
        }
    }
}
