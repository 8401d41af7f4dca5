package dev.fashiontrainer.eval;

import java.util.Map;
import java.util.WeakHashMap;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.train.LeanForward;

/**
 * The seed's {@code test_loop} for one process: forward passes without gradients over the images, in chunks,
 * counting correct predictions and summing the loss. The distributed evaluation runs this on each partition.
 *
 * <p>One lean forward pass per chunk ({@link LeanForward}) gives both the predictions and the losses; its arrays
 * are kept per thread and network, so an executor's evaluations after the first allocate nothing natively.
 */
public final class Evaluator {
    private static final int CHUNK = 1000;
    // Weak keys: a network no longer used (a test's, a finished run's) takes its arrays with it.
    private static final ThreadLocal<Map<MultiLayerNetwork, LeanForward>> FORWARDS =
            ThreadLocal.withInitial(WeakHashMap::new);

    private Evaluator() {
    }

    /**
     * @param network a trained network whose input width and classes are those of {@code images}
     * @param images labelled examples
     * @return accuracy, loss and confusion counts
     */
    public static EvaluationResult evaluate(MultiLayerNetwork network, LabeledImages images) {
        LeanForward forward = FORWARDS.get().computeIfAbsent(network, LeanForward::new);
        EvaluationResult result = EvaluationResult.empty(images.classes());
        int[] predicted = new int[CHUNK];
        double[] losses = new double[CHUNK];
        for (int from = 0; from < images.size(); from += CHUNK) {
            int size = Math.min(CHUNK, images.size() - from);
            forward.predict(images, from, size, predicted, losses);
            for (int k = 0; k < size; k++) {
                result.add(images.label(from + k), predicted[k], losses[k]);
            }
        }
        return result;
    }
}
