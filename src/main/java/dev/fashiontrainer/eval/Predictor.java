package dev.fashiontrainer.eval;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.data.InputImage;
import dev.fashiontrainer.data.LabeledImages;

/**
 * Classifies examples with a trained network in this process, in chunks: the seed's {@code pred.argmax(1)} plus
 * the softmax probability of the chosen class. The features are presented exactly as for training (pixels scaled
 * to [0, 1]).
 */
public final class Predictor {
    private static final int CHUNK = 1000;

    private Predictor() {
    }

    /**
     * @param network a network whose input width is the images' pixels and whose classes are {@code classes}
     * @param images 8-bit images of one size, in any number
     * @param classes the network's classes
     * @return one prediction per image, in the same order
     */
    public static List<Prediction> predict(MultiLayerNetwork network, List<InputImage> images, int classes) {
        int width = images.isEmpty() ? 1 : images.get(0).pixels().length;
        byte[] pixels = new byte[images.size() * width];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).pixels(), 0, pixels, i * width, width);
        }
        // the labels are not used: predictions need the features only
        return predict(network, LabeledImages.ofPixels(width, classes, pixels, new byte[images.size()]));
    }

    /**
     * @param network a network whose input and output fit {@code examples}' width and classes
     * @param examples the examples, in any number
     * @return one prediction per example, in the same order
     */
    public static List<Prediction> predict(MultiLayerNetwork network, LabeledImages examples) {
        List<Prediction> predictions = new ArrayList<>(examples.size());
        int width = examples.width();
        for (int from = 0; from < examples.size(); from += CHUNK) {
            int size = Math.min(CHUNK, examples.size() - from);
            float[] features = new float[size * width];
            examples.fill(null, from, size, features, new float[size * examples.classes()]);
            INDArray probabilities = network.output(Nd4j.create(features, new long[] {size, width}, 'c'), false);
            for (int k = 0; k < size; k++) {
                float[] row = probabilities.getRow(k).toFloatVector();
                int best = 0;
                for (int c = 1; c < row.length; c++) {
                    if (row[c] > row[best]) {
                        best = c;
                    }
                }
                predictions.add(new Prediction(best, row[best]));
            }
        }
        return predictions;
    }
}
