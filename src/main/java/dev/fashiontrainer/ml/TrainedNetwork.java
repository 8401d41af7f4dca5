package dev.fashiontrainer.ml;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.export.OnnxExport;
import dev.fashiontrainer.export.OnnxInput;
import dev.fashiontrainer.model.MlpWeights;
import dev.fashiontrainer.model.NetworkShape;

/**
 * What both models hold: the trained network, the settings it was trained with, its shape and the per-epoch
 * metrics of its training. The network (with its optimizer state, for {@code model.zip}) and the metrics stay on
 * the driver; the executors compute with the {@link ExecutorModel} it carries.
 */
final class TrainedNetwork implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TrainingConfig settings;
    private final NetworkShape shape;
    private final ExecutorModel executorModel;
    private final transient MultiLayerNetwork network;
    private final transient DistributedMlpTrainingSummary summary;

    /**
     * @param settings the settings it was trained with
     * @param network the trained network
     * @param summary the per-epoch metrics of its training
     */
    TrainedNetwork(TrainingConfig settings, MultiLayerNetwork network, DistributedMlpTrainingSummary summary) {
        this.settings = settings;
        this.network = network;
        this.summary = summary;
        this.shape = new NetworkShape(NetworkShape.widthsOf(network), settings.activation());
        this.executorModel = new ExecutorModel(network, shape.inputWidth());
    }

    TrainingConfig settings() {
        return settings;
    }

    NetworkShape shape() {
        return shape;
    }

    DistributedMlpTrainingSummary summary() {
        return summary;
    }

    /** @return a copy of the DL4J network, to use outside Spark */
    MultiLayerNetwork networkCopy() {
        return network.clone();
    }

    /** @return MLlib's layers: input width, hidden widths, outputs */
    int[] layers() {
        return shape.layers().stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return every weight and bias in MLlib's layout ({@link MlpWeights}) */
    Vector weights() {
        return MlpWeights.of(network);
    }

    /** @return the output layer's values before its activation for a block of rows (see {@link ExecutorModel}) */
    List<Vector> outputs(List<Vector> rows, String featuresColumn) {
        return executorModel.outputs(rows, featuresColumn);
    }

    /**
     * Writes this network as ONNX ({@link OnnxExport}) to {@code path} through Hadoop's file systems, with the
     * active Spark session's Hadoop configuration (a plain one without a session). A DataFrame's features are fed
     * as they are, so the graph takes features, not pixels.
     *
     * @return the file's SHA-256
     */
    String exportOnnx(String path, String uid, List<String> classNames) {
        Configuration hadoop = SparkSession.getActiveSession().isDefined()
                ? SparkSession.getActiveSession().get().sparkContext().hadoopConfiguration() : new Configuration();
        return OnnxExport.of(network, OnnxInput.FEATURES, classNames).with(OnnxExport.META_RUN_ID, uid)
                .save(path, hadoop);
    }

    /** Saves the model {@code stage} holding this network at {@code path} ({@link ModelFiles}). */
    void save(Params stage, String path, SparkContext spark, Map<String, Object> extra) {
        ModelFiles.save(stage, path, spark, network, settings, summary, extra);
    }
}
