package dev.fashiontrainer.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.Choice;
import dev.fashiontrainer.config.Defaults;
import dev.fashiontrainer.config.EngineKind;
import dev.fashiontrainer.config.HiddenActivation;
import dev.fashiontrainer.config.LocalStepKind;
import dev.fashiontrainer.config.LossKind;
import dev.fashiontrainer.config.OptimizerKind;
import dev.fashiontrainer.config.ScalingKind;
import dev.fashiontrainer.config.ScheduleKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.config.WeightInitKind;
import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.eval.DistributedEvaluator;
import dev.fashiontrainer.eval.EvaluationResult;
import dev.fashiontrainer.model.MlpWeights;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.NetworkShape;
import dev.fashiontrainer.report.EpochMetrics;
import dev.fashiontrainer.train.EpochResult;
import dev.fashiontrainer.train.TrainingEngine;

/**
 * The trainer as an MLlib estimator, a drop-in successor to MLlib's {@code MultilayerPerceptronClassifier}:
 * {@code fit} trains a dense network on a DataFrame with the same engine, settings and defaults as the command
 * line, and returns a {@link DistributedMlpClassificationModel}. MLlib's setters ({@code setLayers},
 * {@code setMaxIter}, {@code setBlockSize}, {@code setStepSize}, {@code setSeed}, {@code setTol},
 * {@code setSolver}, {@code setInitialWeights}) mean what they mean there.
 *
 * <p>Input: a features column of MLlib {@code Vector}s of any one size (finite numbers; 8-bit pixels scaled to
 * [0, 1] are kept as bytes) and a label column of class indices 0..K-1, K from the column's ML attribute
 * ({@code StringIndexer}'s) or the data. Every setting of the command line that concerns training is a param with the flag's meaning; a
 * param left unset takes its value from the recipe ({@link #setRecipe}), exactly as a flag left out does, so the
 * same settings on the same rows (in the same order) give the same parameters as {@code submit/local.sh}.
 *
 * <p>With {@link #setValidationIndicatorCol}, the rows marked true are held out and evaluated after every epoch,
 * as the command line evaluates the test set; the model's {@link DistributedMlpClassificationModel#summary()}
 * holds the per-epoch metrics either way.
 */
