package dev.fashiontrainer.eval;

import java.io.Serializable;

/**
 * Counts from evaluating a model on labelled examples: the seed's {@code test_loop} numbers (accuracy, average loss)
 * and the confusion matrix they and the per-class metrics come from. Partial results from partitions merge by
 * addition, so a distributed evaluation gives the same numbers as a single-process one.
 */
public final class EvaluationResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private long examples;
    private double lossSum;
    private final long[][] confusion;

    private EvaluationResult(int classes) {
        this.confusion = new long[classes][classes];
    }

    /**
     * @param classes the number of classes K: the confusion matrix is K x K
     * @return an empty result to add into
     */
    public static EvaluationResult empty(int classes) {
        return new EvaluationResult(classes);
    }

    /** @return the number of classes */
    public int classes() {
        return confusion.length;
    }

    /**
     * Records one example.
     *
     * @param actual its true class
     * @param predicted the class with the highest probability
     * @param loss its loss
     */
    public void add(int actual, int predicted, double loss) {
        confusion[actual][predicted]++;
        examples++;
        lossSum += loss;
    }

    /**
     * Adds {@code other} into this result.
     *
     * @return this
     */
    public EvaluationResult merge(EvaluationResult other) {
        if (other.confusion.length != confusion.length) {
            throw new IllegalArgumentException("cannot merge the counts of " + other.confusion.length + " classes into"
                    + " those of " + confusion.length);
        }
        examples += other.examples;
        lossSum += other.lossSum;
        for (int a = 0; a < confusion.length; a++) {
            for (int p = 0; p < confusion.length; p++) {
                confusion[a][p] += other.confusion[a][p];
            }
        }
        return this;
    }

    /** @return examples evaluated */
    public long examples() {
        return examples;
    }

    /** @return examples whose predicted class is the true one */
    public long correct() {
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) {
            correct += confusion[c][c];
        }
        return correct;
    }

    /** @return fraction correct, 0 to 1 */
    public double accuracy() {
        return examples == 0 ? 0 : (double) correct() / examples;
    }

    /** @return mean loss per example */
    public double averageLoss() {
        return examples == 0 ? 0 : lossSum / examples;
    }

    /** @return a copy of the confusion matrix, rows the true class, columns the predicted one */
    public long[][] confusionMatrix() {
        long[][] copy = new long[confusion.length][];
        for (int a = 0; a < confusion.length; a++) {
            copy[a] = confusion[a].clone();
        }
        return copy;
    }

    /** @return of the examples predicted as {@code c}, the fraction that are {@code c} (0 when none is) */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    /** @return of the examples of class {@code c}, the fraction predicted as {@code c} (0 when there are none) */
    public double recall(int c) {
        long actual = 0;
        for (long n : confusion[c]) {
            actual += n;
        }
        return actual == 0 ? 0 : (double) confusion[c][c] / actual;
    }
}
