package dev.fashiontrainer.train;

import java.util.Map;
import java.util.Optional;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.EngineKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.TrainingData;

/**
 * Runs the distributed part of one epoch: every worker does local SGD on its shard, starting from the driver's
 * model, and the driver's model becomes the average of theirs. Two implementations share this contract, so
 * model files, evaluation and prediction are the same whichever trained.
 */
public interface TrainingEngine extends AutoCloseable {

    /**
     * Trains one epoch and leaves the averaged parameters (and updater state) in {@code model}.
     *
     * @param model the driver's model, updated in place
     * @param epoch 1-based epoch number
     * @return the epoch's loss and counts
     * @throws DivergenceException when a worker's loss stops being finite
     */
    EpochResult trainEpoch(MultiLayerNetwork model, int epoch);

    /**
     * @param epoch the epoch just trained
     * @return one line on where that epoch's training data came from (cache or shipped), or empty when the
     *     engine cannot tell
     */
    default Optional<String> dataReport(int epoch) {
        return Optional.empty();
    }

    /**
     * @return what {@code --averaging-frequency auto} chose and why (for {@code run.json}), once chosen; empty
     *     otherwise
     */
    default Optional<Map<String, Object>> averagingChoice() {
        return Optional.empty();
    }

    /** @return bytes of training data held in executor memory now, as Spark's block manager reports them */
    long cachedTrainingBytes();

    /**
     * @return what the engine carries from one epoch to the next besides the model (the driver's last step with
     *     {@code --block-momentum}), for the checkpoint; empty when nothing
     */
    default float[] carriedState() {
        return new float[0];
    }

    /**
     * Continues from a checkpoint's {@link #carriedState()}.
     *
     * @param state the saved state
     * @throws IllegalArgumentException when this engine carries no state but some was saved
     */
    default void restoreCarriedState(float[] state) {
        if (state.length > 0) {
            throw new IllegalArgumentException("expected no carried state for " + getClass().getSimpleName()
                    + ", found " + state.length + " values");
        }
    }

    /** Releases cached data on the executors, the training data given to {@link #create} included. */
    @Override
    void close();

    /**
     * @param spark the application's context
     * @param config the run's settings; {@code config.engine()} picks the implementation
     * @param data the training set on the executors, one shard per worker ({@code config.workers()}); the engine
     *     owns it from now on and closes it
     * @return a ready engine, reporting no live progress
     */
    static TrainingEngine create(JavaSparkContext spark, TrainingConfig config, TrainingData data) {
        return create(spark, config, data, TrainingProgress.NONE);
    }

    /**
     * @param spark the application's context
     * @param config the run's settings; {@code config.engine()} picks the implementation
     * @param data the training set on the executors, one shard per worker ({@code config.workers()}); the engine
     *     owns it from now on and closes it
     * @param progress names the jobs and hears of minibatches while tasks run (our engine's; DL4J's reports none)
     * @return a ready engine
     */
    static TrainingEngine create(JavaSparkContext spark, TrainingConfig config, TrainingData data,
                                 TrainingProgress progress) {
        if (data.plan().workers() != config.workers()) {
            throw new IllegalArgumentException("expected " + config.workers() + " shards, found "
                    + data.plan().workers());
        }
        return switch (config.engine()) {
            case SPARK -> new SparkAveragingEngine(spark, config, data, progress);
            case DL4J -> dl4j(config, data);
        };
    }

    /**
     * DL4J's engine by name: it is compiled into the Spark 3.5 build only (DL4J's Spark module exists for Scala 2.12
     * only), so the code that every build compiles must not name it.
     */
    private static TrainingEngine dl4j(TrainingConfig config, TrainingData data) {
        config.engine().requireAvailable();
        try {
            return (TrainingEngine) Class.forName(EngineKind.DL4J_ENGINE_CLASS)
                    .getConstructor(TrainingConfig.class, TrainingData.class).newInstance(config, data);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + EngineKind.DL4J_ENGINE_CLASS, e);
        }
    }
}
