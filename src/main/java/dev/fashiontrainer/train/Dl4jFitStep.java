package dev.fashiontrainer.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.ExecutorNetworks;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.spark.LruCache;

/**
 * The general step: DL4J's {@code MultiLayerNetwork.fit} on one minibatch, which covers every optimizer and loss
 * the trainer offers (the seed's {@code loss.backward(); optimizer.step()} in one call).
 */
public final class Dl4jFitStep implements LocalStep {
    private final MultiLayerNetwork network;
    // One set per minibatch size, DL4J wants exact shapes: the full size and the shard's last, shorter one, no more
    // (a shard of another size has another last one).
    private final LruCache<Integer, MinibatchArrays> arrays = new LruCache<>(2, MinibatchArrays::close);

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
        MinibatchArrays batch = arrays.get(size, s -> new MinibatchArrays(s, images.width(), images.classes()));
        batch.fill(images, order, from);
        network.fit(new DataSet(batch.features(), batch.labels()));
        return network.score();
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    public void close() {
        arrays.clear();
        ExecutorNetworks.release(network);
    }
}
