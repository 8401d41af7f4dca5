package dev.fashiontrainer.train;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.data.LabeledImages;

/**
 * A minibatch's features ({@code size x width}) and one-hot labels ({@code size x classes}) as ND4J arrays
 * allocated once and refilled in place for every minibatch of that size, straight from the shard's compact form.
 */
final class MinibatchArrays implements AutoCloseable {
    private final int size;
    private final INDArray features;
    private final INDArray labels;
    // Views of the arrays' native storage, so filling them needs no float[] and no extra copy.
    private final FloatBuffer featureStorage;
    private final FloatBuffer labelStorage;

    /**
     * @param size examples per minibatch
     * @param width features per example
     * @param classes the number of classes
     */
    MinibatchArrays(int size, int width, int classes) {
        this.size = size;
        this.features = Nd4j.create(DataType.FLOAT, new long[] {size, width}, 'c');
        this.labels = Nd4j.create(DataType.FLOAT, new long[] {size, classes}, 'c');
        this.featureStorage = features.data().asNioFloat();
        this.labelStorage = labels.data().asNioFloat();
    }

    /** Fills the arrays with the {@code size} images at positions {@code from...} of {@code order}. */
    void fill(LabeledImages images, int[] order, int from) {
        images.fill(order, from, size, featureStorage, labelStorage);
    }

    /** @return the features, {@code size x width}, pixels scaled to [0, 1] */
    INDArray features() {
        return features;
    }

    /** @return the one-hot labels, {@code size x classes} */
    INDArray labels() {
        return labels;
    }

    /** @return the labels' native storage, row-major */
    FloatBuffer labelStorage() {
        return labelStorage;
    }

    /** Frees the arrays' native memory; they must not be used afterwards. */
    @Override
    public void close() {
        features.close();
        labels.close();
    }
}
