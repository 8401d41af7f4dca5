package dev.fashiontrainer.train;

import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * The general step: DL4J's {@code MultiLayerNetwork.fit} on one minibatch, which covers every optimizer and loss
 * the trainer offers (the seed's {@code loss.backward(); optimizer.step()} in one call).
 */
public final class Dl4jFitStep implements LocalStep {
    private final MultiLayerNetwork network;
    // One set per minibatch size (the full size and the shard's last, shorter one): DL4J wants exact shapes.
    private final Map<Integer, MinibatchArrays> arrays = new HashMap<>();

    /** @param network the network to train in place */
    public Dl4jFitStep(MultiLayerNetwork network) {
        this.network = network;
    }

    @Override
    public void reset(ParameterSnapshot start, double learningRate) {
        start.applyTo(network);
        network.setLearningRate(learningRate);
    }

    @Override
    public double fit(LabeledImages images, int[] order, int from, int size) {
        MinibatchArrays batch = arrays.computeIfAbsent(size,
                s -> new MinibatchArrays(s, images.width(), images.classes()));
        batch.fill(images, order, from);
        network.fit(new DataSet(batch.features(), batch.labels()));
        return network.score();
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }
}
