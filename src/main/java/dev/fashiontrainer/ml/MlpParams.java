package dev.fashiontrainer.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

import dev.fashiontrainer.config.OptimizerKind;
import dev.fashiontrainer.config.TrainingConfig;

/**
 * The setters, getters and param accessors of both estimators: MLlib's {@code MultilayerPerceptronClassifier}
 * names ({@code setLayers}, {@code setMaxIter}, {@code setBlockSize}, {@code setStepSize}, {@code setSeed},
 * {@code setTol}, {@code setSolver}, {@code setInitialWeights}) and the command line's settings, each a one-line
 * view of a param that {@link TrainerParams} declares. Any other setting: {@link #setSetting}.
 *
 * @param <T> the estimator
 */
public interface MlpParams<T extends Params> extends Params {
    /** @return the params this estimator owns */
    TrainerParams trainerParams();

    /** @return this estimator, typed */
    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /**
     * Sets a training setting by name.
     *
     * @param name the setting's name, such as {@code blockMomentumKind} ({@code --help} lists them as flags)
     * @param value a value of the param's type: a number, a switch, an {@code int[]}, a choice's spelling
     * @return this estimator
     */
    @SuppressWarnings("unchecked")
    default T setSetting(String name, Object value) {
        set((Param<Object>) trainerParams().settings.get(name), value);
        return self();
    }

    /**
     * @param name a training setting's name
     * @return its param
     */
    default Param<?> settingParam(String name) {
        return trainerParams().settings.get(name);
    }

    /** @return a setting's value: the one set, or the recipe's */
    @SuppressWarnings("unchecked")
    private <V> V setting(String name) {
        return (V) getOrDefault(trainerParams().settings.get(name));
    }

    /**
     * @return the settings {@code fit} will train with: the recipe's, overridden by every param that was set
     * @throws dev.fashiontrainer.config.ConfigException when two settings cannot be combined
     */
    default TrainingConfig trainingConfig() {
        return trainerParams().trainingConfig(this);
    }

    /** @return the recipe the unset params come from */
    default String getRecipe() {
        return getOrDefault(trainerParams().recipe);
    }

    /** @param value {@code seed} or {@code fast}: the preset the unset params come from */
    default T setRecipe(String value) {
        set(trainerParams().recipe, value);
        trainerParams().registerRecipeDefaults(this);
        return self();
    }

    /** @return passes over the training set */
    default int getEpochs() {
        return setting("epochs");
    }

    /** @param value passes over the training set, positive (MLlib's {@link #setMaxIter}) */
    default T setEpochs(int value) {
        return setSetting("epochs", value);
    }

    /** MLlib's name for {@link #setEpochs}: passes over the training set. */
    default T setMaxIter(int value) {
        return setEpochs(value);
    }

    /** @return MLlib's name for {@link #getEpochs} */
    default int getMaxIter() {
        return getEpochs();
    }

    /** @return examples per local SGD step */
    default int getBatchSize() {
        return setting("batchSize");
    }

    /** @param value examples per local SGD step, positive (MLlib's {@link #setBlockSize}) */
    default T setBatchSize(int value) {
        return setSetting("batchSize", value);
    }

    /** MLlib's name for {@link #setBatchSize}: examples per minibatch (MLlib stacks blockSize rows per product). */
    default T setBlockSize(int value) {
        return setBatchSize(value);
    }

    /** @return MLlib's name for {@link #getBatchSize} */
    default int getBlockSize() {
        return getBatchSize();
    }

    /** @return the step size before scaling, warm-up and schedule */
    default double getLearningRate() {
        return setting("learningRate");
    }

    /** @param value the step size before scaling, warm-up and schedule, positive (MLlib's {@link #setStepSize}) */
    default T setLearningRate(double value) {
        return setSetting("learningRate", value);
    }

    /** MLlib's name for {@link #setLearningRate}. */
    default T setStepSize(double value) {
        return setLearningRate(value);
    }

