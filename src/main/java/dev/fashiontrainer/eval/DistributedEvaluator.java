package dev.fashiontrainer.eval;

import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.ExecutorCache;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.TrainingShard;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.model.ExecutorNetworks;

/**
 * Evaluates the driver's model on the test set across the executors: the test images are split into cached
 * partitions once, each evaluation broadcasts the parameters, every partition runs {@link Evaluator} and the
 * driver adds up the counts.
 */
public final class DistributedEvaluator implements AutoCloseable {
    private final JavaSparkContext spark;
    private final TrainingConfig config;
    private final ExecutorCache<LabeledImages> parts;

    /**
     * @param spark the application's context
     * @param config the run's settings (they say which network to rebuild on the executors)
     * @param images the test set
     * @param partitions how many partitions to split it into
     */
    public DistributedEvaluator(JavaSparkContext spark, TrainingConfig config, LabeledImages images, int partitions) {
        this.spark = spark;
        this.config = config;
        List<LabeledImages> slices = Partitioner.split(images, Math.max(1, Math.min(partitions, images.size())),
                false, 0).stream().map(TrainingShard::images).toList();
        this.parts = new ExecutorCache<>(spark, slices, "test set");
    }

    /**
     * @param model the model to evaluate
     * @return the merged counts of all partitions
     */
    public EvaluationResult evaluate(MultiLayerNetwork model) {
        Broadcast<ParameterSnapshot> parameters = spark.broadcast(ParameterSnapshot.of(model));
        spark.setJobDescription("evaluation on the test set");
        EvaluationResult result = parts.rdd().map(evaluateSlice(parameters, config)).treeReduce(EvaluationResult::merge);
        parameters.destroy();
        return result;
    }

    private static Function<LabeledImages, EvaluationResult> evaluateSlice(Broadcast<ParameterSnapshot> parameters,
                                                                           TrainingConfig config) {
        return slice -> {
            MultiLayerNetwork network = ExecutorNetworks.forConfig(config);
            parameters.value().applyTo(network);
            return Evaluator.evaluate(network, slice);
        };
    }

    @Override
    public void close() {
        parts.close();
    }
}
