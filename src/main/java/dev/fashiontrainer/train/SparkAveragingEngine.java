package dev.fashiontrainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.spark.CachedStorage;
import dev.fashiontrainer.spark.OrderedReduce;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.data.TrainingShard;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * Our engine, built on Spark primitives: the shards live in executor memory in their compact byte form
 * ({@link TrainingData}, built by the executors themselves); each averaging round broadcasts the model (2.7 MB),
 * runs {@link LocalSgd} in one task per shard, and sums the example-weighted results with a tree aggregation in a
 * fixed order ({@link OrderedReduce}), so the driver receives a handful of partial sums instead of one model per
 * worker, and the same sums every run. The driver's new model is that average, or with {@code --block-momentum}
 * the average plus momentum ({@link BlockMomentum}).
 */
public final class SparkAveragingEngine implements TrainingEngine {
    private final JavaSparkContext spark;
    private final TrainingConfig config;
    private TrainingData data;
    private final int rounds;
    private final BlockMomentum driverStep;
    private final TrainingProgress progress;
    private long assembledBeforeEpoch;
    private long routedBeforeEpoch;

    /**
     * @param spark the application's context
     * @param config the run's settings
     * @param data one shard per worker, on the executors (with {@code --reshuffle}, re-split there every epoch);
     *             the engine closes it
     * @param progress names the rounds' jobs and hears of the tasks' minibatches while they run
     */
    public SparkAveragingEngine(JavaSparkContext spark, TrainingConfig config, TrainingData data,
                                TrainingProgress progress) {
        this.spark = spark;
        this.config = config;
        this.data = data;
        int largest = data.plan().largestShard();
        int batches = (largest + config.batchSize() - 1) / config.batchSize();
        int perRound = config.batchesPerRound(largest);
        this.rounds = (batches + perRound - 1) / perRound;
        this.driverStep = new BlockMomentum(config.effectiveBlockMomentum(), config.blockMomentumKind());
        this.progress = progress;
    }

    @Override
    public EpochResult trainEpoch(MultiLayerNetwork model, int epoch) {
        double learningRate = config.learningRateAt(epoch);
        assembledBeforeEpoch = data.assembled();
        routedBeforeEpoch = data.routedBytes();
        double reshuffleSeconds = 0;
        if (config.reshuffle() && epoch > 1) {
            // A new seeded split every epoch, so that each worker sees other examples; derived from the seed and
            // the epoch alone, so a resumed run or a retried task gets the same split. The executors exchange
            // the examples among themselves; resplit builds the new shards at once, so this times all of it.
            long reshuffleStart = System.nanoTime();
            TrainingData previous = data;
            data = previous.resplit(previous.plan().reshuffled(config.seed() * 31 + epoch));
            previous.close();
            reshuffleSeconds = (System.nanoTime() - reshuffleStart) / 1e9;
            assembledBeforeEpoch = 0;
            routedBeforeEpoch = 0;
        }
        double lossSum = 0;
        long examples = 0;
        List<LossSample> samples = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ParameterSnapshot startValue = driverStep.workersStart(ParameterSnapshot.of(model));
            Broadcast<ParameterSnapshot> start = spark.broadcast(startValue);
            WorkerUpdate sum;
            try {
                spark.setJobDescription(progress.jobDescription(epoch, round, rounds));
                sum = OrderedReduce.reduce(data.shards().map(localSgd(start, config, epoch, round, learningRate,
                        progress.reporter())), WorkerUpdate::merge);
            } finally {
                // also when the round fails or is cancelled: a notebook's context outlives the run
                start.destroy();
            }
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
     * Says where the epoch's training data came from: executor memory; the data's origin (first use, or a lost
     * executor's shard rebuilt); or, with {@code --reshuffle}, a new split exchanged between the executors.
     */
    @Override
    public Optional<String> dataReport(int epoch) {
        long built = data.assembled() - assembledBeforeEpoch;
        double routedMb = (data.routedBytes() - routedBeforeEpoch) / 1e6;
        CachedStorage storage = data.storage();
        String why = built == 0 ? "all from executor memory"
                : config.reshuffle() && epoch > 1 ? String.format("--reshuffle: a new split, %.1f MB moved between"
                        + " executors through Spark's shuffle, none through the driver", routedMb)
                : assembledBeforeEpoch == 0 ? String.format("first use: from %s, %.1f MB routed to the workers"
                        + " through Spark's shuffle", data.origin(), routedMb)
                : "an executor was lost or dropped its copy, so its shard was rebuilt";
        return Optional.of(String.format("Data: epoch %d built %d training shard(s) (%s); %d of %d cached in"
                        + " executor memory, %.1f MB", epoch, built, why, storage.cachedPartitions(),
                storage.partitions(), storage.bytes() / 1e6));
    }

    @Override
    public long cachedTrainingBytes() {
        return data.storage().bytes();
    }

    @Override
    public void close() {
        data.close();
    }
}
