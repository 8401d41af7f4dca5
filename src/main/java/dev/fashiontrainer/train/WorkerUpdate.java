package dev.fashiontrainer.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * What one or more workers send back after an averaging round: their parameters and updater state weighted by the
 * examples they trained on, summed. The driver divides once. Floating-point sums depend on their order, so
 * {@link dev.fashiontrainer.spark.OrderedReduce} combines these in partition order.
 */
public final class WorkerUpdate implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] weightedParameters;
    private final float[] weightedUpdaterState;
    private long examples;
    private double lossSum;
    private final List<LossSample> samples;
    private String divergence;

    /**
     * @param trained the worker's parameters and state after its local steps, a fresh copy: it is weighted in place
     * @param examples examples the worker trained on this round (its weight)
     * @param lossSum sum over its minibatches of mean loss times minibatch size
     * @param samples the losses it reports for the log
     * @param divergence what went wrong when the loss stopped being finite, else null
     */
    public WorkerUpdate(ParameterSnapshot trained, long examples, double lossSum, List<LossSample> samples,
                        String divergence) {
        // in place: a worker's copy is 2.7 MB (twice that with an updater state), made once per task and round
        this.weightedParameters = scaleInPlace(trained.parameters(), examples);
        this.weightedUpdaterState = scaleInPlace(trained.updaterState(), examples);
        this.examples = examples;
        this.lossSum = lossSum;
        this.samples = new ArrayList<>(samples);
        this.divergence = divergence;
    }

    /**
     * Adds {@code other} into this update (used by Spark's aggregation; both are fresh task results).
     *
     * @return this
     */
    public WorkerUpdate merge(WorkerUpdate other) {
        add(weightedParameters, other.weightedParameters);
        add(weightedUpdaterState, other.weightedUpdaterState);
        examples += other.examples;
        lossSum += other.lossSum;
        samples.addAll(other.samples);
        if (divergence == null) {
            divergence = other.divergence;
        }
        return this;
    }

    /**
     * @return the example-weighted mean of the workers' parameters and updater state
     * @throws IllegalStateException when no worker trained on any example
     */
    public ParameterSnapshot average() {
        if (examples == 0) {
            throw new IllegalStateException("no worker trained on any example this round");
        }
        return new ParameterSnapshot(scaled(weightedParameters, 1.0 / examples),
                scaled(weightedUpdaterState, 1.0 / examples));
    }

    /** @return examples trained on, all workers together */
    public long examples() {
        return examples;
    }

    /** @return summed loss (mean loss times minibatch size over all minibatches) */
    public double lossSum() {
        return lossSum;
    }

    /** @return a description of the first non-finite loss a worker saw, or null when all stayed finite */
    public String divergence() {
        return divergence;
    }

    /** @return the reported losses, by worker then position */
    public List<LossSample> samples() {
        List<LossSample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingInt(LossSample::worker).thenComparingInt(LossSample::seen));
        return sorted;
    }

    private static float[] scaled(float[] values, double factor) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (values[i] * factor);
        }
        return out;
    }

    private static float[] scaleInPlace(float[] values, double factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] * factor);
        }
        return values;
    }

    private static void add(float[] into, float[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
