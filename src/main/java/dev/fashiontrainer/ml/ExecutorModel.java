package dev.fashiontrainer.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.model.NativeSettings;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * A trained network as it travels to the executors inside a model's closures: its layers (as JSON) and its
 * parameters, from which each executor thread builds its own network once. It computes the output layer's values
 * before the output activation (a classifier's logits, a regression's prediction) for blocks of rows.
 */
final class ExecutorModel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String layers;
    private final float[] parameters;
    private final int width;
    private transient ThreadLocal<MultiLayerNetwork> networks;

    /** @param network the trained network (its optimizer state stays behind) */
    ExecutorModel(MultiLayerNetwork network, int width) {
        this.layers = network.getLayerWiseConfigurations().toJson();
        this.parameters = network.params().toFloatVector();
        this.width = width;
    }

    /**
     * @param rows feature vectors of the network's input width
     * @param featuresColumn the column they come from, for messages
     * @return the output layer's values before its activation, one vector per row, in one forward pass
     * @throws DataException when a vector has another size than the network's input
     */
    List<Vector> outputs(List<Vector> rows, String featuresColumn) {
        float[] values = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            Vector features = rows.get(i);
            if (features.size() != width) {
                throw new DataException("column '" + featuresColumn + "': expected vectors of " + width
                        + " values (the model's input width), found one of " + features.size());
            }
            for (int p = 0; p < width; p++) {
                values[i * width + p] = (float) features.apply(p);
            }
        }
        MultiLayerNetwork net = threadNetwork();
        INDArray input = Nd4j.create(values, new long[] {rows.size(), width}, 'c');
        int last = net.getnLayers() - 1;
        // the output layer's input (the last hidden layer's output, or the features themselves), then its product
        INDArray hidden = last == 0 ? input : net.feedForwardToLayer(last - 1, input, false).get(last);
        INDArray out = hidden.mmul(net.getLayer(last).getParam("W")).addiRowVector(net.getLayer(last).getParam("b"));
        List<Vector> vectors = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            vectors.add(Vectors.dense(out.getRow(i).toDoubleVector()));
        }
        return vectors;
    }

    private synchronized MultiLayerNetwork threadNetwork() {
        if (networks == null) {
            networks = ThreadLocal.withInitial(() -> {
                NativeSettings.applyToThisJvm();
                MultiLayerNetwork built = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(layers));
                built.init();
                new ParameterSnapshot(parameters, new float[0]).applyTo(built);
                return built;
            });
        }
        return networks.get();
    }
}
