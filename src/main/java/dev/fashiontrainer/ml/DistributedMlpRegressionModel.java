package dev.fashiontrainer.ml;

import java.util.List;
import java.util.Map;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TrainingConfig;

/**
 * A trained {@link DistributedMlpRegressor}: {@code transform} adds MLlib's {@code prediction} column, the network's
 * one linear output, computed on the executors. It saves and loads as the classifier's model does
 * ({@link ModelFiles}), also as a stage of a saved {@code PipelineModel}.
 */
public final class DistributedMlpRegressionModel extends RegressionModel<Vector, DistributedMlpRegressionModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;

    private String uid; // no initializer: uid() assigns it while the superclass is being built (see StageUid)
    private final TrainedNetwork trained;

    DistributedMlpRegressionModel(String uid, TrainedNetwork trained) {
        this(StageUid.announce(uid), trained);
    }

    private DistributedMlpRegressionModel(Void uidAnnounced, TrainedNetwork trained) {
        this.trained = trained;
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = StageUid.claim("distributedMlpRegressionModel");
        }
        return uid;
    }

    /** @return the settings the model was trained with */
    public TrainingConfig trainingConfig() {
        return trained.settings();
    }

    /** @return the per-epoch metrics of the training (validation loss: the mean squared error) */
    public DistributedMlpTrainingSummary summary() {
        return trained.summary();
    }

    /** @return a copy of the DL4J network, to use outside Spark */
    public MultiLayerNetwork network() {
        return trained.networkCopy();
    }

    @Override
    public int numFeatures() {
        return trained.shape().inputWidth();
    }

    /** @return MLlib's layers: input width, hidden widths, 1 */
    public int[] getLayers() {
        return trained.layers();
    }

    /** @return every weight and bias in the layout of MLlib's {@code MultilayerPerceptronClassificationModel} */
    public Vector weights() {
        return trained.weights();
    }

    /** @return the network's output for one row */
    @Override
    public double predict(Vector features) {
        return trained.outputs(List.of(features), getFeaturesCol()).get(0).apply(0);
    }

    /** Checks that the features column exists and holds vectors before any job runs. */
    @Override
    public StructType transformSchema(StructType schema) {
        InputColumns.requireFeatures(schema, getFeaturesCol());
        return super.transformSchema(schema);
    }

    @Override
    public DistributedMlpRegressionModel copy(ParamMap extra) {
        DistributedMlpRegressionModel copy = new DistributedMlpRegressionModel(uid(), trained);
        return copyValues(copy, extra).setParent(parent());
    }

    /**
     * Writes the model as an ONNX file that ONNX Runtime runs outside Spark (docs/serving.md): input
     * {@code features}, output {@code prediction} ({@code [batch, 1]}).
     *
     * @param path where to write it (any Hadoop location), whole or not at all
     * @return the file's SHA-256
     */
    public String exportOnnx(String path) {
        return trained.exportOnnx(path, uid(), List.of());
    }

    @Override
    public MLWriter write() {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                trained.save(DistributedMlpRegressionModel.this, path, sc(), Map.of());
            }
        };
    }

    /** @return a reader for models saved with {@code write().save(path)} */
    public static MLReader<DistributedMlpRegressionModel> read() {
        return new MLReader<>() {
            @Override
            public DistributedMlpRegressionModel load(String path) {
                ModelFiles.Loaded saved = ModelFiles.load(path, sc(), DistributedMlpRegressionModel.class.getName());
                return saved.withParams(new DistributedMlpRegressionModel(saved.metadata().uid(), saved.trained()));
            }
        };
    }

    /** @return the model saved at {@code path} (any Hadoop location) */
    public static DistributedMlpRegressionModel load(String path) {
        return read().load(path);
    }
}
