package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestSpark;

/** The executor-side split makes exactly the shards the in-memory {@link Partitioner} makes, however it is fed. */
class TrainingDataTest {
    private static final LabeledImages DATA = numbered(2001);

    /** Images whose first two pixel bytes hold their number: a fingerprint that survives any move. */
    private static LabeledImages numbered(int count) {
        byte[] pixels = new byte[count * LabeledImages.PIXELS];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            pixels[i * LabeledImages.PIXELS] = (byte) i;
            pixels[i * LabeledImages.PIXELS + 1] = (byte) (i >> 8);
            pixels[i * LabeledImages.PIXELS + 783] = (byte) (i * 7);
            labels[i] = (byte) (i % 10);
        }
        return new LabeledImages(pixels, labels);
    }

    private static void assertSameShards(List<TrainingShard> expected, List<TrainingShard> actual) {
        assertEquals(expected.size(), actual.size());
        for (int w = 0; w < expected.size(); w++) {
            assertEquals(w, actual.get(w).index());
            LabeledImages e = expected.get(w).images();
            LabeledImages a = actual.get(w).images();
            assertEquals(e.size(), a.size(), "shard " + w);
            for (int i = 0; i < e.size(); i++) {
                assertArrayEquals(e.imageBytes(i), a.imageBytes(i), "shard " + w + " image " + i);
                assertEquals(e.label(i), a.label(i));
            }
        }
    }

    @Test
    void shardsBuiltOnTheExecutorsAreThePartitionersShards() {
        SplitPlan plan = new SplitPlan(DATA.size(), 3, true, 11);
        try (TrainingData data = TrainingData.fromDriver(TestSpark.context(), DATA, plan)) {
            String loaded = data.load();
            assertTrue(loaded.startsWith("3 training shard(s) built on the executors in "), loaded);
            assertTrue(loaded.endsWith(String.format(" s from the driver's copy, sent with the tasks: %.1f MB routed to"
                    + " the workers through Spark's shuffle, none through the driver", DATA.size() * 785 / 1e6)),
                    loaded);
            assertSameShards(Partitioner.split(DATA, 3, true, 11), data.shards().collect());
            assertEquals(3, data.assembled(), "loaded once, then read from executor memory");
            assertEquals((long) DATA.size() * (LabeledImages.PIXELS + 1), data.routedBytes());
            TestSpark.awaitListeners();
            assertEquals(3, data.storage().cachedPartitions());
        }
    }

    @Test
    void blocksInAnyOrderAndPartitioningGiveTheSameShards() {
        // small blocks, shuffled, in 5 partitions: what executors reading a file's ranges in any order produce
        List<ExampleBlock> blocks = new ArrayList<>();
        for (int from = 0; from < DATA.size(); from += 97) {
            int count = Math.min(97, DATA.size() - from);
            blocks.add(ExampleBlock.numberedFrom(from, DATA.slice(from, count)));
        }
        Collections.shuffle(blocks, new Random(3));
        SplitPlan plan = new SplitPlan(DATA.size(), 2, false, 0);
        try (TrainingData data = TrainingData.split(TestSpark.context().parallelize(blocks, 5), plan, "blocks")) {
            assertSameShards(Partitioner.split(DATA, 2, false, 0), data.shards().collect());
        }
    }

    @Test
    void aNewSplitIsMadeOnTheExecutorsAndDependsOnItsSeedAlone() {
        SplitPlan first = new SplitPlan(DATA.size(), 3, false, 0);
        SplitPlan second = first.reshuffled(99);
        try (TrainingData data = TrainingData.fromDriver(TestSpark.context(), DATA, first);
             TrainingData moved = data.resplit(second)) {
            assertEquals(3, moved.assembled(), "built when made");
            assertSameShards(Partitioner.split(DATA, 3, true, 99), moved.shards().collect());
            try (TrainingData again = moved.resplit(second.reshuffled(5))) {
                // reached through another split first: the same shards as straight from the data
                assertSameShards(Partitioner.split(DATA, 3, true, 5), again.shards().collect());
            }
        }
    }

    @Test
    void anExampleGivenTwiceIsRefusedNamingTheSource() {
        List<ExampleBlock> blocks = List.of(ExampleBlock.numberedFrom(0, DATA.slice(0, 10)),
                ExampleBlock.numberedFrom(5, DATA.slice(5, 5)));
        try (TrainingData data = TrainingData.split(TestSpark.context().parallelize(blocks, 2),
                new SplitPlan(10, 2, false, 0), "twice.idx")) {
            SparkException e = assertThrows(SparkException.class, () -> data.shards().count());
            assertTrue(e.getMessage().contains("twice.idx: example 5 appears more than once"), e.getMessage());
        }
    }

    @Test
    void aPlanPutsEveryExampleOnceAndKnowsWhere() {
        SplitPlan plan = new SplitPlan(1001, 7, true, 42);
        int[] seen = new int[1001];
        for (int w = 0; w < 7; w++) {
            int[] ids = plan.examplesOf(w);
            assertEquals(plan.shardSize(w), ids.length);
            for (int k = 0; k < ids.length; k++) {
                assertEquals(w, plan.workerOf(ids[k]));
                assertEquals(k, plan.indexInShard(ids[k]));
                seen[ids[k]]++;
            }
        }
        for (int count : seen) {
            assertEquals(1, count);
        }
        assertEquals(143, plan.largestShard());
    }
}
