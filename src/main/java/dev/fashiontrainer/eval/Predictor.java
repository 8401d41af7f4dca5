package dev.fashiontrainer.eval;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.data.InputImage;
import dev.fashiontrainer.data.LabeledImages;

/**
 * Classifies images with a trained network in this process, in chunks: the seed's {@code pred.argmax(1)} plus the
 * softmax probability of the chosen class. The pixels are scaled to [0, 1] exactly as for training.
 */
public final class Predictor {
    private static final int CHUNK = 1000;

    private Predictor() {
    }

    /**
     * @param network a network of the seed's shape
     * @param images the images, in any number
     * @return one prediction per image, in the same order
     */
    public static List<Prediction> predict(MultiLayerNetwork network, List<InputImage> images) {
        List<Prediction> predictions = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += CHUNK) {
            int size = Math.min(CHUNK, images.size() - from);
            float[] features = new float[size * LabeledImages.PIXELS];
            for (int k = 0; k < size; k++) {
                byte[] pixels = images.get(from + k).pixels();
                for (int p = 0; p < LabeledImages.PIXELS; p++) {
                    features[k * LabeledImages.PIXELS + p] = (pixels[p] & 0xFF) / 255f;
                }
            }
            INDArray probabilities = network.output(Nd4j.create(features, new long[] {size, LabeledImages.PIXELS},
                    'c'), false);
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
