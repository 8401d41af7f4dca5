package dev.fashiontrainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.spark.ExecutorCache;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.spark.OrderedReduce;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.TrainingShard;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * Our engine, built on Spark primitives: the shards are shipped once and cached in executor memory in their compact
 * byte form ({@link ExecutorCache}); each averaging round broadcasts the model (2.7 MB), runs {@link LocalSgd} in one
 * task per shard, and sums the example-weighted results with a tree aggregation in a fixed order
 * ({@link OrderedReduce}), so the driver receives a handful of partial sums instead of one model per worker, and
 * the same sums every run. The driver's new model is that average, or with {@code --block-momentum} the average
 * plus momentum ({@link BlockMomentum}).
 *
 * <p>With {@code --reshuffle} the training set is re-split every epoch. Shipping new shards every epoch would
 * re-serialize and re-send the whole set (47 MB; measured 0.24-0.38 s of a 5-8 s epoch on a busy machine), so
 * instead the whole set is broadcast once, each executor fetches it once and keeps it, and each epoch's split
 * travels with the tasks as the positions of each worker's examples (240 KB).
 */
public final class SparkAveragingEngine implements TrainingEngine {
    private final JavaSparkContext spark;
    private final TrainingConfig config;
    // without --reshuffle: the shards, cached on the executors
    private final ExecutorCache<TrainingShard> shards;
    // with --reshuffle: the whole training set, the shards' concatenation, and the examples of each shard
    private final Broadcast<LabeledImages> trainingSet;
    private final int trainingExamples;
    private final int rounds;
    private final BlockMomentum driverStep;
    private long buildsBeforeEpoch;

    /**
     * @param spark the application's context
     * @param config the run's settings
     * @param shards one shard per worker; they are shipped to the executors once and cached there (with
     *               {@code --reshuffle}, the first epoch's split of the training set, which is broadcast whole)
     */
    public SparkAveragingEngine(JavaSparkContext spark, TrainingConfig config, List<TrainingShard> shards) {
        this.spark = spark;
        this.config = config;
        if (config.reshuffle()) {
            LabeledImages all = LabeledImages.concat(shards.stream().map(TrainingShard::images).toList());
            this.trainingSet = spark.broadcast(all);
            this.trainingExamples = all.size();
            this.shards = null;
        } else {
            this.trainingSet = null;
            this.trainingExamples = 0;
            this.shards = new ExecutorCache<>(spark, shards, "training shards (" + shards.size() + ")");
        }
        int largest = shards.stream().mapToInt(s -> s.images().size()).max().orElse(0);
        int batches = (largest + config.batchSize() - 1) / config.batchSize();
        int perRound = config.batchesPerRound(largest);
        this.rounds = (batches + perRound - 1) / perRound;
        this.driverStep = new BlockMomentum(config.blockMomentum());
    }

    @Override
    public EpochResult trainEpoch(MultiLayerNetwork model, int epoch) {
        double learningRate = config.learningRateAt(epoch);
        long reshuffleStart = System.nanoTime();
        JavaRDD<TrainingShard> data;
        if (trainingSet != null) {
            data = reshuffledShards(epoch);
        } else {
            buildsBeforeEpoch = shards.builds();
            data = shards.rdd();
        }
        double reshuffleSeconds = trainingSet != null ? (System.nanoTime() - reshuffleStart) / 1e9 : 0;
        double lossSum = 0;
        long examples = 0;
        List<LossSample> samples = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ParameterSnapshot startValue = ParameterSnapshot.of(model);
            Broadcast<ParameterSnapshot> start = spark.broadcast(startValue);
            spark.setJobDescription("epoch " + epoch + ", averaging round " + (round + 1) + " of " + rounds);
            WorkerUpdate sum = OrderedReduce.reduce(
                    data.map(localSgd(start, config, epoch, round, learningRate)), WorkerUpdate::merge);
            start.destroy();
            if (sum.divergence() != null) {
                throw new DivergenceException(epoch, sum.divergence() + " of epoch " + epoch);
            }
            ParameterSnapshot next = driverStep.next(startValue, sum.average());
            if (!next.isFinite()) {
                throw new DivergenceException(epoch, "the averaged parameters are not finite after round "
                        + (round + 1) + " of epoch " + epoch);
            }
            next.applyTo(model);
            lossSum += sum.lossSum();
            examples += sum.examples();
            samples.addAll(sum.samples());
        }
        return new EpochResult(lossSum / examples, examples, rounds, samples, reshuffleSeconds);
    }

    /**
     * The epoch's shards as positions in the broadcast training set: the first epoch's are the shards the engine
     * was given (the set's contiguous slices), every later epoch's a new seeded split, derived from the seed and
     * the epoch alone so that a resumed run or a retried task gets the same one. Each partition holds one
     * worker's positions, so a task carries only its own.
     */
    private JavaRDD<TrainingShard> reshuffledShards(int epoch) {
        List<int[]> split = epoch == 1 ? Partitioner.assign(trainingExamples, config.workers(), false, 0)
                : Partitioner.assign(trainingExamples, config.workers(), true, config.seed() * 31 + epoch);
        List<TrainingShard> positions = new ArrayList<>(split.size());
        for (int w = 0; w < split.size(); w++) {
            positions.add(new TrainingShard(w, null, split.get(w)));
        }
        return spark.parallelize(positions, positions.size()).map(withImages(trainingSet));
    }

    private static Function<TrainingShard, TrainingShard> withImages(Broadcast<LabeledImages> trainingSet) {
        return shard -> new TrainingShard(shard.index(), trainingSet.value(), shard.examples());
    }

    // A static factory so the closure captures only these values, never the engine or the driver's context.
    private static Function<TrainingShard, WorkerUpdate> localSgd(Broadcast<ParameterSnapshot> start,
            TrainingConfig config, int epoch, int round, double learningRate) {
        return shard -> LocalSgd.train(shard, start.value(), config, epoch, round, learningRate);
    }

    @Override
    public float[] carriedState() {
        return driverStep.state();
    }

    @Override
    public void restoreCarriedState(float[] state) {
        driverStep.restore(state);
    }

    /**
     * Says whether the epoch just trained shipped training data: only a partition built from its broadcast shard
     * makes an executor fetch data; a partition read from executor memory ships nothing.
     */
    @Override
    public Optional<String> dataReport(int epoch) {
        if (trainingSet != null) {
            return epoch > 1 ? Optional.empty() : Optional.of(String.format("Data: --reshuffle: the training set"
                    + " (%d examples, %.1f MB) is broadcast once and kept by each executor; every epoch's new split"
                    + " travels with the tasks as example positions", trainingExamples,
                    trainingExamples * (LabeledImages.PIXELS + 1) / 1e6));
        }
        long built = shards.builds() - buildsBeforeEpoch;
        ExecutorCache.Storage storage = shards.storage();
        String why = built == 0 ? "no training data shipped"
                : buildsBeforeEpoch == 0 ? "first use: each executor fetched its shard once"
                : "an executor was lost or dropped its copy, so its shard was fetched again";
        return Optional.of(String.format("Data: epoch %d built %d training partition(s) from the broadcast shards (%s);"
                        + " %d of %d cached in executor memory, %.1f MB", epoch, built, why,
                storage.cachedPartitions(), storage.partitions(), storage.bytes() / 1e6));
    }

    @Override
    public void close() {
        if (shards != null) {
            shards.close();
        } else {
            trainingSet.destroy();
        }
    }
}
