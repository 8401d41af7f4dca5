package dev.fashiontrainer.train;

import java.nio.FloatBuffer;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;


/**
 * The output layers and losses the trainer offers (a softmax over the classes, or a linear output for regression),
 * computed the way DL4J's activations and loss functions compute them, in one pass in Java over the output's native
 * storage (a few values per row: a native call per operation would cost more than the arithmetic).
 */
enum OutputLoss {
    /**
     * DL4J's {@code MCXENT} (and {@code NEGATIVELOGLIKELIHOOD}, which extends it): {@code -log p(true class)} with
     * the probability clipped at 1e-10; its gradient at the logits is {@code p - y}.
     */
    CROSS_ENTROPY {
        @Override
        double rowLossAndDelta(float[] p, FloatBuffer y, int base, FloatBuffer out) {
            double loss = 0;
            for (int c = 0; c < p.length; c++) {
                float label = y.get(base + c);
                if (label != 0) {
                    loss -= label * Math.log(Math.max(p[c], PROBABILITY_FLOOR));
                }
                if (out != null) {
                    out.put(base + c, p[c] - label);
                }
            }
            return loss;
        }
    },
    /**
     * DL4J's {@code MSE}: {@code sum((p - y)^2) / classes}; its gradient {@code 2 (p - y) / classes} at the
     * probabilities, taken through the softmax: {@code p_j (g_j - sum_k p_k g_k)}.
     */
    SQUARED_ERROR {
        @Override
        double rowLossAndDelta(float[] p, FloatBuffer y, int base, FloatBuffer out) {
            int classes = p.length;
            double loss = 0;
            float weighted = 0;
            for (int c = 0; c < classes; c++) {
                float difference = p[c] - y.get(base + c);
                loss += difference * difference;
                weighted += p[c] * (2 * difference / classes);
            }
            if (out != null) {
                for (int c = 0; c < classes; c++) {
                    float gradient = 2 * (p[c] - y.get(base + c)) / classes;
                    out.put(base + c, p[c] * (gradient - weighted));
                }
            }
            return loss / classes;
        }
    },
    /**
     * DL4J's {@code MSE} on a linear ({@code IDENTITY}) output, for regression: {@code sum((z - y)^2) / outputs},
     * its gradient {@code 2 (z - y) / outputs} at the outputs themselves.
     */
    LINEAR_SQUARED_ERROR {
        @Override
        void activate(FloatBuffer z, int base, float[] p) {
            for (int c = 0; c < p.length; c++) {
                p[c] = z.get(base + c);
            }
        }

        @Override
        double rowLossAndDelta(float[] p, FloatBuffer y, int base, FloatBuffer out) {
            double loss = 0;
            for (int c = 0; c < p.length; c++) {
                float difference = p[c] - y.get(base + c);
                loss += difference * difference;
                if (out != null) {
                    out.put(base + c, 2 * difference / p.length);
                }
            }
            return loss / p.length;
        }
    };

    // DL4J's LossMCXENT clips probabilities at this value before the log.
    private static final double PROBABILITY_FLOOR = 1e-10;

    /**
     * @param loss a DL4J loss function
     * @param output the output layer's activation
     * @return the one computing the same loss
     * @throws IllegalArgumentException for a loss or an output the trainer does not offer
     */
    static OutputLoss of(ILossFunction loss, IActivation output) {
        if (output instanceof ActivationIdentity) {
            if (loss instanceof LossMSE mse && mse.getWeights() == null) {
                return LINEAR_SQUARED_ERROR;
            }
            throw new IllegalArgumentException("expected an unweighted MSE loss on a linear output, found " + loss);
        }
        if (!(output instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("expected a softmax or a linear output, found " + output);
        }
        if (loss instanceof LossMCXENT mcxent && mcxent.getWeights() == null) {
            return CROSS_ENTROPY;
        }
        if (loss instanceof LossMSE mse && mse.getWeights() == null) {
            return SQUARED_ERROR;
        }
        throw new IllegalArgumentException("expected an unweighted MCXENT, NEGATIVELOGLIKELIHOOD or MSE loss, found "
                + loss);
    }

    /**
     * Turns each row's outputs (logits) into what the loss compares with the labels (probabilities, or the outputs
     * themselves) and then into the loss gradient at the outputs, in place.
     *
     * @param logits {@code rows x classes}, row-major; holds the gradient afterwards
     * @param labels one-hot labels of the same shape
     * @param rows examples
     * @param classes logits per row
     * @return the sum of the rows' losses
     */
    double lossAndDelta(FloatBuffer logits, FloatBuffer labels, int rows, int classes) {
        float[] p = new float[classes];
        double loss = 0;
        for (int row = 0; row < rows; row++) {
            activate(logits, row * classes, p);
            loss += rowLossAndDelta(p, labels, row * classes, logits);
        }
        return loss;
    }

    /** One row's loss; writes its gradient at the logits into {@code out} at {@code base} unless null. */
    abstract double rowLossAndDelta(float[] p, FloatBuffer y, int base, FloatBuffer out);

    /** Writes the output layer's activation of the {@code p.length} values at {@code base} into {@code p}. */
    void activate(FloatBuffer z, int base, float[] p) {
        softmax(z, base, p);
    }

    /** Writes the softmax of the {@code p.length} logits at {@code base} into {@code p}. */
    static void softmax(FloatBuffer z, int base, float[] p) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < p.length; c++) {
            max = Math.max(max, z.get(base + c));
        }
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            sum += Math.exp(z.get(base + c) - max);
        }
        for (int c = 0; c < p.length; c++) {
            p[c] = (float) (Math.exp(z.get(base + c) - max) / sum);
        }
    }
}
