package dev.fashiontrainer.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The eight matrix products of one SGD step of the seed's network on a minibatch of 64, on float32 arrays
 * allocated once: what a step cannot do without, and so the yardstick of the bound. The same products can be laid
 * out two ways, and OpenBLAS is not equally fast on both, so the bound takes the faster: {@link Layout#PLAIN}
 * (every operand row-major, no transposes) and {@link Layout#AS_TRAINED} (what the lean step multiplies: weights
 * column-major as DL4J stores them, activations row-major, transposed operands for the gradients).
 */
final class MatrixProducts {
    /** Examples per minibatch the shapes assume. */
    static final int BATCH = 64;
    /** Training examples per epoch. */
    static final int EPOCH_EXAMPLES = 60_000;

    /** How the operands are stored. */
    enum Layout {
        /** Row-major operands, no transposes. */
        PLAIN,
        /** The lean step's storage orders and transposes. */
        AS_TRAINED
    }

    /**
     * One product {@code (m x k) * (k x n)}, with how it is stored when trained: A row-major (transposed for the
     * weight gradients), B column-major when it is a weight matrix (transposed for the input gradients), C
     * column-major when it is a weight matrix.
     */
    private record Product(int m, int k, int n, boolean transposeA, boolean transposeB, char orderB, char orderC) {
    }

    private static final Product[] PRODUCTS = {
        new Product(64, 784, 512, false, false, 'f', 'c'), // forward
        new Product(64, 512, 512, false, false, 'f', 'c'),
        new Product(64, 512, 10, false, false, 'f', 'c'),
        new Product(784, 64, 512, true, false, 'c', 'f'),  // weight gradients
        new Product(512, 64, 512, true, false, 'c', 'f'),
        new Product(512, 64, 10, true, false, 'c', 'f'),
        new Product(64, 10, 512, false, true, 'f', 'c'),   // input gradients of layers 3 and 2
        new Product(64, 512, 512, false, true, 'f', 'c'),
    };

    private final boolean[] transposeA = new boolean[PRODUCTS.length];
    private final boolean[] transposeB = new boolean[PRODUCTS.length];
    private final INDArray[] left = new INDArray[PRODUCTS.length];
    private final INDArray[] right = new INDArray[PRODUCTS.length];
    private final INDArray[] out = new INDArray[PRODUCTS.length];

    /** Allocates this loop's own arrays in {@code layout}, filled with small random numbers. */
    MatrixProducts(Layout layout) {
        boolean trained = layout == Layout.AS_TRAINED;
        for (int i = 0; i < PRODUCTS.length; i++) {
            Product p = PRODUCTS[i];
            transposeA[i] = trained && p.transposeA();
            transposeB[i] = trained && p.transposeB();
            left[i] = random(transposeA[i] ? p.k() : p.m(), transposeA[i] ? p.m() : p.k(), 'c');
            right[i] = random(transposeB[i] ? p.n() : p.k(), transposeB[i] ? p.k() : p.n(), trained ? p.orderB() : 'c');
            out[i] = Nd4j.create(DataType.FLOAT, new long[] {p.m(), p.n()}, trained ? p.orderC() : 'c');
        }
    }

    private static INDArray random(int rows, int columns, char order) {
        INDArray values = Nd4j.create(DataType.FLOAT, new long[] {rows, columns}, order);
        return values.assign(Nd4j.rand(DataType.FLOAT, rows, columns).subi(0.5));
    }

    /** @return floating-point operations of one minibatch's products, {@code 2 m k n} summed */
    static double flopsPerBatch() {
        double flops = 0;
        for (Product p : PRODUCTS) {
            flops += 2.0 * p.m() * p.k() * p.n();
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
            for (int i = 0; i < PRODUCTS.length; i++) {
                Nd4j.gemm(left[i], right[i], out[i], transposeA[i], transposeB[i], 1.0, 0.0);
            }
        }
    }
}
