package dev.fashiontrainer.bench;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The matrix products of one SGD step of a dense network on a minibatch of 64, on float32 arrays allocated once:
 * what a step cannot do without, and so the yardstick of the bound. For widths {@code w0, ..., wL} (MLlib's
 * layers) they are each layer's forward product, each layer's weight gradient, and the input gradient of every
 * layer but the first (nothing needs the gradient of the input itself): eight for the seed's 784-512-512-10. The
 * same products can be laid out two ways, and OpenBLAS is not equally fast on both, so the bound takes the faster:
 * {@link Layout#PLAIN} (every operand row-major, no transposes) and {@link Layout#AS_TRAINED} (what the lean step
 * multiplies: weights column-major as DL4J stores them, activations row-major, transposed operands for the
 * gradients).
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

    private final Product[] products;
    private final boolean[] transposeA;
    private final boolean[] transposeB;
    private final INDArray[] left;
    private final INDArray[] right;
    private final INDArray[] out;

    /** Allocates this loop's own arrays for the network of {@code widths} in {@code layout}, small random numbers. */
    MatrixProducts(List<Integer> widths, Layout layout) {
        products = products(widths);
        transposeA = new boolean[products.length];
        transposeB = new boolean[products.length];
        left = new INDArray[products.length];
        right = new INDArray[products.length];
        out = new INDArray[products.length];
        boolean trained = layout == Layout.AS_TRAINED;
        for (int i = 0; i < products.length; i++) {
            Product p = products[i];
            transposeA[i] = trained && p.transposeA();
            transposeB[i] = trained && p.transposeB();
            left[i] = random(transposeA[i] ? p.k() : p.m(), transposeA[i] ? p.m() : p.k(), 'c');
            right[i] = random(transposeB[i] ? p.n() : p.k(), transposeB[i] ? p.k() : p.n(), trained ? p.orderB() : 'c');
            out[i] = Nd4j.create(DataType.FLOAT, new long[] {p.m(), p.n()}, trained ? p.orderC() : 'c');
        }
    }

    /** The products of a step of the network of {@code widths}, in the order the step runs them. */
    private static Product[] products(List<Integer> widths) {
        int layers = widths.size() - 1;
        List<Product> step = new ArrayList<>();
        for (int l = 0; l < layers; l++) { // forward
            step.add(new Product(BATCH, widths.get(l), widths.get(l + 1), false, false, 'f', 'c'));
        }
        for (int l = 0; l < layers; l++) { // weight gradients
            step.add(new Product(widths.get(l), BATCH, widths.get(l + 1), true, false, 'c', 'f'));
        }
        for (int l = layers - 1; l >= 1; l--) { // input gradients, from the last layer back to the second
            step.add(new Product(BATCH, widths.get(l + 1), widths.get(l), false, true, 'f', 'c'));
        }
        return step.toArray(Product[]::new);
    }

    private static INDArray random(int rows, int columns, char order) {
        INDArray values = Nd4j.create(DataType.FLOAT, new long[] {rows, columns}, order);
        return values.assign(Nd4j.rand(DataType.FLOAT, rows, columns).subi(0.5));
    }

    /** @return how many products a step of the network of {@code widths} runs */
    static int count(List<Integer> widths) {
        return products(widths).length;
    }

    /** @return floating-point operations of one minibatch's products, {@code 2 m k n} summed */
    static double flopsPerBatch(List<Integer> widths) {
        double flops = 0;
        for (Product p : products(widths)) {
            flops += 2.0 * p.m() * p.k() * p.n();
        }
        return flops;
    }

    /** @return floating-point operations of one epoch's products: 60,000 / 64 minibatches */
    static double flopsPerEpoch(List<Integer> widths) {
        return flopsPerBatch(widths) * EPOCH_EXAMPLES / BATCH;
    }

    /** Runs the step's products {@code batches} times. */
    void run(int batches) {
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < products.length; i++) {
                Nd4j.gemm(left[i], right[i], out[i], transposeA[i], transposeB[i], 1.0, 0.0);
            }
        }
    }
}
