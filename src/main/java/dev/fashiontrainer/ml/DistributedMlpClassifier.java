package dev.fashiontrainer.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
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

import dev.fashiontrainer.config.Defaults;
import dev.fashiontrainer.config.OptimizerKind;
import dev.fashiontrainer.config.TrainingConfig;
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

    private String uid; // no initializer: uid() assigns it while the superclass is being built (see StageUid)

    private final Param<String> recipe = new Param<>(this, "recipe", "preset the unset params come from: "
            + String.join(" or ", Defaults.RECIPES) + " (default: " + Defaults.DEFAULT_RECIPE + ")",
            ParamValidators.inArray(Defaults.RECIPES.toArray(String[]::new)));
    // one param per training setting, declared with the setting (TrainingConfig's @Setting)
    private final SettingParams settings = new SettingParams(this);
    private final DoubleParam tol = new DoubleParam(this, "tol", "stop when an epoch lowers the training loss by"
            + " less than this fraction of it, as MLlib's tol (default: 0, every epoch runs)", ParamValidators.gtEq(0));
    private final Param<Vector> initialWeights = new Param<>(this, "initialWeights", "the weights to start from,"
            + " in MLlib's layout (see DistributedMlpClassificationModel.weights), instead of the initialization");
    private final Param<String> validationIndicatorCol = new Param<>(this, "validationIndicatorCol", "name of a"
            + " boolean column; rows where it is true are held out and evaluated after every epoch (default: none)");
    private transient Param<?>[] allParams;

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
        registerRecipeDefaults();
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = StageUid.claim("distributedMlp");
        }
        return uid;
    }

    /**
     * MLlib's params found on public methods, plus one per training setting: those have no method each, so MLlib's
     * reflection alone would miss them (for {@code explainParams}, {@code copy}, save and load).
     */
    @Override
    public Param<?>[] params() {
        if (allParams == null) {
            Map<String, Param<?>> byName = new TreeMap<>();
            for (Param<?> param : super.params()) {
                byName.put(param.name(), param);
            }
            for (Param<?> param : settings.all()) {
                byName.putIfAbsent(param.name(), param);
            }
            allParams = byName.values().toArray(Param<?>[]::new);
        }
        return allParams;
    }

    /**
     * The recipe's values as the params' defaults, so that {@code getOrDefault} and {@code explainParams} show what
     * fit will use; called whenever the recipe may have changed.
     */
    private void registerRecipeDefaults() {
        TrainingConfig recipeValues = TrainingConfig.defaults(getRecipe()).build();
        for (Param<?> param : settings.all()) {
            setDefaultValue(param, SettingParams.paramValueIn(param, recipeValues)); // blockMomentum's auto is NaN
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void setDefaultValue(Param<T> param, Object value) {
        setDefault(param, (T) value);
    }

    /** @return a reader for classifiers saved with {@code write().save(path)} */
    public static MLReader<DistributedMlpClassifier> read() {
        return new DefaultParamsReader<>() {
            @Override
            public DistributedMlpClassifier load(String path) {
                DistributedMlpClassifier loaded = super.load(path);
                loaded.registerRecipeDefaults();
                return loaded;
            }
        };
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
        for (Param<?> param : settings.all()) {
            if (isSet(param)) {
                builder.with(param.name(), SettingParams.settingValue(getOrDefault(param)));
            }
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
        DataFrameInput.Shape shape = DataFrameInput.measure(dataset, getFeaturesCol(), getLabelCol(), false);
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
        DistributedMlpClassifier copy = defaultCopy(extra);
        copy.registerRecipeDefaults();
        return copy;
    }

    /**
     * @param name a training setting's name, such as {@code workers} ({@code --help} lists them as flags:
     *     {@code --block-momentum-kind} is {@code blockMomentumKind})
     * @return its param
     */
    public Param<?> settingParam(String name) {
        return settings.get(name);
    }

    /**
     * Sets a training setting by name, for the settings without a setter of their own.
     *
     * @param name the setting's name, such as {@code blockMomentumKind}
     * @param value a value of the param's type: a number, a switch, an {@code int[]}, a choice's spelling
     */
    @SuppressWarnings("unchecked")
    public DistributedMlpClassifier setSetting(String name, Object value) {
        return (DistributedMlpClassifier) set((Param<Object>) settings.get(name), value);
    }

    @SuppressWarnings("unchecked")
    private <T> T setting(String name) {
        return (T) getOrDefault(settings.get(name));
    }

    /** @return the recipe the unset params come from */
    public String getRecipe() {
        return (String) getOrDefault(recipe);
    }

    /** @param value {@code seed} or {@code fast} */
    public DistributedMlpClassifier setRecipe(String value) {
        set(recipe, value);
        registerRecipeDefaults();
        return this;
    }

    /** @return passes over the training set */
    public int getEpochs() {
        return setting("epochs");
    }

    /** @param value passes over the training set, positive (MLlib's {@link #setMaxIter}) */
    public DistributedMlpClassifier setEpochs(int value) {
        return setSetting("epochs", value);
    }

    /** @return examples per local SGD step */
    public int getBatchSize() {
        return setting("batchSize");
    }

    /** @param value examples per local SGD step, positive (MLlib's {@link #setBlockSize}) */
    public DistributedMlpClassifier setBatchSize(int value) {
        return setSetting("batchSize", value);
    }

    /** @return the step size before scaling, warm-up and schedule */
    public double getLearningRate() {
        return setting("learningRate");
    }

    /** @param value the step size before scaling, warm-up and schedule, positive (MLlib's {@link #setStepSize}) */
    public DistributedMlpClassifier setLearningRate(double value) {
        return setSetting("learningRate", value);
    }

    /** @return partitions of the training set, each trained by one Spark task */
    public int getWorkers() {
        return setting("workers");
    }

    /** @param value partitions of the training set, positive and at most the number of training rows */
    public DistributedMlpClassifier setWorkers(int value) {
        return setSetting("workers", value);
    }

    /** @return the seed of initialization, the shuffle and every per-epoch order */
    public long getSeed() {
        return setting("seed");
    }

    /** @param value seeds initialization, the shuffle and every per-epoch order */
    public DistributedMlpClassifier setSeed(long value) {
        return setSetting("seed", value);
    }

    /** @return minibatches per worker between two averagings, 0 for once per epoch, -1 for auto */
    public int getAveragingFrequency() {
        return setting("averagingFrequency");
    }

    /**
     * @param value minibatches per worker between two averagings, 0 for once per epoch,
     *     {@link TrainingConfig#AUTO_AVERAGING} for workers/2 times per epoch
     */
    public DistributedMlpClassifier setAveragingFrequency(int value) {
        return setSetting("averagingFrequency", value);
    }

    /** @return {@code sgd}, {@code nesterov} or {@code adam} */
    public String getOptimizer() {
        return setting("optimizer");
    }

    /** @param value {@code sgd}, {@code nesterov} or {@code adam} */
    public DistributedMlpClassifier setOptimizer(String value) {
        return setSetting("optimizer", value);
    }

    /** @return {@code cross-entropy}, {@code nll} or {@code mse} */
    public String getLoss() {
        return setting("loss");
    }

    /** @param value {@code cross-entropy}, {@code nll} or {@code mse} */
    public DistributedMlpClassifier setLoss(String value) {
        return setSetting("loss", value);
    }

    /** @return {@code pytorch}, {@code he} or {@code xavier} */
    public String getInit() {
        return setting("init");
    }

    /** @param value weight initialization: {@code pytorch}, {@code he} or {@code xavier} */
    public DistributedMlpClassifier setInit(String value) {
        return setSetting("init", value);
    }

    /** @return momentum of the nesterov optimizer */
    public double getMomentum() {
        return setting("momentum");
    }

    /** @param value momentum of the nesterov optimizer, in [0, 1) */
    public DistributedMlpClassifier setMomentum(double value) {
        return setSetting("momentum", value);
    }

    /** @return momentum of the driver's step between averages: what fit trains with */
    public double getBlockMomentum() {
        // unset, the fast recipe's "auto" depends on this estimator's workers
        return trainingConfig().effectiveBlockMomentum();
    }

    /** @param value momentum of the driver's step between averages, in [0, 1) */
    public DistributedMlpClassifier setBlockMomentum(double value) {
        return setSetting("blockMomentum", value);
    }

    /** @return whether the rows are shuffled once before they are split across the workers */
    public boolean getShuffle() {
        return setting("shuffle");
    }

    /** @param value shuffle the rows once before splitting them across the workers */
    public DistributedMlpClassifier setShuffle(boolean value) {
        return setSetting("shuffle", value);
    }

    /** @return whether the rows are re-split across the workers every epoch */
    public boolean getReshuffle() {
        return setting("reshuffle");
    }

    /** @param value re-split the rows across the workers every epoch */
    public DistributedMlpClassifier setReshuffle(boolean value) {
        return setSetting("reshuffle", value);
    }

    /** @return whether each worker visits its rows in a new order every epoch */
    public boolean getReorder() {
        return setting("reorder");
    }

    /** @param value visit each worker's rows in a new order every epoch, moving none between workers */
    public DistributedMlpClassifier setReorder(boolean value) {
        return setSetting("reorder", value);
    }

    /** @return {@code none}, {@code linear} or {@code sqrt} */
    public String getLearningRateScaling() {
        return setting("learningRateScaling");
    }

    /** @param value how the learning rate grows with the workers: {@code none}, {@code linear} or {@code sqrt} */
    public DistributedMlpClassifier setLearningRateScaling(String value) {
        return setSetting("learningRateScaling", value);
    }

    /** @return epochs over which a scaled learning rate ramps up */
    public int getWarmupEpochs() {
        return setting("warmupEpochs");
    }

    /** @param value epochs over which a scaled learning rate ramps up, 0 or more */
    public DistributedMlpClassifier setWarmupEpochs(int value) {
        return setSetting("warmupEpochs", value);
    }

    /** @return {@code constant} or {@code cosine} */
    public String getSchedule() {
        return setting("schedule");
    }

    /** @param value how the learning rate changes after warm-up: {@code constant} or {@code cosine} */
    public DistributedMlpClassifier setSchedule(String value) {
        return setSetting("schedule", value);
    }

    /** @return {@code spark} (ours) or {@code dl4j} (DL4J's parameter averaging) */
    public String getEngine() {
        return setting("engine");
    }

    /** @param value which implementation trains: {@code spark} or {@code dl4j} */
    public DistributedMlpClassifier setEngine(String value) {
        return setSetting("engine", value);
    }

    /** @return {@code auto}, {@code dl4j} or {@code lean} */
    public String getLocalStep() {
        return setting("localStep");
    }

    /** @param value how the spark engine's workers compute a step: {@code auto}, {@code dl4j} or {@code lean} */
    public DistributedMlpClassifier setLocalStep(String value) {
        return setSetting("localStep", value);
    }

    /** @return the network's widths (MLlib's layers), or the empty array when they come from the data */
    public int[] getLayers() {
        return setting("layers");
    }

    /**
     * MLlib's {@code layers}: input width, hidden widths, class count, checked against the data when fit.
     *
     * @param value at least two positive widths
     */
    public DistributedMlpClassifier setLayers(int[] value) {
        return setSetting("layers", value);
    }

    /** @return the hidden layers' widths when layers is not set */
    public int[] getHiddenLayers() {
        return setting("hiddenLayers");
    }

    /** @param value the hidden layers' widths, each positive (empty: no hidden layer) */
    public DistributedMlpClassifier setHiddenLayers(int[] value) {
        return setSetting("hiddenLayers", value);
    }

    /** @return {@code relu}, {@code sigmoid} or {@code tanh} */
    public String getActivation() {
        return setting("activation");
    }

    /** @param value the hidden layers' nonlinearity: {@code relu}, {@code sigmoid} (MLlib's) or {@code tanh} */
    public DistributedMlpClassifier setActivation(String value) {
        return setSetting("activation", value);
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

    // MLlib's own param accessors (MLlib's users build grids with them); the others: settingParam(name).

    /** @return the recipe param */
    public Param<String> recipe() {
        return recipe;
    }

    /** @return MLlib's maxIter param: the epochs setting */
    public IntParam maxIter() {
        return (IntParam) settings.get("epochs");
    }

    /** @return MLlib's blockSize param: the batch size setting */
    public IntParam blockSize() {
        return (IntParam) settings.get("batchSize");
    }

    /** @return MLlib's stepSize param: the learning rate setting */
    public DoubleParam stepSize() {
        return (DoubleParam) settings.get("learningRate");
    }

    /** @return MLlib's seed param */
    public LongParam seed() {
        return (LongParam) settings.get("seed");
    }

    /** @return MLlib's layers param */
    public IntArrayParam layers() {
        return (IntArrayParam) settings.get("layers");
    }

    /** @return MLlib's tol param */
    public DoubleParam tol() {
        return tol;
    }

    /** @return MLlib's initialWeights param */
    public Param<Vector> initialWeights() {
        return initialWeights;
    }

    /** @return the validation indicator column param */
    public Param<String> validationIndicatorCol() {
        return validationIndicatorCol;
    }
}
