package dev.fashiontrainer.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(SparkAveragingEngine.class);
    private final JavaSparkContext spark;
    private final TrainingConfig config;
    private TrainingData data;
    private final int batches;
    private int perRound;
    private boolean tree;
    /** With {@code --averaging-frequency auto}: what epoch 1's measurements chose, null until then. */
    private AveragingChoice choice;
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
        this.batches = (largest + config.batchSize() - 1) / config.batchSize();
        this.perRound = config.batchesPerRound(largest);
        this.tree = config.reduction().tree(config.workers());
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
        // Each round: its first minibatch, the one after its last, and its path.
        List<int[]> plan = new ArrayList<>();
        boolean measuring = config.averagingFrequency() == TrainingConfig.AUTO_AVERAGING && choice == null;
        if (measuring) {
            plan = measuringPlan();
        } else {
            for (int first = 0; first < batches; first += perRound) {
                plan.add(new int[] {first, first + perRound, tree ? 1 : 0});
            }
        }
        double[] seconds = new double[plan.size()];
        double lossSum = 0;
        long examples = 0;
        List<LossSample> samples = new ArrayList<>();
        for (int round = 0; round < plan.size(); round++) {
            long roundStart = System.nanoTime();
            int[] batchRange = plan.get(round);
            ParameterSnapshot startValue = driverStep.workersStart(ParameterSnapshot.of(model));
            Broadcast<ParameterSnapshot> start = spark.broadcast(startValue);
            WorkerUpdate sum;
            try {
                spark.setJobDescription(progress.jobDescription(epoch, round, plan.size()));
                // A planned round names its minibatches; otherwise each worker slices its own shard by the
                // setting, as it always did (half-workers rounds its share per shard).
                Function<TrainingShard, WorkerUpdate> work = config.averagingFrequency() == TrainingConfig.AUTO_AVERAGING
                        ? localSgd(start, config, epoch, batchRange[0], batchRange[1], learningRate,
                                progress.reporter())
                        : localSgd(start, config, epoch, round, learningRate, progress.reporter());
                sum = OrderedReduce.reduce(data.shards().map(work), WorkerUpdate::merge, batchRange[2] == 1);
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
            seconds[round] = (System.nanoTime() - roundStart) / 1e9;
        }
        if (measuring) {
            choose(plan, seconds);
        }
        return new EpochResult(lossSum / examples, examples, plan.size(), samples, reshuffleSeconds);
    }

    /**
     * Epoch 1 with {@code --averaging-frequency auto}: a first round that warms up (JIT, native libraries), a
     * round of one minibatch sent directly, one of one minibatch through the tree, and a last round of the rest,
     * sent directly. The last and the second differ only in their minibatches, which gives the cluster's seconds
     * per minibatch step; without them, the two one-minibatch rounds give each path's cost. Too few minibatches
     * to measure: one round, direct.
     */
    private List<int[]> measuringPlan() {
        if (batches < 6) {
            return List.<int[]>of(new int[] {0, batches, 0});
        }
        int warmUp = (batches - 2) / 2;
        return List.of(new int[] {0, warmUp, 0}, new int[] {warmUp, warmUp + 1, 0},
                new int[] {warmUp + 1, warmUp + 2, 1}, new int[] {warmUp + 2, batches, 0});
    }

    private void choose(List<int[]> plan, double[] seconds) {
        if (plan.size() == 1) {
            choice = AveragingChoice.choose(seconds[0], Double.POSITIVE_INFINITY, 0, config.communicationShare(),
                    batches);
        } else {
            int rest = plan.get(3)[1] - plan.get(3)[0];
            double minibatch = Math.max(0, (seconds[3] - seconds[1]) / (rest - 1));
            choice = AveragingChoice.choose(seconds[1] - minibatch, seconds[2] - minibatch, minibatch,
                    config.communicationShare(), batches);
        }
        adopt(choice);
        LOG.info(choice.describe());
    }

    private void adopt(AveragingChoice chosen) {
        this.choice = chosen;
        this.perRound = chosen.minibatchesPerRound();
        this.tree = chosen.tree();
    }

    @Override
    public Optional<Map<String, Object>> averagingChoice() {
        return Optional.ofNullable(choice).map(AveragingChoice::toMap);
    }

    // A static factory so the closure captures only these values, never the engine or the driver's context.
    private static Function<TrainingShard, WorkerUpdate> localSgd(Broadcast<ParameterSnapshot> start,
            TrainingConfig config, int epoch, int round, double learningRate, MinibatchReporter reporter) {
        return shard -> LocalSgd.train(shard, start.value(), config, epoch, round, learningRate, reporter);
    }

    private static Function<TrainingShard, WorkerUpdate> localSgd(Broadcast<ParameterSnapshot> start,
            TrainingConfig config, int epoch, int firstBatch, int endBatch, double learningRate,
            MinibatchReporter reporter) {
        return shard -> LocalSgd.train(shard, start.value(), config, epoch, firstBatch, endBatch, learningRate,
                reporter);
    }

    /** The driver's last step (block momentum), then with {@code auto} the averaging choice's floats. */
    @Override
    public float[] carriedState() {
        float[] step = driverStep.state();
        if (choice == null) {
            return step;
        }
        float[] state = Arrays.copyOf(step, step.length + AveragingChoice.STATE_LENGTH);
        System.arraycopy(choice.toState(), 0, state, step.length, AveragingChoice.STATE_LENGTH);
        return state;
    }

    @Override
    public void restoreCarriedState(float[] state) {
        if (config.averagingFrequency() == TrainingConfig.AUTO_AVERAGING
                && state.length >= AveragingChoice.STATE_LENGTH) {
            int from = state.length - AveragingChoice.STATE_LENGTH;
            adopt(AveragingChoice.fromState(state, from));
            LOG.info("{} (kept from the checkpoint)", choice.describe());
            state = Arrays.copyOf(state, from);
        }
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