    /** @return MLlib's name for {@link #getLearningRate} */
    default double getStepSize() {
        return getLearningRate();
    }

    /** @return partitions of the training set, each trained by one Spark task */
    default int getWorkers() {
        return setting("workers");
    }

    /** @param value partitions of the training set, positive and at most the number of training rows */
    default T setWorkers(int value) {
        return setSetting("workers", value);
    }

    /** @return the seed of initialization, the shuffle and every per-epoch order */
    default long getSeed() {
        return setting("seed");
    }

    /** @param value seeds initialization, the shuffle and every per-epoch order */
    default T setSeed(long value) {
        return setSetting("seed", value);
    }

    /**
     * @return minibatches per worker between two averagings, 0 for once per epoch,
     *     {@link TrainingConfig#AUTO_AVERAGING} for auto, {@link TrainingConfig#HALF_WORKERS_AVERAGING} for half-workers
     */
    default int getAveragingFrequency() {
        return setting("averagingFrequency");
    }

    /**
     * @param value minibatches per worker between two averagings, 0 for once per epoch,
     *     {@link TrainingConfig#AUTO_AVERAGING} to measure in epoch 1 and keep averaging under the communication
     *     share (docs/scaling.md; the results then depend on the cluster's timings),
     *     {@link TrainingConfig#HALF_WORKERS_AVERAGING} for workers/2 times per epoch
     */
    default T setAveragingFrequency(int value) {
        return setSetting("averagingFrequency", value);
    }

    /** @return {@code sgd}, {@code nesterov} or {@code adam} */
    default String getOptimizer() {
        return setting("optimizer");
    }

    /** @param value {@code sgd}, {@code nesterov} or {@code adam} */
    default T setOptimizer(String value) {
        return setSetting("optimizer", value);
    }

    /**
     * MLlib's solver, as this trainer's optimizer: {@code gd} (plain minibatch SGD; MLlib's is full-batch),
     * {@code sgd}, {@code nesterov} or {@code adam}.
     *
     * @throws IllegalArgumentException for {@code l-bfgs}, saying what to use instead
     */
    default T setSolver(String value) {
        if ("l-bfgs".equalsIgnoreCase(value)) {
            throw new IllegalArgumentException("solver l-bfgs is MLlib's full-batch method; this trainer steps on"
                    + " minibatches: use adam (the fast recipe's), or gd for plain gradient descent");
        }
        return setOptimizer("gd".equalsIgnoreCase(value) ? OptimizerKind.SGD.cliName() : value);
    }

    /** @return the optimizer, in MLlib's solver names where they exist ({@code gd} for plain SGD) */
    default String getSolver() {
        String optimizer = getOptimizer();
        return OptimizerKind.SGD.cliName().equals(optimizer) ? "gd" : optimizer;
    }

    /** @return {@code cross-entropy}, {@code nll} or {@code mse} */
    default String getLoss() {
        return setting("loss");
    }

    /** @param value {@code cross-entropy}, {@code nll} or {@code mse} */
    default T setLoss(String value) {
        return setSetting("loss", value);
    }

    /** @return {@code pytorch}, {@code he} or {@code xavier} */
    default String getInit() {
        return setting("init");
    }

    /** @param value weight initialization: {@code pytorch}, {@code he} or {@code xavier} */
    default T setInit(String value) {
        return setSetting("init", value);
    }

    /** @return momentum of the nesterov optimizer */
    default double getMomentum() {
        return setting("momentum");
    }

    /** @param value momentum of the nesterov optimizer, in [0, 1) */
    default T setMomentum(double value) {
        return setSetting("momentum", value);
    }

    /** @return momentum of the driver's step between averages: what fit trains with ({@code auto} resolved) */
    default double getBlockMomentum() {
        return trainingConfig().effectiveBlockMomentum();
    }

    /** @param value momentum of the driver's step between averages, in [0, 1) */
    default T setBlockMomentum(double value) {
        return setSetting("blockMomentum", value);
    }

    /** @return whether the rows are shuffled once before they are split across the workers */
    default boolean getShuffle() {
        return setting("shuffle");
    }

