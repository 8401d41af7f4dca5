package dev.fashiontrainer.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The eight matrix products of one SGD step of the seed's network on a minibatch of 64, on float32 arrays
 * allocated once: what a step cannot do without, and so the yardstick of the bound.
 */
final class MatrixProducts {
    /** {@code {m, k, n}} of each product {@code (m x k) * (k x n)}. */
    static final int[][] SHAPES = {
        {64, 784, 512}, {64, 512, 512}, {64, 512, 10},  // forward
        {784, 64, 512}, {512, 64, 512}, {512, 64, 10},  // weight gradients
        {64, 10, 512}, {64, 512, 512},                  // input gradients of layers 3 and 2
    };
    /** Examples per minibatch the shapes assume. */
    static final int BATCH = 64;
    /** Training examples per epoch. */
    static final int EPOCH_EXAMPLES = 60_000;

    private final INDArray[] left = new INDArray[SHAPES.length];
    private final INDArray[] right = new INDArray[SHAPES.length];
    private final INDArray[] out = new INDArray[SHAPES.length];

    /** Allocates this loop's own arrays, filled with small random numbers. */
    MatrixProducts() {
        for (int i = 0; i < SHAPES.length; i++) {
            int[] s = SHAPES[i];
            left[i] = Nd4j.rand(DataType.FLOAT, s[0], s[1]).subi(0.5);
            right[i] = Nd4j.rand(DataType.FLOAT, s[1], s[2]).subi(0.5);
            out[i] = Nd4j.create(DataType.FLOAT, s[0], s[2]);
        }
    }

    /** @return floating-point operations of one minibatch's products, {@code 2 m k n} summed */
    static double flopsPerBatch() {
        double flops = 0;
        for (int[] s : SHAPES) {
            flops += 2.0 * s[0] * s[1] * s[2];
        }
        return flops;
    }

    /** @return floating-point operations of one epoch's products: 60,000 / 64 minibatches */
    static double flopsPerEpoch() {
        return flopsPerBatch() * EPOCH_EXAMPLES / BATCH;
    }

    /** Runs the eight products {@code batches} times. */
    void run(int batches) {
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < SHAPES.length; i++) {
                Nd4j.gemm(left[i], right[i], out[i], false, false, 1.0, 0.0);
            }
        }
    }
}
