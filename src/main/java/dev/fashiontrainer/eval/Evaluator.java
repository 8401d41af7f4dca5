package dev.fashiontrainer.eval;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.data.LabeledImages;

/**
 * The seed's {@code test_loop} for one process: forward passes without gradients over the images, in chunks,
 * counting correct predictions and summing the loss. The distributed evaluation runs this on each partition.
 */
public final class Evaluator {
    private static final int CHUNK = 1000;

    private Evaluator() {
    }

    /**
     * @param network a trained network
     * @param images labelled images
     * @return accuracy, loss and confusion counts
     */
    public static EvaluationResult evaluate(MultiLayerNetwork network, LabeledImages images) {
        EvaluationResult result = EvaluationResult.empty();
        float[] features = new float[CHUNK * LabeledImages.PIXELS];
        float[] oneHot = new float[CHUNK * LabeledImages.CLASSES];
        for (int from = 0; from < images.size(); from += CHUNK) {
            int size = Math.min(CHUNK, images.size() - from);
            if (size < CHUNK) {
                features = new float[size * LabeledImages.PIXELS];
                oneHot = new float[size * LabeledImages.CLASSES];
            }
            images.fill(null, from, size, features, oneHot);
            INDArray x = Nd4j.create(features, new long[] {size, LabeledImages.PIXELS}, 'c');
            INDArray y = Nd4j.create(oneHot, new long[] {size, LabeledImages.CLASSES}, 'c');
            int[] predicted = network.predict(x);
            double[] losses = network.scoreExamples(new DataSet(x, y), false).toDoubleVector();
            for (int k = 0; k < size; k++) {
                result.add(images.label(from + k), predicted[k], losses[k]);
            }
        }
        return result;
    }
}