    /** @param value shuffle the rows once before splitting them across the workers */
    default T setShuffle(boolean value) {
        return setSetting("shuffle", value);
    }

    /** @return whether the rows are re-split across the workers every epoch */
    default boolean getReshuffle() {
        return setting("reshuffle");
    }

    /** @param value re-split the rows across the workers every epoch */
    default T setReshuffle(boolean value) {
        return setSetting("reshuffle", value);
    }

    /** @return whether each worker visits its rows in a new order every epoch */
    default boolean getReorder() {
        return setting("reorder");
    }

    /** @param value visit each worker's rows in a new order every epoch, moving none between workers */
    default T setReorder(boolean value) {
        return setSetting("reorder", value);
    }

    /** @return {@code none}, {@code linear} or {@code sqrt} */
    default String getLearningRateScaling() {
        return setting("learningRateScaling");
    }

    /** @param value how the learning rate grows with the workers: {@code none}, {@code linear} or {@code sqrt} */
    default T setLearningRateScaling(String value) {
        return setSetting("learningRateScaling", value);
    }

    /** @return epochs over which a scaled learning rate ramps up */
    default int getWarmupEpochs() {
        return setting("warmupEpochs");
    }

    /** @param value epochs over which a scaled learning rate ramps up, 0 or more */
    default T setWarmupEpochs(int value) {
        return setSetting("warmupEpochs", value);
    }

    /** @return {@code constant} or {@code cosine} */
    default String getSchedule() {
        return setting("schedule");
    }

    /** @param value how the learning rate changes after warm-up: {@code constant} or {@code cosine} */
    default T setSchedule(String value) {
        return setSetting("schedule", value);
    }

    /** @return {@code spark} (ours) or {@code dl4j} (DL4J's parameter averaging) */
    default String getEngine() {
        return setting("engine");
    }

    /** @param value which implementation trains: {@code spark} or {@code dl4j} */
    default T setEngine(String value) {
        return setSetting("engine", value);
    }

    /** @return {@code auto}, {@code direct} or {@code tree} */
    default String getReduction() {
        return setting("reduction");
    }

    /** @param value how each averaging round's results reach the driver: {@code auto}, {@code direct} or {@code tree} */
    default T setReduction(String value) {
        return setSetting("reduction", value);
    }

    /** @return {@code auto}, {@code dl4j} or {@code lean} */
    default String getLocalStep() {
        return setting("localStep");
    }

    /** @param value how the spark engine's workers compute a step: {@code auto}, {@code dl4j} or {@code lean} */
    default T setLocalStep(String value) {
        return setSetting("localStep", value);
    }

    /** @return the network's widths (MLlib's layers), or the empty array when they come from the data */
    default int[] getLayers() {
        return setting("layers");
    }

    /**
     * MLlib's {@code layers}: input width, hidden widths, then the class count (or 1 for a regression), checked
     * against the data when fit.
     *
     * @param value at least two positive widths
     */
    default T setLayers(int[] value) {
        return setSetting("layers", value);
    }

    /** @return the hidden layers' widths when layers is not set */
    default int[] getHiddenLayers() {
        return setting("hiddenLayers");
    }

    /** @param value the hidden layers' widths, each positive (empty: no hidden layer) */
    default T setHiddenLayers(int[] value) {
        return setSetting("hiddenLayers", value);
    }

    /** @return {@code relu}, {@code sigmoid} or {@code tanh} */
    default String getActivation() {
        return setting("activation");
    }

    /** @param value the hidden layers' nonlinearity: {@code relu}, {@code sigmoid} (MLlib's) or {@code tanh} */
    default T setActivation(String value) {
        return setSetting("activation", value);
    }

    /** @return epochs in a row without improvement after which training stops (0: never early) */
    default int getEarlyStoppingRounds() {
        return setting("earlyStoppingRounds");
    }

