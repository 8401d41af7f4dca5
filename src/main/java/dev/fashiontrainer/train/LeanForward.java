package dev.fashiontrainer.train;

import java.nio.FloatBuffer;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import dev.fashiontrainer.config.HiddenActivation;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.spark.LruCache;

/**
 * The network's forward pass (dense hidden layers with ReLU, sigmoid or tanh, then the softmax output) written
 * directly with ND4J on arrays allocated once per minibatch size (the two last used: the full size and the last,
 * shorter one): one product, one bias row and one nonlinearity per layer, the softmax and the loss in Java. The
 * weights and biases are views of the {@link MultiLayerNetwork}'s own flat parameter vector,
 * so it always computes with the network's current parameters. {@link LeanStep} trains with it; the evaluation
 * predicts with it.
 */
public final class LeanForward implements AutoCloseable {
    private final INDArray[] weights;
    private final INDArray[] biases;
    // widths[0] is the input's, widths[l] dense layer l's output's
    private final int[] widths;
    private final HiddenActivation activation;
    private final OutputLoss loss;
    // The full minibatch and the last, shorter one; a third size (another shard's last) evicts the older.
    private final LruCache<Integer, Activations> activations = new LruCache<>(2, Activations::close);

    /**
     * @param network a network built by {@link NetworkFactory}: dense layers of one hidden nonlinearity, a softmax
     *     output
     * @throws IllegalArgumentException when the network has another kind of layer, nonlinearity or loss
     */
    public LeanForward(MultiLayerNetwork network) {
        int layers = network.getnLayers();
        this.weights = new INDArray[layers];
        this.biases = new INDArray[layers];
        this.widths = new int[layers + 1];
        HiddenActivation hidden = null;
        for (int l = 0; l < layers; l++) {
            if (!(network.getLayer(l).conf().getLayer() instanceof FeedForwardLayer dense)) {
                throw new IllegalArgumentException("expected dense layers, found "
                        + network.getLayer(l).conf().getLayer().getClass().getSimpleName() + " as layer " + l);
            }
            weights[l] = network.getLayer(l).getParam("W");
            biases[l] = network.getLayer(l).getParam("b");
            widths[l] = (int) dense.getNIn();
            widths[l + 1] = (int) dense.getNOut();
            if (l < layers - 1) {
                hidden = hiddenActivation(((BaseLayer) dense).getActivationFn(), l);
            }
        }
        this.activation = hidden == null ? HiddenActivation.RELU : hidden; // no hidden layer: nothing to apply
        BaseOutputLayer output = (BaseOutputLayer) network.getOutputLayer().conf().getLayer();
        this.loss = OutputLoss.of(output.getLossFn(), output.getActivationFn());
    }

    private static HiddenActivation hiddenActivation(IActivation function, int layer) {
        for (HiddenActivation candidate : HiddenActivation.values()) {
            if (NetworkFactory.activation(candidate).getActivationFunction().getClass() == function.getClass()) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("layer " + layer + " uses " + function + "; the lean step computes relu,"
                + " sigmoid and tanh");
    }

    /**
     * Predicts images {@code from...from + size - 1} in one pass, on arrays kept for the next call of that size.
     *
     * @param predicted where to write each image's most probable class
     * @param losses where to write each image's loss
     */
    public void predict(LabeledImages images, int from, int size, int[] predicted, double[] losses) {
        Activations a = arrays(size);
        a.batch.fill(images, null, from);
        forward(a);
        FloatBuffer labels = a.batch.labelStorage();
        int classes = classes();
        float[] p = new float[classes];
        for (int row = 0; row < size; row++) {
            loss.activate(a.output, row * classes, p);
            losses[row] = loss.rowLossAndDelta(p, labels, row * classes, null);
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            predicted[row] = best;
        }
    }

    /** @return the arrays of minibatches of {@code size} examples, allocated on first use */
    Activations arrays(int size) {
        return activations.get(size, this::newActivations);
    }

    private Activations newActivations(int size) {
        return new Activations(size, widths);
    }

    /** Computes every layer's output for the minibatch in {@code a}; the last one holds the logits. */
    void forward(Activations a) {
        int last = weights.length - 1;
        for (int l = 0; l <= last; l++) {
            INDArray out = a.layer[l + 1];
            Nd4j.gemm(a.layer[l], weights[l], out, false, false, 1.0, 0.0);
            out.addiRowVector(biases[l]);
            if (l < last) {
                switch (activation) {
                    case RELU -> Transforms.relu(out, false);
                    case SIGMOID -> Transforms.sigmoid(out, false);
                    case TANH -> Transforms.tanh(out, false);
                }
            }
        }
    }

    /**
     * Multiplies {@code delta} in place by the hidden nonlinearity's derivative, written in terms of the layer's
     * output {@code out}: ReLU's is 1 where the output is positive, sigmoid's {@code out (1 - out)}, tanh's
     * {@code 1 - out^2}.
     */
    void backThroughActivation(INDArray out, INDArray delta) {
        switch (activation) {
            case RELU -> Nd4j.exec(new RectifiedLinearDerivative(out, delta, delta));
            case SIGMOID -> delta.muli(out.rsub(1.0).muli(out));
            case TANH -> delta.muli(out.mul(out).rsubi(1.0));
        }
    }

    /** @return layer {@code l}'s weights, a view of the network's parameters */
    INDArray weights(int l) {
        return weights[l];
    }

    /** @return layer {@code l}'s biases, a view of the network's parameters */
    INDArray biases(int l) {
        return biases[l];
    }

    /** @return the output layer's width: the number of classes */
    int classes() {
        return widths[widths.length - 1];
    }

    /** @return the dense layers */
    int layers() {
        return weights.length;
    }

    /** @return the output layer's loss */
    OutputLoss loss() {
        return loss;
    }

    /** Frees the native memory of the arrays of every minibatch size; the network's parameters stay. */
    @Override
    public void close() {
        activations.clear();
    }

    /** The arrays of one minibatch size: inputs, each layer's output, each layer's gradient. */
    static final class Activations implements AutoCloseable {
        final MinibatchArrays batch;
        // layer[0] is the input, layer[l] the output of dense layer l (after its nonlinearity), the last the logits
        final INDArray[] layer;
        // delta[l] is the loss gradient at layer[l]'s pre-activation; the last one shares the logits' storage
        final INDArray[] delta;
        final INDArray ones;
        final FloatBuffer output;

        Activations(int size, int[] sizes) {
            batch = new MinibatchArrays(size, sizes[0], sizes[sizes.length - 1]);
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

        @Override
        public void close() {
            batch.close();
            ones.close();
            for (int l = 1; l < layer.length; l++) {
                layer[l].close();
                delta[l].close(); // the logits' delta is the logits: closing twice does nothing
            }
        }
    }
}
