package dev.fashiontrainer.train;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * Plain SGD on the seed's network (dense ReLU layers, softmax output, cross-entropy), written directly with ND4J
 * so that a step is little more than its eleven matrix products. DL4J's {@code fit} computes the same update but
 * spends 3-7 times the products' time around them (per-op allocations, workspaces, listeners, a separate
 * gradient, then update, then step), because the products of this small network are only ~2 ms per minibatch.
 *
 * <p>What makes it lean: every array is allocated once per minibatch size; the weights and biases are views of
 * the network's own flat parameter vector, so the trained network is the same DL4J model; each layer's update
 * {@code W -= rate/m * input^T * delta} is a single product accumulated into {@code W} (no gradient array, no
 * separate update op); bias gradients are products with a row of ones; the 64x10 softmax, loss and output
 * gradient are one pass in Java over the array's native storage instead of several native calls.
 *
 * <p>It matches DL4J's {@code fit} with {@code Sgd} and {@code MCXENT} (which {@code NEGATIVELOGLIKELIHOOD}
 * extends): gradients averaged over the minibatch, {@code params -= lr * gradient}, probabilities clipped at
 * 1e-10 inside the log. {@code LeanSgdStepTest} checks this against {@code fit}.
 */
public final class LeanSgdStep implements LocalStep {
    // DL4J's LossMCXENT clips probabilities at this value before the log.
    private static final double PROBABILITY_FLOOR = 1e-10;

    private final MultiLayerNetwork network;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final Map<Integer, Activations> activations = new HashMap<>();
    private double learningRate;

    /**
     * @param network a network built by {@link NetworkFactory} (784-512-512-10); trained in place
     * @throws IllegalArgumentException when the network has other layer sizes
     */
    public LeanSgdStep(MultiLayerNetwork network) {
        int layers = NetworkFactory.LAYER_SIZES.length - 1;
        if (network.getnLayers() != layers) {
            throw new IllegalArgumentException("expected the seed's network of " + layers + " layers, found "
                    + network.getnLayers());
        }
        this.network = network;
        this.weights = new INDArray[layers];
        this.biases = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            weights[l] = network.getLayer(l).getParam("W");
            biases[l] = network.getLayer(l).getParam("b");
            long[] expected = {NetworkFactory.LAYER_SIZES[l], NetworkFactory.LAYER_SIZES[l + 1]};
            if (weights[l].rows() != expected[0] || weights[l].columns() != expected[1]) {
                throw new IllegalArgumentException("expected layer " + l + " weights of shape " + expected[0] + "x"
                        + expected[1] + ", found " + weights[l].rows() + "x" + weights[l].columns());
            }
        }
    }

    @Override
    public void reset(ParameterSnapshot start, double learningRate) {
        start.applyTo(network);
        this.learningRate = learningRate;
    }

    @Override
    public double fit(LabeledImages images, int[] order, int from, int size) {
        Activations a = activations.computeIfAbsent(size, Activations::new);
        a.batch.fill(images, order, from);

        // forward: dense layers into preallocated outputs, ReLU in place; the output layer's softmax is in Java
        int last = weights.length - 1;
        for (int l = 0; l <= last; l++) {
            INDArray out = a.layer[l + 1];
            Nd4j.gemm(a.layer[l], weights[l], out, false, false, 1.0, 0.0);
            out.addiRowVector(biases[l]);
            if (l < last) {
                Transforms.relu(out, false);
            }
        }
        double loss = softmaxLossAndDelta(a, size);

        // backward: take each layer's input gradient while its weights are unchanged, then update them in place
        double step = -learningRate / size;
        for (int l = last; l >= 0; l--) {
            INDArray delta = a.delta[l + 1];
            if (l > 0) {
                Nd4j.gemm(delta, weights[l], a.delta[l], false, true, 1.0, 0.0);
            }
            Nd4j.gemm(a.layer[l], delta, weights[l], true, false, step, 1.0);
            Nd4j.gemm(a.ones, delta, biases[l], false, false, step, 1.0);
            if (l > 0) {
                // the ReLU's gradient: zero where the layer's output was zero
                Nd4j.exec(new RectifiedLinearDerivative(a.layer[l], a.delta[l], a.delta[l]));
            }
        }
        return loss;
    }

    /**
     * Turns the output layer's pre-activations into probabilities and then into the loss gradient
     * {@code p - y} in place, and returns the mean loss {@code -log p(true class)}.
     */
    private static double softmaxLossAndDelta(Activations a, int size) {
        FloatBuffer z = a.output;
        FloatBuffer y = a.batch.labelStorage();
        int classes = LabeledImages.CLASSES;
        double loss = 0;
        for (int row = 0; row < size; row++) {
            int base = row * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z.get(base + c));
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z.get(base + c) - max);
            }
            for (int c = 0; c < classes; c++) {
                float p = (float) (Math.exp(z.get(base + c) - max) / sum);
                float label = y.get(base + c);
                if (label != 0) {
                    loss -= label * Math.log(Math.max(p, PROBABILITY_FLOOR));
                }
                z.put(base + c, p - label);
            }
        }
        return loss / size;
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }

    /** The arrays of one minibatch size: inputs, each layer's output, each layer's gradient. */
    private static final class Activations {
        final MinibatchArrays batch;
        // layer[0] is the input, layer[l] the output of dense layer l (after ReLU), the last one the logits
        final INDArray[] layer;
        // delta[l] is the loss gradient at layer[l]'s pre-activation; the last one shares the logits' storage
        final INDArray[] delta;
        final INDArray ones;
        final FloatBuffer output;

        Activations(int size) {
            int[] sizes = NetworkFactory.LAYER_SIZES;
            batch = new MinibatchArrays(size);
            layer = new INDArray[sizes.length];
            delta = new INDArray[sizes.length];
            layer[0] = batch.features();
            for (int l = 1; l < sizes.length; l++) {
                layer[l] = Nd4j.create(DataType.FLOAT, new long[] {size, sizes[l]}, 'c');
                delta[l] = l == sizes.length - 1 ? layer[l]
                        : Nd4j.create(DataType.FLOAT, new long[] {size, sizes[l]}, 'c');
            }
            ones = Nd4j.ones(DataType.FLOAT, 1, size);
            output = layer[sizes.length - 1].data().asNioFloat();
        }
    }
}
