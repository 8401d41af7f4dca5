package dev.fashiontrainer.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.ExecutorNetworks;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * A minibatch step on the trainer's networks (dense hidden layers, softmax output) for every optimizer and loss the
 * trainer offers, written directly with ND4J so that a step is little more than its eleven matrix products. DL4J's
 * {@code fit} computes the same update but spends 3-7 times the products' time around them (per-op allocations,
 * workspaces, listeners, a separate gradient, then update, then step), because the products of this small network
 * are only ~2 ms per minibatch.
 *
 * <p>What makes it lean: every array is allocated once per minibatch size ({@link LeanForward}); the weights and
 * biases are views of the network's own flat parameter vector, so the trained network is the same DL4J model;
 * the 64x10 softmax, loss and output gradient are one pass in Java over the array's native storage. With plain
 * SGD each layer's update {@code W -= rate/m * input^T * delta} is a single product accumulated into {@code W}
 * (no gradient array, no separate update op); bias gradients are products with a row of ones. With Adam or
 * Nesterov momentum the same products write the gradient into the network's flat gradient vector, and one fused
 * pass ({@link FusedUpdate}) updates parameters and optimizer state together.
 *
 * <p>It matches DL4J's {@code fit} with {@code Sgd}, {@code Nesterovs} and {@code Adam}, and with {@code MCXENT}
 * (which {@code NEGATIVELOGLIKELIHOOD} extends) and {@code MSE}: gradients averaged over the minibatch, DL4J's
 * update rules, the iteration count advanced by one per step. {@code LeanStepTest} checks this against
 * {@code fit} step by step.
 */
public final class LeanStep implements LocalStep {
    private final MultiLayerNetwork network;
    private final LeanForward forward;
    // null for plain SGD, whose update is accumulated straight into the parameters
    private final FusedUpdate update;
    // where each layer's weight and bias gradients go: the parameters themselves (SGD) or the gradient vector
    private final INDArray[] weightTargets;
    private final INDArray[] biasTargets;
    private double learningRate;

    /**
     * @param network a network built by {@link NetworkFactory}; trained in place
     * @throws IllegalArgumentException when the network has other kinds of layers, or an optimizer or loss the
     *         trainer does not offer
     */
    public LeanStep(MultiLayerNetwork network) {
        this.network = network;
        this.forward = new LeanForward(network);
        this.update = FusedUpdate.of(network);
        int layers = forward.layers();
        this.weightTargets = new INDArray[layers];
        this.biasTargets = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            if (update == null) {
                weightTargets[l] = forward.weights(l);
                biasTargets[l] = forward.biases(l);
            } else {
                // DL4J's own views of the flat gradient vector, laid out as the parameters are
                Layer layer = network.getLayer(l);
                var views = layer.conf().getLayer().initializer()
                        .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
                weightTargets[l] = views.get("W");
                biasTargets[l] = views.get("b");
            }
        }
    }

    @Override
    public void reset(ParameterSnapshot start, double learningRate) {
        start.applyTo(network);
        if (update != null) {
            update.load(start);
        }
        this.learningRate = learningRate;
    }

    @Override
    public double fit(LabeledImages images, int[] order, int from, int size) {
        LeanForward.Activations a = forward.arrays(size);
        a.batch.fill(images, order, from);
        forward.forward(a);
        double loss = forward.loss().lossAndDelta(a.output, a.batch.labelStorage(), size, forward.classes()) / size;

        // backward: take each layer's input gradient while its weights are unchanged, then its own gradient
        // (SGD: straight into the weights, scaled by -rate/m; otherwise into the gradient vector, scaled by 1/m)
        double scale = update == null ? -learningRate / size : 1.0 / size;
        double keep = update == null ? 1.0 : 0.0;
        for (int l = forward.layers() - 1; l >= 0; l--) {
            INDArray delta = a.delta[l + 1];
            if (l > 0) {
                Nd4j.gemm(delta, forward.weights(l), a.delta[l], false, true, 1.0, 0.0);
            }
            Nd4j.gemm(a.layer[l], delta, weightTargets[l], true, false, scale, keep);
            Nd4j.gemm(a.ones, delta, biasTargets[l], false, false, scale, keep);
            if (l > 0) {
                forward.backThroughActivation(a.layer[l], a.delta[l]);
            }
        }
        int iteration = network.getIterationCount();
        if (update != null) {
            update.apply(learningRate, iteration);
        }
        network.setIterationCount(iteration + 1);
        return loss;
    }

    @Override
    public ParameterSnapshot snapshot() {
        return update == null ? LocalStep.super.snapshot() : update.snapshot();
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    public void close() {
        forward.close();
        ExecutorNetworks.release(network);
    }
}
