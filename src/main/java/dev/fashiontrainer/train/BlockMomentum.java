package dev.fashiontrainer.train;

import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * The driver's step from one averaging round to the next, with momentum ("block momentum", from Chen and Huo's
 * blockwise model-update filtering, ICASSP 2016): the round's displacement {@code average - start} plus
 * {@code momentum} times the driver's previous step.
 *
 * <p>Why: with N workers each takes 1/N of the epoch's steps, and averaging their models cancels much of the
 * progress they do not share, so the averaged model moves less per epoch than one worker's would. The momentum
 * carries the direction the rounds agree on from one round to the next. With momentum 0 the new model is exactly
 * the average, and so is the first round's whatever the momentum.
 *
 * <p>The updater state (Adam's moments, Nesterov's velocity) is taken as averaged: it describes the workers'
 * gradients, which the driver's step does not change.
 *
 * <p>The previous step is state that a resumed run must get back: {@link #state()} and {@link #restore(float[])}
 * carry it through checkpoints.
 */
public final class BlockMomentum {
    private final double momentum;
    // the driver's last step, new model minus the round's start; empty before the first round
    private float[] step = new float[0];

    /** @param momentum in [0, 1); 0 takes the plain average */
    public BlockMomentum(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("expected a block momentum in [0, 1), found " + momentum);
        }
        this.momentum = momentum;
    }

    /**
     * @param start the model the round's workers started from
     * @param average the example-weighted average of their models
     * @return the driver's next model: {@code average} itself when the momentum is 0, else
     *     {@code average + momentum * previous step}
     */
    public ParameterSnapshot next(ParameterSnapshot start, ParameterSnapshot average) {
        if (momentum == 0) {
            return average;
        }
        float[] from = start.parameters();
        float[] to = average.parameters().clone();
        if (step.length == 0) {
            step = new float[to.length];
        } else if (step.length != to.length) {
            throw new IllegalStateException("expected a previous step of " + to.length + " parameters, found "
                    + step.length);
        }
        for (int i = 0; i < to.length; i++) {
            step[i] = (float) (to[i] - from[i] + momentum * step[i]);
            to[i] = from[i] + step[i];
        }
        return new ParameterSnapshot(to, average.updaterState());
    }

    /** @return the driver's last step, for a checkpoint; empty when there is none (no round yet, or momentum 0) */
    public float[] state() {
        return step.clone();
    }

    /**
     * Continues from a checkpoint's {@link #state()}.
     *
     * @param saved the saved step (empty: start without one)
     */
    public void restore(float[] saved) {
        step = saved.clone();
    }
}