    /**
     * XGBoost4J-Spark's early stopping, judged on the rows {@code validationIndicatorCol} marks.
     *
     * @param value epochs in a row without an improvement of {@code earlyStoppingMetric} by {@code minDelta} after
     *     which training stops; 0 never stops early
     */
    default T setEarlyStoppingRounds(int value) {
        return setSetting("earlyStoppingRounds", value);
    }

    /** @return {@code validation_loss} or {@code validation_accuracy} */
    default String getEarlyStoppingMetric() {
        return setting("earlyStoppingMetric");
    }

    /** @param value what early stopping and the best epoch are judged on: {@code validation_loss} or accuracy */
    default T setEarlyStoppingMetric(String value) {
        return setSetting("earlyStoppingMetric", value);
    }

    /** @return the least change of the metric that counts as an improvement */
    default double getMinDelta() {
        return setting("minDelta");
    }

    /** @param value the least change of the metric that counts as an improvement, 0 or more */
    default T setMinDelta(double value) {
        return setSetting("minDelta", value);
    }

    /** @return {@code best} or {@code last} */
    default String getKeepModel() {
        return setting("keepModel");
    }

    /** @param value which epoch's network the model holds: {@code best} (on the validation rows) or {@code last} */
    default T setKeepModel(String value) {
        return setSetting("keepModel", value);
    }

    /** @return the time budget, such as {@code 20m}, or {@code none} */
    default String getMaxTime() {
        return setting("maxTime");
    }

    /** @param value end training after the epoch during which this much time has passed ({@code 20m}, {@code none}) */
    default T setMaxTime(String value) {
        return setSetting("maxTime", value);
    }

    /** @return MLlib's convergence tolerance (0: every epoch runs) */
    default double getTol() {
        return (Double) getOrDefault(trainerParams().tol);
    }

    /**
     * MLlib's {@code tol}: stop after an epoch that lowered the training loss by less than this share of it.
     *
     * @param value 0 or more
     */
    default T setTol(double value) {
        set(trainerParams().tol, value);
        return self();
    }

    /** @return the weights training starts from (defined only when set) */
    default Vector getInitialWeights() {
        return getOrDefault(trainerParams().initialWeights);
    }

    /** @param value weights in MLlib's layout, as the model's {@code weights()} gives them */
    default T setInitialWeights(Vector value) {
        set(trainerParams().initialWeights, value);
        return self();
    }

    /** @return the boolean column marking validation rows (defined only when set) */
    default String getValidationIndicatorCol() {
        return getOrDefault(trainerParams().validationIndicatorCol);
    }

    /** @param value a boolean column; rows where it is true are evaluated after every epoch, not trained on */
    default T setValidationIndicatorCol(String value) {
        set(trainerParams().validationIndicatorCol, value);
        return self();
    }

    // MLlib's param accessors, for its users' grids; any other setting's: settingParam(name).

    /** @return the recipe param */
    default Param<String> recipe() {
        return trainerParams().recipe;
    }

    /** @return MLlib's maxIter param: the epochs setting */
    default IntParam maxIter() {
        return (IntParam) settingParam("epochs");
    }

    /** @return MLlib's blockSize param: the batch size setting */
    default IntParam blockSize() {
        return (IntParam) settingParam("batchSize");
    }

    /** @return MLlib's stepSize param: the learning rate setting */
    default DoubleParam stepSize() {
        return (DoubleParam) settingParam("learningRate");
    }

    /** @return MLlib's seed param */
    default LongParam seed() {
        return (LongParam) settingParam("seed");
    }

    /** @return MLlib's layers param */
    default IntArrayParam layers() {
        return (IntArrayParam) settingParam("layers");
    }

    /** @return MLlib's tol param */
    default DoubleParam tol() {
        return trainerParams().tol;
    }

    /** @return MLlib's initialWeights param */
    default Param<Vector> initialWeights() {
        return trainerParams().initialWeights;
    }

    /** @return the validation indicator column param */
    default Param<String> validationIndicatorCol() {
        return trainerParams().validationIndicatorCol;
    }
}
