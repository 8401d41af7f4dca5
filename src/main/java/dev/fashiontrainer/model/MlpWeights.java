package dev.fashiontrainer.model;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's parameters as one vector in the layout of MLlib's {@code MultilayerPerceptronClassificationModel
 * .weights}: layer after layer, the weights of that layer and then its biases; the weights input unit after input
 * unit, each unit's weights to every output unit in order (element {@code (i, o)} of an {@code in x out} matrix at
 * {@code i * out + o}). So a vector taken from MLlib's model can start this trainer's network of the same layers,
 * and the reverse. DL4J's own flat vector orders the weights column by column instead.
 */
public final class MlpWeights {
    private MlpWeights() {
    }

    /** @return the parameters of {@code network} in MLlib's layout */
    public static Vector of(MultiLayerNetwork network) {
        double[] values = new double[(int) network.numParams()];
        int at = 0;
        for (int l = 0; l < network.getnLayers(); l++) {
            for (String name : new String[] {"W", "b"}) {
                double[] part = network.getLayer(l).getParam(name).dup('c').data().asDouble();
                System.arraycopy(part, 0, values, at, part.length);
                at += part.length;
            }
        }
        return Vectors.dense(values);
    }

    /**
     * Sets every weight and bias of {@code network} from {@code weights}.
     *
     * @throws IllegalArgumentException when the vector's size is not the network's parameter count
     */
    public static void apply(Vector weights, MultiLayerNetwork network) {
        if (weights.size() != network.numParams()) {
            throw new IllegalArgumentException("initialWeights: expected " + network.numParams() + " values for the"
                    + " layers " + NetworkShape.widthsOf(network) + ", found " + weights.size());
        }
        double[] values = weights.toArray();
        int at = 0;
        for (int l = 0; l < network.getnLayers(); l++) {
            for (String name : new String[] {"W", "b"}) {
                INDArray target = network.getLayer(l).getParam(name);
                int count = (int) target.length();
                float[] part = new float[count];
                for (int k = 0; k < count; k++) {
                    part[k] = (float) values[at + k];
                }
                target.assign(Nd4j.create(part, target.shape(), 'c'));
                at += count;
            }
        }
    }
}
