package dev.fashiontrainer.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

import dev.fashiontrainer.config.TaskKind;

/**
 * Regression on the same engine and with the same params as {@link DistributedMlpClassifier}, what MLlib's
 * {@code MultilayerPerceptronClassifier} does not offer: the network's hidden layers as the settings say, then one
 * linear output unit trained on the mean squared error (the {@code loss} setting does not apply). The label column
 * holds any finite numbers; {@code setLayers} ends with 1, or leave it unset for the features' width and
 * {@code hiddenLayers} around one output. Score the model's {@code prediction} column with MLlib's
 * {@code RegressionEvaluator}.
 */
public final class DistributedMlpRegressor
        extends Regressor<Vector, DistributedMlpRegressor, DistributedMlpRegressionModel>
        implements MlpParams<DistributedMlpRegressor>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private String uid; // no initializer: uid() assigns it while the superclass is being built (see StageUid)
    private final TrainerParams trainer = new TrainerParams(this);
    private transient Param<?>[] allParams;

    /** A regressor with every setting from the seed recipe. */
    public DistributedMlpRegressor() {
        this((Void) null);
    }

    /** @param uid the stage's uid, as MLlib's readers and {@code copy} pass it */
    public DistributedMlpRegressor(String uid) {
        this(StageUid.announce(uid));
    }

    private DistributedMlpRegressor(Void uidAnnounced) {
        trainer.registerRecipeDefaults(this);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = StageUid.claim("distributedMlpRegressor");
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

    /** @return a reader for regressors saved with {@code write().save(path)} */
    public static MLReader<DistributedMlpRegressor> read() {
        return TrainerParams.reader();
    }

    /** @return a regressor saved at {@code path} */
    public static DistributedMlpRegressor load(String path) {
        return read().load(path);
    }

    /** Trains on the rows of {@code dataset} with the command line's engine ({@link EstimatorFit}). */
    @Override
    public DistributedMlpRegressionModel train(Dataset<?> dataset) {
        EstimatorFit.Fitted fitted = EstimatorFit.fit(dataset, this, getFeaturesCol(), getLabelCol(),
                TaskKind.REGRESSION);
        return new DistributedMlpRegressionModel(uid(), fitted.trained());
    }

    /** Checks the features and label columns (and the validation column when set) before any job runs. */
    @Override
    public StructType transformSchema(StructType schema) {
        InputColumns.requireFeatures(schema, getFeaturesCol());
        InputColumns.requireTarget(schema, getLabelCol());
        if (isDefined(validationIndicatorCol())) {
            InputColumns.requireIndicator(schema, getValidationIndicatorCol());
        }
        return super.transformSchema(schema);
    }

    @Override
    public DistributedMlpRegressor copy(ParamMap extra) {
        return TrainerParams.copy(this, extra);
    }
}