public final class DistributedMlpClassifier
        extends ProbabilisticClassifier<Vector, DistributedMlpClassifier, DistributedMlpClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final TrainingConfig SEED = TrainingConfig.defaults("seed").build();
    private static final TrainingConfig FAST = TrainingConfig.defaults("fast").build();

    private String uid; // no initializer: uid() assigns it while the superclass is being built (see StageUid)

    private final Param<String> recipe = new Param<>(this, "recipe", "preset the unset params come from: "
            + String.join(" or ", Defaults.RECIPES) + " (default: " + Defaults.DEFAULT_RECIPE + ")",
            ParamValidators.inArray(Defaults.RECIPES.toArray(String[]::new)));
    private final IntParam epochs = new IntParam(this, "epochs", "passes over the training set"
            + recipeDefaults(TrainingConfig::epochs), ParamValidators.gt(0));
    private final IntParam batchSize = new IntParam(this, "batchSize", "examples per local SGD step"
            + recipeDefaults(TrainingConfig::batchSize), ParamValidators.gt(0));
    private final DoubleParam learningRate = new DoubleParam(this, "learningRate", "step size before scaling,"
            + " warm-up and schedule" + recipeDefaults(TrainingConfig::learningRate), ParamValidators.gt(0));
    private final IntParam workers = new IntParam(this, "workers", "partitions of the training set, each trained"
            + " by one Spark task" + recipeDefaults(TrainingConfig::workers), ParamValidators.gt(0));
    private final LongParam seed = new LongParam(this, "seed", "seeds initialization, the shuffle and every"
            + " per-epoch order" + recipeDefaults(TrainingConfig::seed));
    private final IntArrayParam layers = new IntArrayParam(this, "layers", "the network's widths as MLlib's"
            + " MultilayerPerceptronClassifier takes them: input width, hidden widths, class count (default: the"
            + " features' width and the label's classes around hiddenLayers)");
    private final IntArrayParam hiddenLayers = new IntArrayParam(this, "hiddenLayers", "the hidden layers' widths"
            + " when layers is not set" + recipeDefaults(TrainingConfig::hiddenLayers));
    private final Param<String> activation = choice("activation", "the hidden layers' nonlinearity",
            HiddenActivation.class, TrainingConfig::activation);
    private final DoubleParam tol = new DoubleParam(this, "tol", "stop when an epoch lowers the training loss by"
            + " less than this fraction of it, as MLlib's tol (default: 0, every epoch runs)", ParamValidators.gtEq(0));
    private final Param<Vector> initialWeights = new Param<>(this, "initialWeights", "the weights to start from,"
            + " in MLlib's layout (see DistributedMlpClassificationModel.weights), instead of the initialization");
    private final IntParam averagingFrequency = new IntParam(this, "averagingFrequency", "minibatches per worker"
            + " between two averagings, 0 for once per epoch, " + TrainingConfig.AUTO_AVERAGING + " for workers/2"
            + " times per epoch" + recipeDefaults(TrainingConfig::averagingFrequency),
            ParamValidators.gtEq(TrainingConfig.AUTO_AVERAGING));
    private final Param<String> optimizer = choice("optimizer", "optimizer of the local steps",
            OptimizerKind.class, TrainingConfig::optimizer);
    private final Param<String> loss = choice("loss", "loss function", LossKind.class, TrainingConfig::loss);
    private final Param<String> init = choice("init", "weight initialization", WeightInitKind.class,
            TrainingConfig::init);
    private final DoubleParam momentum = new DoubleParam(this, "momentum", "momentum of the nesterov optimizer, in"
            + " [0, 1)" + recipeDefaults(TrainingConfig::momentum), ParamValidators.inRange(0, 1, true, false));
    private final DoubleParam blockMomentum = new DoubleParam(this, "blockMomentum", "momentum of the driver's step"
            + " from one average to the next, in [0, 1) (default: 0 in the seed recipe, 1 - 1/workers in the fast"
            + " one)", ParamValidators.inRange(0, 1, true, false));
    private final BooleanParam shuffle = new BooleanParam(this, "shuffle", "shuffle the rows once before"
            + " splitting them across the workers" + recipeDefaults(TrainingConfig::shuffle));
    private final BooleanParam reshuffle = new BooleanParam(this, "reshuffle", "re-split the rows across the"
            + " workers every epoch" + recipeDefaults(TrainingConfig::reshuffle));
    private final BooleanParam reorder = new BooleanParam(this, "reorder", "visit each worker's rows in a new"
            + " order every epoch, moving none between workers" + recipeDefaults(TrainingConfig::reorder));
    private final Param<String> learningRateScaling = choice("learningRateScaling", "how the learning rate grows"
            + " with the number of workers", ScalingKind.class, TrainingConfig::learningRateScaling);
    private final IntParam warmupEpochs = new IntParam(this, "warmupEpochs", "epochs over which a scaled learning"
            + " rate ramps up" + recipeDefaults(TrainingConfig::warmupEpochs), ParamValidators.gtEq(0));
    private final Param<String> schedule = choice("schedule", "how the learning rate changes after warm-up",
            ScheduleKind.class, TrainingConfig::schedule);
    private final Param<String> engine = choice("engine", "which implementation trains", EngineKind.class,
            TrainingConfig::engine);
    private final Param<String> localStep = choice("localStep", "how the spark engine's workers compute a step",
            LocalStepKind.class, TrainingConfig::localStep);
    private final Param<String> validationIndicatorCol = new Param<>(this, "validationIndicatorCol", "name of a"
            + " boolean column; rows where it is true are held out and evaluated after every epoch (default: none)");

    /** A classifier with every setting from the seed recipe. */
    public DistributedMlpClassifier() {
        this((Void) null);
    }

    /** @param uid the stage's uid, as MLlib's readers and {@code copy} pass it */
    public DistributedMlpClassifier(String uid) {
        this(StageUid.announce(uid));
    }

    private DistributedMlpClassifier(Void uidAnnounced) {
        setDefault(recipe, Defaults.DEFAULT_RECIPE);
        setDefault(tol, 0.0);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = StageUid.claim("distributedMlp");
        }
        return uid;
    }

    /** @return a reader for classifiers saved with {@code write().save(path)} */
    public static MLReader<DistributedMlpClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** @return a classifier saved at {@code path} */
    public static DistributedMlpClassifier load(String path) {
        return read().load(path);
    }

    /**
     * @return the settings {@code fit} will train with: the recipe's, overridden by every param that was set
     * @throws dev.fashiontrainer.config.ConfigException when two settings cannot be combined
     */
    public TrainingConfig trainingConfig() {
        TrainingConfig.Builder builder = TrainingConfig.defaults(getRecipe());
        if (isSet(epochs)) {
            builder.epochs(getEpochs());
        }
        if (isSet(batchSize)) {
            builder.batchSize(getBatchSize());
        }
        if (isSet(learningRate)) {
            builder.learningRate(getLearningRate());
        }
        if (isSet(workers)) {
            builder.workers(getWorkers());
        }
        if (isSet(seed)) {
            builder.seed(getSeed());
        }
        if (isSet(layers)) {
            builder.layers(Arrays.stream(getLayers()).boxed().toList());
        }
        if (isSet(hiddenLayers)) {
            builder.hiddenLayers(Arrays.stream(getHiddenLayers()).boxed().toList());
        }
        if (isSet(activation)) {
            builder.activation(Choice.parse(HiddenActivation.class, getActivation()));
        }
        if (isSet(averagingFrequency)) {
            builder.averagingFrequency(getAveragingFrequency());
        }
        if (isSet(optimizer)) {
            builder.optimizer(Choice.parse(OptimizerKind.class, getOptimizer()));
        }
        if (isSet(loss)) {
            builder.loss(Choice.parse(LossKind.class, getLoss()));
        }
        if (isSet(init)) {
            builder.init(Choice.parse(WeightInitKind.class, getInit()));
        }
        if (isSet(momentum)) {
            builder.momentum(getMomentum());
        }
        if (isSet(blockMomentum)) {
            builder.blockMomentum(getBlockMomentum());
        }
        if (isSet(shuffle)) {
            builder.shuffle(getShuffle());
        }
        if (isSet(reshuffle)) {
            builder.reshuffle(getReshuffle());
        }
        if (isSet(reorder)) {
            builder.reorder(getReorder());
        }
        if (isSet(learningRateScaling)) {
            builder.learningRateScaling(Choice.parse(ScalingKind.class, getLearningRateScaling()));
        }
        if (isSet(warmupEpochs)) {
            builder.warmupEpochs(getWarmupEpochs());
        }
        if (isSet(schedule)) {
            builder.schedule(Choice.parse(ScheduleKind.class, getSchedule()));
        }
        if (isSet(engine)) {
            builder.engine(Choice.parse(EngineKind.class, getEngine()));
        }
        if (isSet(localStep)) {
            builder.localStep(Choice.parse(LocalStepKind.class, getLocalStep()));
        }
        return builder.build();
    }

    /**
     * Trains on the rows of {@code dataset} (their features and label columns; the validation rows apart) with the
     * command line's engine, one epoch at a time, evaluating the validation rows after each epoch when there are any.
     * The input is cached for the fit when it is not already, so that the rows numbered in one pass are the rows
     * trained on in the next.
     */
    @Override
    public DistributedMlpClassificationModel train(Dataset<?> dataset) {
        TrainingConfig requested = trainingConfig();
        boolean cacheHere = dataset.storageLevel().equals(StorageLevel.NONE());
        Dataset<?> input = cacheHere ? dataset.persist(StorageLevel.MEMORY_AND_DISK()) : dataset;
        try {
            return train(input, requested);
        } finally {
            if (cacheHere) {
                input.unpersist(false);
            }
        }
    }

    private DistributedMlpClassificationModel train(Dataset<?> dataset, TrainingConfig requested) {
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Dataset<?> trainRows = dataset;
        Dataset<?> validationRows = null;
        if (isDefined(validationIndicatorCol)) {
            Column indicator = functions.col(getValidationIndicatorCol());
            if (!dataset.filter(indicator.isNull()).isEmpty()) {
                throw new DataException("column '" + getValidationIndicatorCol() + "': expected true or false on every"
                        + " row, found null; fill the nulls (false trains on the row) before fit");
            }
            trainRows = dataset.filter(functions.not(indicator));
            validationRows = dataset.filter(indicator);
        }
        DataFrameInput.Shape shape = DataFrameInput.measure(dataset, getFeaturesCol(), getLabelCol());
        TrainingConfig config = NetworkShape.resolve(requested, shape.width(), shape.classes());
        LabeledImages validation = validationRows == null ? null
                : DataFrameInput.collect(validationRows, shape, getFeaturesCol(), getLabelCol());
        TrainingData data = DataFrameInput.trainingData(trainRows, shape, getFeaturesCol(), getLabelCol(), config);
        MultiLayerNetwork network = NetworkFactory.create(config);
        if (isDefined(initialWeights)) {
            MlpWeights.apply(getInitialWeights(), network);
        }
        List<EpochMetrics> metrics = new ArrayList<>();
        try (TrainingEngine trainer = TrainingEngine.create(spark, config, data);
             DistributedEvaluator evaluator = validation == null || validation.size() == 0 ? null
                     : new DistributedEvaluator(spark, network.getLayerWiseConfigurations(), validation,
                             config.workers())) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                EpochResult trained = trainer.trainEpoch(network, epoch);
                long evaluationStart = System.nanoTime();
                double trainSeconds = (evaluationStart - start) / 1e9;
                EvaluationResult evaluated = evaluator == null ? null : evaluator.evaluate(network);
                long end = System.nanoTime();
                metrics.add(new EpochMetrics(epoch, trained.trainLoss(),
                        evaluated == null ? Double.NaN : evaluated.averageLoss(),
                        evaluated == null ? Double.NaN : evaluated.accuracy(), (end - start) / 1e9,
                        trained.examples() / trainSeconds, config.learningRateAt(epoch), trained.averagingRounds(),
                        (end - evaluationStart) / 1e9, trained.reshuffleSeconds(), List.of(), null, null));
                if (converged(metrics)) {
                    break;
                }
            }
        }
        return new DistributedMlpClassificationModel(uid(), config, network, shape.classNames(),
                new DistributedMlpTrainingSummary(metrics));
    }

    /** MLlib's {@code tol}: whether the last epoch lowered the training loss by less than that share of it. */
    private boolean converged(List<EpochMetrics> metrics) {
        if (getTol() == 0 || metrics.size() < 2) {
            return false;
        }
        double before = metrics.get(metrics.size() - 2).trainLoss();
        double now = metrics.get(metrics.size() - 1).trainLoss();
        return before - now < getTol() * Math.abs(before);
    }

    /** Checks the features and label columns (and the validation column when set) before any job runs. */
    @Override
    public StructType transformSchema(StructType schema) {
        InputColumns.requireFeatures(schema, getFeaturesCol());
        InputColumns.requireLabel(schema, getLabelCol());
        if (isDefined(validationIndicatorCol)) {
            InputColumns.requireIndicator(schema, getValidationIndicatorCol());
        }
        return super.transformSchema(schema);
    }

    @Override
    public DistributedMlpClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** @return the recipe the unset params come from */
    public String getRecipe() {
        return (String) getOrDefault(recipe);
    }

    /** @param value {@code seed} or {@code fast} */
    public DistributedMlpClassifier setRecipe(String value) {
        return (DistributedMlpClassifier) set(recipe, value);
    }

    /** @return passes over the training set */
    public int getEpochs() {
        return resolved(epochs, TrainingConfig::epochs);
    }

    /** @param value passes over the training set, positive */
    public DistributedMlpClassifier setEpochs(int value) {
        return (DistributedMlpClassifier) set(epochs, value);
    }

    /** @return examples per local SGD step */
    public int getBatchSize() {
        return resolved(batchSize, TrainingConfig::batchSize);
    }

    /** @param value examples per local SGD step, positive */
    public DistributedMlpClassifier setBatchSize(int value) {
        return (DistributedMlpClassifier) set(batchSize, value);
    }

    /** @return the step size before scaling, warm-up and schedule */
    public double getLearningRate() {
        return resolved(learningRate, TrainingConfig::learningRate);
    }

    /** @param value the step size before scaling, warm-up and schedule, positive */
    public DistributedMlpClassifier setLearningRate(double value) {
        return (DistributedMlpClassifier) set(learningRate, value);
    }

    /** @return partitions of the training set, each trained by one Spark task */
    public int getWorkers() {
        return resolved(workers, TrainingConfig::workers);
    }

    /** @param value partitions of the training set, positive and at most the number of training rows */
    public DistributedMlpClassifier setWorkers(int value) {
        return (DistributedMlpClassifier) set(workers, value);
    }

    /** @return the seed of initialization, the shuffle and every per-epoch order */
    public long getSeed() {
        return resolved(seed, TrainingConfig::seed);
    }

    /** @param value seeds initialization, the shuffle and every per-epoch order */
    public DistributedMlpClassifier setSeed(long value) {
        return (DistributedMlpClassifier) set(seed, value);
    }

    /** @return minibatches per worker between two averagings, 0 for once per epoch */
    public int getAveragingFrequency() {
        return resolved(averagingFrequency, TrainingConfig::averagingFrequency);
    }

    /**
     * @param value minibatches per worker between two averagings, 0 for once per epoch,
     *     {@link TrainingConfig#AUTO_AVERAGING} for workers/2 times per epoch
     */
    public DistributedMlpClassifier setAveragingFrequency(int value) {
        return (DistributedMlpClassifier) set(averagingFrequency, value);
    }

    /** @return {@code sgd}, {@code nesterov} or {@code adam} */
    public String getOptimizer() {
        return resolved(optimizer, c -> c.optimizer().cliName());
    }

    /** @param value {@code sgd}, {@code nesterov} or {@code adam} */
    public DistributedMlpClassifier setOptimizer(String value) {
        return (DistributedMlpClassifier) set(optimizer, value);
    }

    /** @return {@code cross-entropy}, {@code nll} or {@code mse} */
    public String getLoss() {
        return resolved(loss, c -> c.loss().cliName());
    }

    /** @param value {@code cross-entropy}, {@code nll} or {@code mse} */
    public DistributedMlpClassifier setLoss(String value) {
        return (DistributedMlpClassifier) set(loss, value);
    }

    /** @return {@code pytorch}, {@code he} or {@code xavier} */
    public String getInit() {
        return resolved(init, c -> c.init().cliName());
    }

    /** @param value weight initialization: {@code pytorch}, {@code he} or {@code xavier} */
    public DistributedMlpClassifier setInit(String value) {
        return (DistributedMlpClassifier) set(init, value);
    }

    /** @return momentum of the nesterov optimizer */
    public double getMomentum() {
        return resolved(momentum, TrainingConfig::momentum);
    }

    /** @param value momentum of the nesterov optimizer, in [0, 1) */
    public DistributedMlpClassifier setMomentum(double value) {
        return (DistributedMlpClassifier) set(momentum, value);
    }

    /** @return momentum of the driver's step between averages */
    public double getBlockMomentum() {
        if (isSet(blockMomentum)) {
            return resolved(blockMomentum, TrainingConfig::blockMomentum);
        }
        // unset, it is what fit trains with: the fast recipe's "auto" depends on this estimator's workers
        return trainingConfig().blockMomentum();
    }

    /** @param value momentum of the driver's step between averages, in [0, 1) */
    public DistributedMlpClassifier setBlockMomentum(double value) {
        return (DistributedMlpClassifier) set(blockMomentum, value);
    }

    /** @return whether the rows are shuffled once before they are split across the workers */
    public boolean getShuffle() {
        return resolved(shuffle, TrainingConfig::shuffle);
    }

    /** @param value shuffle the rows once before splitting them across the workers */
    public DistributedMlpClassifier setShuffle(boolean value) {
        return (DistributedMlpClassifier) set(shuffle, value);
    }

    /** @return whether the rows are re-split across the workers every epoch */
    public boolean getReshuffle() {
        return resolved(reshuffle, TrainingConfig::reshuffle);
    }

    /** @param value re-split the rows across the workers every epoch */
    public DistributedMlpClassifier setReshuffle(boolean value) {
        return (DistributedMlpClassifier) set(reshuffle, value);
    }

    /** @return whether each worker visits its rows in a new order every epoch */
    public boolean getReorder() {
        return resolved(reorder, TrainingConfig::reorder);
    }

    /** @param value visit each worker's rows in a new order every epoch, moving none between workers */
    public DistributedMlpClassifier setReorder(boolean value) {
        return (DistributedMlpClassifier) set(reorder, value);
    }

    /** @return {@code none}, {@code linear} or {@code sqrt} */
    public String getLearningRateScaling() {
        return resolved(learningRateScaling, c -> c.learningRateScaling().cliName());
    }

    /** @param value how the learning rate grows with the workers: {@code none}, {@code linear} or {@code sqrt} */
    public DistributedMlpClassifier setLearningRateScaling(String value) {
        return (DistributedMlpClassifier) set(learningRateScaling, value);
    }

    /** @return epochs over which a scaled learning rate ramps up */
    public int getWarmupEpochs() {
        return resolved(warmupEpochs, TrainingConfig::warmupEpochs);
    }

    /** @param value epochs over which a scaled learning rate ramps up, 0 or more */
    public DistributedMlpClassifier setWarmupEpochs(int value) {
        return (DistributedMlpClassifier) set(warmupEpochs, value);
    }

    /** @return {@code constant} or {@code cosine} */
    public String getSchedule() {
        return resolved(schedule, c -> c.schedule().cliName());
    }

    /** @param value how the learning rate changes after warm-up: {@code constant} or {@code cosine} */
    public DistributedMlpClassifier setSchedule(String value) {
        return (DistributedMlpClassifier) set(schedule, value);
    }

    /** @return {@code spark} (ours) or {@code dl4j} (DL4J's parameter averaging) */
    public String getEngine() {
        return resolved(engine, c -> c.engine().cliName());
    }

    /** @param value which implementation trains: {@code spark} or {@code dl4j} */
    public DistributedMlpClassifier setEngine(String value) {
        return (DistributedMlpClassifier) set(engine, value);
    }

    /** @return {@code auto}, {@code dl4j} or {@code lean} */
    public String getLocalStep() {
        return resolved(localStep, c -> c.localStep().cliName());
    }

    /** @param value how the spark engine's workers compute a step: {@code auto}, {@code dl4j} or {@code lean} */
    public DistributedMlpClassifier setLocalStep(String value) {
        return (DistributedMlpClassifier) set(localStep, value);
    }

    /** @return the network's widths (MLlib's layers), or the empty array when they come from the data */
    public int[] getLayers() {
        return isSet(layers) ? getOrDefault(layers) : new int[0];
    }

    /**
     * MLlib's {@code layers}: input width, hidden widths, class count, checked against the data when fit.
     *
     * @param value at least two positive widths
     */
    public DistributedMlpClassifier setLayers(int[] value) {
        TrainingConfig.defaults(null).layers(Arrays.stream(value).boxed().toList()); // one message for bad widths
        return (DistributedMlpClassifier) set(layers, value);
    }

    /** @return the hidden layers' widths when layers is not set */
    public int[] getHiddenLayers() {
        return isSet(hiddenLayers) ? getOrDefault(hiddenLayers)
                : resolved(hiddenLayers, c -> c.hiddenLayers().stream().mapToInt(Integer::intValue).toArray());
    }

    /** @param value the hidden layers' widths, each positive (empty: no hidden layer) */
    public DistributedMlpClassifier setHiddenLayers(int[] value) {
        TrainingConfig.defaults(null).hiddenLayers(Arrays.stream(value).boxed().toList());
        return (DistributedMlpClassifier) set(hiddenLayers, value);
    }

    /** @return {@code relu}, {@code sigmoid} or {@code tanh} */
    public String getActivation() {
        return resolved(activation, c -> c.activation().cliName());
    }

    /** @param value the hidden layers' nonlinearity: {@code relu}, {@code sigmoid} (MLlib's) or {@code tanh} */
    public DistributedMlpClassifier setActivation(String value) {
        return (DistributedMlpClassifier) set(activation, value);
    }

    /** @return MLlib's convergence tolerance (0: every epoch runs) */
    public double getTol() {
        return (double) getOrDefault(tol);
    }

    /**
     * MLlib's {@code tol}: stop after an epoch that lowered the training loss by less than this share of it.
     *
     * @param value 0 or more
     */
    public DistributedMlpClassifier setTol(double value) {
        return (DistributedMlpClassifier) set(tol, value);
    }

    /** @return the weights training starts from (defined only when set) */
    public Vector getInitialWeights() {
        return getOrDefault(initialWeights);
    }

    /** @param value weights in MLlib's layout, as {@link DistributedMlpClassificationModel#weights()} gives them */
    public DistributedMlpClassifier setInitialWeights(Vector value) {
        return (DistributedMlpClassifier) set(initialWeights, value);
    }

    /** MLlib's name for {@link #setEpochs}: passes over the training set. */
    public DistributedMlpClassifier setMaxIter(int value) {
        return setEpochs(value);
    }

    /** @return MLlib's name for {@link #getEpochs} */
    public int getMaxIter() {
        return getEpochs();
    }

    /** MLlib's name for {@link #setBatchSize}: examples per minibatch (MLlib stacks blockSize rows per product). */
    public DistributedMlpClassifier setBlockSize(int value) {
        return setBatchSize(value);
    }

    /** @return MLlib's name for {@link #getBatchSize} */
    public int getBlockSize() {
        return getBatchSize();
    }

    /** MLlib's name for {@link #setLearningRate}. */
    public DistributedMlpClassifier setStepSize(double value) {
        return setLearningRate(value);
    }

    /** @return MLlib's name for {@link #getLearningRate} */
    public double getStepSize() {
        return getLearningRate();
    }

    /**
     * MLlib's solver, as this trainer's optimizer: {@code gd} (plain minibatch SGD; MLlib's is full-batch),
     * {@code sgd}, {@code nesterov} or {@code adam}.
     *
     * @throws IllegalArgumentException for {@code l-bfgs}, saying what to use instead
     */
    public DistributedMlpClassifier setSolver(String value) {
        if ("l-bfgs".equalsIgnoreCase(value)) {
            throw new IllegalArgumentException("solver l-bfgs is MLlib's full-batch method; this trainer steps on"
                    + " minibatches: use adam (the fast recipe's), or gd for plain gradient descent");
        }
        return setOptimizer("gd".equalsIgnoreCase(value) ? OptimizerKind.SGD.cliName() : value);
    }

    /** @return the optimizer, in MLlib's solver names where they exist ({@code gd} for plain SGD) */
    public String getSolver() {
        String optimizer = getOptimizer();
        return OptimizerKind.SGD.cliName().equals(optimizer) ? "gd" : optimizer;
    }

    /** @return the boolean column marking validation rows (defined only when set) */
    public String getValidationIndicatorCol() {
        return (String) getOrDefault(validationIndicatorCol);
    }

    /** @param value a boolean column; rows where it is true are evaluated after every epoch, not trained on */
    public DistributedMlpClassifier setValidationIndicatorCol(String value) {
        return (DistributedMlpClassifier) set(validationIndicatorCol, value);
    }

    // MLlib finds a stage's params through its public methods that return a Param: one per param.

    /** @return the recipe param */
    public Param<String> recipe() {
        return recipe;
    }

    /** @return the epochs param */
    public IntParam epochs() {
        return epochs;
    }

    /** @return the batch size param */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the learning rate param */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** @return the workers param */
    public IntParam workers() {
        return workers;
    }

    /** @return the seed param */
    public LongParam seed() {
        return seed;
    }

    /** @return the averaging frequency param */
    public IntParam averagingFrequency() {
        return averagingFrequency;
    }

    /** @return the optimizer param */
    public Param<String> optimizer() {
        return optimizer;
    }

    /** @return the loss param */
    public Param<String> loss() {
        return loss;
    }

    /** @return the initialization param */
    public Param<String> init() {
        return init;
    }

    /** @return the momentum param */
    public DoubleParam momentum() {
        return momentum;
    }

    /** @return the block momentum param */
    public DoubleParam blockMomentum() {
        return blockMomentum;
    }

    /** @return the shuffle param */
    public BooleanParam shuffle() {
        return shuffle;
    }

    /** @return the reshuffle param */
    public BooleanParam reshuffle() {
        return reshuffle;
    }

    /** @return the reorder param */
    public BooleanParam reorder() {
        return reorder;
    }

    /** @return the learning rate scaling param */
    public Param<String> learningRateScaling() {
        return learningRateScaling;
    }

    /** @return the warm-up param */
    public IntParam warmupEpochs() {
        return warmupEpochs;
    }

    /** @return the schedule param */
    public Param<String> schedule() {
        return schedule;
    }

    /** @return the engine param */
    public Param<String> engine() {
        return engine;
    }

    /** @return the local step param */
    public Param<String> localStep() {
        return localStep;
    }

    /** @return the layers param (MLlib's) */
    public IntArrayParam layers() {
        return layers;
    }

    /** @return the hidden layers param */
    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    /** @return the activation param */
    public Param<String> activation() {
        return activation;
    }

    /** @return the tolerance param (MLlib's) */
    public DoubleParam tol() {
        return tol;
    }

    /** @return the initial weights param (MLlib's) */
    public Param<Vector> initialWeights() {
        return initialWeights;
    }

    /** @return the validation indicator column param */
    public Param<String> validationIndicatorCol() {
        return validationIndicatorCol;
    }

    /** The param's value when set, otherwise the recipe's. */
    @SuppressWarnings("unchecked")
    private <T> T resolved(Param<?> param, Function<TrainingConfig, T> fromRecipe) {
        return isSet(param) ? (T) getOrDefault(param) : fromRecipe.apply(TrainingConfig.defaults(getRecipe()).build());
    }

    private <E extends Enum<E> & Choice> Param<String> choice(String name, String doc, Class<E> type,
                                                              Function<TrainingConfig, E> fromRecipe) {
        String[] spellings = Choice.spellings(type).split(", ");
        return new Param<>(this, name, doc + ": " + String.join(", ", spellings)
                + recipeDefaults(c -> fromRecipe.apply(c).cliName()), ParamValidators.inArray(spellings));
    }

    private static String recipeDefaults(Function<TrainingConfig, Object> value) {
        Object seedValue = value.apply(SEED);
        Object fastValue = value.apply(FAST);
        return seedValue.equals(fastValue) ? " (default: " + seedValue + ")"
                : " (default: " + seedValue + " in the seed recipe, " + fastValue + " in the fast one)";
    }
}
