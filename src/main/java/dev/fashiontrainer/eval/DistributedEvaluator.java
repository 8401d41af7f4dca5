package dev.fashiontrainer.eval;

import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.spark.ExecutorCache;
import dev.fashiontrainer.spark.OrderedReduce;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.TrainingShard;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.model.ExecutorNetworks;

/**
 * Evaluates the driver's model on the test set across the executors: the test images are split into cached
 * partitions once, each evaluation broadcasts the parameters, every partition runs {@link Evaluator} and the
 * driver adds up the counts. The executors rebuild the network from its layer configuration (as JSON), so the
 * same evaluator serves a model being trained and one loaded from {@code model.zip}.
 */
public final class DistributedEvaluator implements AutoCloseable {
    /** What the evaluation's job is called in Spark's UI unless the caller names it. */
    public static final String JOB_DESCRIPTION = "evaluation on the test set";

    private final JavaSparkContext spark;
    private final String configurationJson;
    private final ExecutorCache<LabeledImages> parts;

    /**
     * @param spark the application's context
     * @param configuration the layers of the models to evaluate (what the executors rebuild)
     * @param images the test set
     * @param partitions how many partitions to split it into
     */
    public DistributedEvaluator(JavaSparkContext spark, MultiLayerConfiguration configuration, LabeledImages images,
                                int partitions) {
        this.spark = spark;
        // Taken once: the driver's model may change its learning rate between epochs, which evaluation ignores.
        this.configurationJson = configuration.toJson();
        List<LabeledImages> slices = Partitioner.split(images, Math.max(1, Math.min(partitions, images.size())),
                false, 0).stream().map(TrainingShard::images).toList();
        this.parts = new ExecutorCache<>(spark, slices, "test set");
    }

    /** Caches the images on the executors now, so that the first evaluation costs no more than the others. */
    public void load() {
        parts.rdd().count();
    }

    /**
     * @param model the model to evaluate, with the layers given to the constructor
     * @return the merged counts of all partitions
     */
    public EvaluationResult evaluate(MultiLayerNetwork model) {
        return evaluate(model, JOB_DESCRIPTION);
    }

    /**
     * @param model the model to evaluate, with the layers given to the constructor
     * @param jobDescription the job's description in Spark's UI
     * @return the merged counts of all partitions
     */
    public EvaluationResult evaluate(MultiLayerNetwork model, String jobDescription) {
        // the parameters alone: evaluation has no use for the optimizer state (twice their size with Adam)
        Broadcast<ParameterSnapshot> parameters = spark.broadcast(ParameterSnapshot.parametersOf(model));
        try {
            spark.setJobDescription(jobDescription);
            return OrderedReduce.reduce(parts.rdd().map(evaluateSlice(parameters, configurationJson)),
                    EvaluationResult::merge);
        } finally {
            // also when the job fails or is cancelled: a notebook's context outlives the evaluation
            parameters.destroy();
        }
    }

    private static Function<LabeledImages, EvaluationResult> evaluateSlice(Broadcast<ParameterSnapshot> parameters,
                                                                           String configurationJson) {
        return slice -> {
            MultiLayerNetwork network = ExecutorNetworks.forConfiguration(configurationJson);
            parameters.value().applyTo(network);
            return Evaluator.evaluate(network, slice);
        };
    }

    @Override
    public void close() {
        parts.close();
    }
}
