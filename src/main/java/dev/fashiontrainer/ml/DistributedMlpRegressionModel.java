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
import dev.fashiontrainer.model.MlpWeights;
import dev.fashiontrainer.model.NetworkShape;

/**
 * A trained {@link DistributedMlpRegressor}: {@code transform} adds MLlib's {@code prediction} column, the network's
 * one linear output, computed on the executors. It saves and loads as the classifier's model does
 * ({@link ModelFiles}), also as a stage of a saved {@code PipelineModel}.
 */
public final class DistributedMlpRegressionModel extends RegressionModel<Vector, DistributedMlpRegressionModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;

    private String uid; // no initializer: uid() assigns it while the superclass is being built (see StageUid)
    private final TrainingConfig settings;
    private final NetworkShape shape;
    private final ExecutorModel executorModel;
    // The driver's network (with the optimizer state, for model.zip) and the summary stay on the driver.
    private final transient MultiLayerNetwork network;
    private final transient DistributedMlpTrainingSummary summary;

    DistributedMlpRegressionModel(String uid, TrainingConfig settings, MultiLayerNetwork network,
                                  DistributedMlpTrainingSummary summary) {
        this(StageUid.announce(uid), settings, network, summary);
    }

    private DistributedMlpRegressionModel(Void uidAnnounced, TrainingConfig settings, MultiLayerNetwork network,
                                          DistributedMlpTrainingSummary summary) {
        this.settings = settings;
        this.network = network;
        this.summary = summary;
        this.shape = new NetworkShape(NetworkShape.widthsOf(network), settings.activation());
        this.executorModel = new ExecutorModel(network, shape.inputWidth());
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
        return settings;
    }

    /** @return the per-epoch metrics of the training (validation loss: the mean squared error) */
    public DistributedMlpTrainingSummary summary() {
        return summary;
    }

    /** @return a copy of the DL4J network, to use outside Spark */
    public MultiLayerNetwork network() {
        return network.clone();
    }

    @Override
    public int numFeatures() {
        return shape.inputWidth();
    }

    /** @return MLlib's layers: input width, hidden widths, 1 */
    public int[] getLayers() {
        return shape.layers().stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return every weight and bias in the layout of MLlib's {@code MultilayerPerceptronClassificationModel} */
    public Vector weights() {
        return MlpWeights.of(network);
    }

    /** @return the network's output for one row */
    @Override
    public double predict(Vector features) {
        return executorModel.outputs(List.of(features), getFeaturesCol()).get(0).apply(0);
    }

    /** Checks that the features column exists and holds vectors before any job runs. */
    @Override
    public StructType transformSchema(StructType schema) {
        InputColumns.requireFeatures(schema, getFeaturesCol());
        return super.transformSchema(schema);
    }

    @Override
    public DistributedMlpRegressionModel copy(ParamMap extra) {
        DistributedMlpRegressionModel copy = new DistributedMlpRegressionModel(uid(), settings, network, summary);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                ModelFiles.save(DistributedMlpRegressionModel.this, path, sc(), network, settings, summary, Map.of());
            }
        };
    }

    /** @return a reader for models saved with {@code write().save(path)} */
    public static MLReader<DistributedMlpRegressionModel> read() {
        return new MLReader<>() {
            @Override
            public DistributedMlpRegressionModel load(String path) {
                ModelFiles.Loaded saved = ModelFiles.load(path, sc(), DistributedMlpRegressionModel.class.getName());
                return saved.withParams(new DistributedMlpRegressionModel(saved.metadata().uid(), saved.settings(),
                        saved.network(), saved.summary()));
            }
        };
    }

    /** @return the model saved at {@code path} (any Hadoop location) */
    public static DistributedMlpRegressionModel load(String path) {
        return read().load(path);
    }
}
