package dev.fashiontrainer.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

import scala.Tuple2;

import dev.fashiontrainer.spark.CachedStorage;

/**
 * The training set as the engines see it: data on the executors, one shard per worker, never on the driver.
 * Partition {@code i} of {@link #shards()} holds worker {@code i}'s shard, kept in executor memory across epochs.
 *
 * <p>It is built from blocks of numbered examples that the executors produce themselves (by reading their part of
 * the files, or of a DataFrame) and a {@link SplitPlan}: each block's examples are routed to their workers
 * through a Spark shuffle, and each worker's shard is assembled in plan order. The driver sends only the plan.
 * {@link #resplit} moves the examples to a new seeded split the same way, from the executors' memory, so
 * reshuffling between epochs does not touch the driver either. The result depends on the plan alone, not on the
 * order blocks arrive in, so a retried task, a lost executor or a resumed run rebuilds exactly the same shards.
 */
public final class TrainingData implements AutoCloseable {
    /** Examples per block when blocks are cut from one data set in memory. */
    public static final int BLOCK_SIZE = 8192;

    private final SplitPlan plan;
    private final String origin;
    private final JavaRDD<TrainingShard> shards;
    private final LongAccumulator assembled;
    private final LongAccumulator routedBytes;

    private TrainingData(SplitPlan plan, String origin, JavaRDD<TrainingShard> shards, LongAccumulator assembled,
                         LongAccumulator routedBytes) {
        this.plan = plan;
        this.origin = origin;
        this.shards = shards;
        this.assembled = assembled;
        this.routedBytes = routedBytes;
    }

    /**
     * Splits executor-side examples across the workers.
     *
     * @param examples every example of the data set exactly once, numbered {@code 0..plan.examples()-1}, in any
     *     order and any partitioning; read on the executors
     * @param plan which example goes where
     * @param origin where the examples come from, for reports and error messages (a path, a data set)
     * @return the shards, cached on the executors once first used
     */
    public static TrainingData split(JavaRDD<ExampleBlock> examples, SplitPlan plan, String origin) {
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(examples.context());
        LongAccumulator assembled = spark.sc().longAccumulator("training shards assembled: " + origin);
        LongAccumulator routed = spark.sc().longAccumulator("training bytes routed between executors: " + origin);
        JavaPairRDD<Integer, ExampleBlock> byWorker = examples
                .flatMapToPair(route(plan, origin, routed))
                .partitionBy(new HashPartitioner(plan.workers()));
        JavaRDD<TrainingShard> shards = byWorker.values()
                .mapPartitionsWithIndex(assemble(plan, origin, assembled), true)
                .setName("training shards (" + plan + ") from " + origin)
                .persist(StorageLevel.MEMORY_ONLY());
        return new TrainingData(plan, origin, shards, assembled, routed);
    }

    /**
     * Splits a data set that the driver holds (tests, small data): its blocks travel inside the tasks that read
     * them, once, and then live on the executors like any other.
     *
     * @param spark the application's context
     * @param images the whole data set
     * @param plan which example goes where; {@code plan.examples()} must be {@code images.size()}
     * @return the shards
     */
    public static TrainingData fromDriver(JavaSparkContext spark, LabeledImages images, SplitPlan plan) {
        if (plan.examples() != images.size()) {
            throw new IllegalArgumentException("the plan is for " + plan.examples() + " examples, the data set holds "
                    + images.size());
        }
        List<ExampleBlock> blocks = new ArrayList<>();
        for (int from = 0; from < images.size(); from += BLOCK_SIZE) {
            int count = Math.min(BLOCK_SIZE, images.size() - from);
            blocks.add(ExampleBlock.numberedFrom(from, images.slice(from, count)));
        }
        return split(spark.parallelize(blocks, blocks.size()), plan, "the driver's copy, sent with the tasks");
    }

    /**
     * A new split of the same examples, moved from the executors that hold them now to the executors of their new
     * workers through a Spark shuffle. This data stays valid (and cached) until closed; close it once the new
     * split is in use.
     *
     * @param newPlan the new split, of the same examples and workers
     * @return the new shards, already built on the executors
     */
    public TrainingData resplit(SplitPlan newPlan) {
        if (newPlan.examples() != plan.examples() || newPlan.workers() != plan.workers()) {
            throw new IllegalArgumentException("a new split must keep " + plan.examples() + " examples in "
                    + plan.workers() + " shards, found " + newPlan);
        }
        SplitPlan current = plan;
        TrainingData next = split(shards.map(shard ->
                new ExampleBlock(current.examplesOf(shard.index()), shard.images())), newPlan, origin);
        // Built now, while this split is still cached: built later, it would be rebuilt from the source instead.
        next.shards.count();
        return next;
    }

