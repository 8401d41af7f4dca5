package dev.fashiontrainer.ml;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

import dev.fashiontrainer.config.TaskKind;

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
        implements MlpParams<DistributedMlpClassifier>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private String uid; // no initializer: uid() assigns it while the superclass is being built (see StageUid)
    private final TrainerParams trainer = new TrainerParams(this);
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
        trainer.registerRecipeDefaults(this);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = StageUid.claim("distributedMlp");
        }
        return uid;
    }

    @Override
    public TrainerParams trainerParams() {
        return trainer;
    }

    /** MLlib's params found on public methods, plus one per training setting (for explainParams, copy, save). */
    @Override
    public Param<?>[] params() {
        if (allParams == null) {
            allParams = trainer.withSettings(super.params());
        }
        return allParams;
    }

    /** @return a reader for classifiers saved with {@code write().save(path)} */
    public static MLReader<DistributedMlpClassifier> read() {
        return TrainerParams.reader();
    }

    /** @return a classifier saved at {@code path} */
    public static DistributedMlpClassifier load(String path) {
        return read().load(path);
    }

    /**
     * Trains on the rows of {@code dataset} (their features and label columns; the validation rows apart) with the
     * command line's engine ({@link EstimatorFit}).
     */
    @Override
    public DistributedMlpClassificationModel train(Dataset<?> dataset) {
        EstimatorFit.Fitted fitted = EstimatorFit.fit(dataset, this, getFeaturesCol(), getLabelCol(),
                TaskKind.CLASSIFICATION);
        return new DistributedMlpClassificationModel(uid(), fitted.trained(), fitted.shape().classNames());
    }

    /** Checks the features and label columns (and the validation column when set) before any job runs. */
    @Override
    public StructType transformSchema(StructType schema) {
        InputColumns.requireFeatures(schema, getFeaturesCol());
        InputColumns.requireLabel(schema, getLabelCol());
        if (isDefined(validationIndicatorCol())) {
            InputColumns.requireIndicator(schema, getValidationIndicatorCol());
        }
        return super.transformSchema(schema);
    }

    @Override
    public DistributedMlpClassifier copy(ParamMap extra) {
        return TrainerParams.copy(this, extra);
    }
}
