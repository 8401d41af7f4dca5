package dev.fashiontrainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 */
public final class SparkAveragingEngine implements TrainingEngine {
    private final JavaSparkContext spark;
    private final TrainingConfig config;
    private final LabeledImages reshuffled;
    private ExecutorCache<TrainingShard> shards;
    private final int rounds;
    private final BlockMomentum driverStep;
    private final TrainingProgress progress;
    private long buildsBeforeEpoch;

    /**
     * @param spark the application's context
     * @param config the run's settings
     * @param shards one shard per worker; they are shipped to the executors once and cached there (with
     *               {@code --reshuffle}, once per epoch: the training set is then re-split every epoch)
     * @param progress names the rounds' jobs and hears of the tasks' minibatches while they run
     */
    public SparkAveragingEngine(JavaSparkContext spark, TrainingConfig config, List<TrainingShard> shards,
                                TrainingProgress progress) {
        this.spark = spark;
        this.config = config;
        this.reshuffled = config.reshuffle()
                ? LabeledImages.concat(shards.stream().map(TrainingShard::images).toList()) : null;
        this.shards = cache(shards);
        int largest = shards.stream().mapToInt(s -> s.images().size()).max().orElse(0);
        int batches = (largest + config.batchSize() - 1) / config.batchSize();
        int perRound = config.batchesPerRound(largest);
        this.rounds = (batches + perRound - 1) / perRound;
        this.driverStep = new BlockMomentum(config.blockMomentum());
        this.progress = progress;
    }

    private ExecutorCache<TrainingShard> cache(List<TrainingShard> split) {
        return new ExecutorCache<>(spark, split, "training shards (" + split.size() + ")");
    }

    @Override
    public EpochResult trainEpoch(MultiLayerNetwork model, int epoch) {
        double learningRate = config.learningRateAt(epoch);
        if (reshuffled != null && epoch > 1) {
            // A new seeded split every epoch, so that each worker sees other examples; derived from the seed and
            // the epoch alone, so a resumed run or a retried task gets the same split.
            shards.close();
            shards = cache(Partitioner.split(reshuffled, config.workers(), true, config.seed() * 31 + epoch));
        }
        buildsBeforeEpoch = shards.builds();
        double lossSum = 0;
        long examples = 0;
        List<LossSample> samples = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ParameterSnapshot startValue = ParameterSnapshot.of(model);
            Broadcast<ParameterSnapshot> start = spark.broadcast(startValue);
            spark.setJobDescription(progress.jobDescription(epoch, round, rounds));
            WorkerUpdate sum = OrderedReduce.reduce(shards.rdd().map(
                    localSgd(start, config, epoch, round, learningRate, progress.reporter())), WorkerUpdate::merge);
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
        return new EpochResult(lossSum / examples, examples, rounds, samples);
    }

    // A static factory so the closure captures only these values, never the engine or the driver's context.
    private static Function<TrainingShard, WorkerUpdate> localSgd(Broadcast<ParameterSnapshot> start,
            TrainingConfig config, int epoch, int round, double learningRate, MinibatchReporter reporter) {
        return shard -> LocalSgd.train(shard, start.value(), config, epoch, round, learningRate, reporter);
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
        long built = shards.builds() - buildsBeforeEpoch;
        ExecutorCache.Storage storage = shards.storage();
        String why = built == 0 ? "no training data shipped"
                : reshuffled != null ? "--reshuffle: a new split of the training set every epoch"
                : buildsBeforeEpoch == 0 ? "first use: each executor fetched its shard once"
                : "an executor was lost or dropped its copy, so its shard was fetched again";
        return Optional.of(String.format("Data: epoch %d built %d training partition(s) from the broadcast shards (%s);"
                        + " %d of %d cached in executor memory, %.1f MB", epoch, built, why,
                storage.cachedPartitions(), storage.partitions(), storage.bytes() / 1e6));
    }

    @Override
    public void close() {
        shards.close();
    }
}