    /**
     * Builds the shards on the executors now, rather than in the first job that trains on them, so that the first
     * epoch's time is training alone (as it is for a trainer whose data was loaded before it started).
     *
     * @return one line for the log: how many shards were built, from where, how many bytes were routed, and how
     *     long it took
     */
    public String load() {
        long start = System.nanoTime();
        long assembledBefore = assembled();
        long routedBefore = routedBytes();
        shards.count();
        return String.format("%d training shard(s) built on the executors in %.2f s from %s: %.1f MB routed to the"
                        + " workers through Spark's shuffle, none through the driver", assembled() - assembledBefore,
                (System.nanoTime() - start) / 1e9, origin, (routedBytes() - routedBefore) / 1e6);
    }

    /** @return the shards: partition {@code i} holds worker {@code i}'s, cached in executor memory */
    public JavaRDD<TrainingShard> shards() {
        return shards;
    }

    /** @return the split: examples, workers, shard sizes */
    public SplitPlan plan() {
        return plan;
    }

    /** @return where the examples come from */
    public String origin() {
        return origin;
    }

    /** @return how many times, so far, a shard was assembled (more than the workers: some were rebuilt) */
    public long assembled() {
        return assembled.value();
    }

    /** @return bytes of examples routed to their workers so far (pixels and labels) */
    public long routedBytes() {
        return routedBytes.value();
    }

    /** @return shards held in executor memory, and their size, as Spark reports them (see {@link CachedStorage}) */
    public CachedStorage storage() {
        return CachedStorage.of(shards);
    }

    /** Drops the cached shards from the executors. */
    @Override
    public void close() {
        shards.unpersist(false);
    }

    // Static factories, so the closures capture only plain values, never this object or the driver's context.

    private static PairFlatMapFunction<ExampleBlock, Integer, ExampleBlock> route(SplitPlan plan, String origin,
                                                                                  LongAccumulator routed) {
        return block -> {
            int[] ids = block.ids();
            int[] counts = new int[plan.workers()];
            for (int id : ids) {
                counts[plan.workerOf(checkId(id, plan, origin))]++;
            }
            List<Tuple2<Integer, ExampleBlock>> out = new ArrayList<>();
            for (int w = 0; w < counts.length; w++) {
                if (counts[w] == 0) {
                    continue;
                }
                int[] picked = new int[counts[w]];
                int[] pickedIds = new int[counts[w]];
                int n = 0;
                for (int k = 0; k < ids.length; k++) {
                    if (plan.workerOf(ids[k]) == w) {
                        picked[n] = k;
                        pickedIds[n++] = ids[k];
                    }
                }
                out.add(new Tuple2<>(w, new ExampleBlock(pickedIds, block.images().select(picked))));
            }
            routed.add((long) ids.length * block.images().bytesPerExample());
            return out.iterator();
        };
    }

    private static int checkId(int id, SplitPlan plan, String origin) {
        if (id < 0 || id >= plan.examples()) {
            throw new DataException(origin + ": example number " + id + " is outside 0-" + (plan.examples() - 1));
        }
        return id;
    }

    private static Function2<Integer, Iterator<ExampleBlock>, Iterator<TrainingShard>> assemble(
            SplitPlan plan, String origin, LongAccumulator assembled) {
        return (worker, blocks) -> {
            int size = plan.shardSize(worker);
            LabeledImages shard = null; // shaped like the first block that arrives
            BitSet filled = new BitSet(size);
            while (blocks.hasNext()) {
                ExampleBlock block = blocks.next();
                LabeledImages images = block.images();
                if (shard == null) {
                    shard = images.emptyLike(size);
                }
                for (int k = 0; k < block.ids().length; k++) {
                    int at = plan.indexInShard(block.ids()[k]);
                    if (filled.get(at)) {
                        throw new DataException(origin + ": example " + block.ids()[k] + " appears more than once");
                    }
                    filled.set(at);
                    if (images.label(k) >= images.classes()) {
                        throw new DataException(origin + ": label " + images.label(k) + " of example "
                                + block.ids()[k] + " is outside 0-" + (images.classes() - 1));
                    }
                    images.copyTo(k, shard, at);
                }
            }
            if (filled.cardinality() != size) {
                throw new DataException(origin + ": worker " + (worker + 1) + " expected " + size
                        + " examples, found " + filled.cardinality() + "; some example numbers are missing");
            }
            assembled.add(1);
            return List.of(new TrainingShard(worker, shard)).iterator();
        };
    }
}
