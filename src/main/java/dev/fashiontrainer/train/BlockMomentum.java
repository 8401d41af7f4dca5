package dev.fashiontrainer.train;

import dev.fashiontrainer.config.BlockMomentumKind;
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
 * <p>The {@link BlockMomentumKind#NESTEROV} kind keeps the plain average as the driver's model and starts the
 * workers of the next round from the average plus the momentum's next step ({@link #workersStart}), as Nesterov's
 * momentum evaluates its gradient ahead of the current point (Chen and Huo's NBM variant).
 *
 * <p>The previous step is state that a resumed run must get back: {@link #state()} and {@link #restore(float[])}
 * carry it through checkpoints.
 */
public final class BlockMomentum {
    private final double momentum;
    private final BlockMomentumKind kind;
    // the driver's last step, new model minus the round's start; empty before the first round
    private float[] step = new float[0];

    /**
     * @param momentum in [0, 1); 0 takes the plain average
     * @param kind where the next round's workers start
     */
    public BlockMomentum(double momentum, BlockMomentumKind kind) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("expected a block momentum in [0, 1), found " + momentum);
        }
        this.momentum = momentum;
        this.kind = kind;
    }

    /**
     * @param model the driver's model
     * @return where the round's workers start: the model itself, or with the Nesterov kind the model plus
     *     {@code momentum} times the driver's last step
     */
    public ParameterSnapshot workersStart(ParameterSnapshot model) {
        if (kind == BlockMomentumKind.CLASSIC || momentum == 0 || step.length == 0) {
            return model;
        }
        float[] ahead = model.parameters().clone();
        for (int i = 0; i < ahead.length; i++) {
            ahead[i] += (float) (momentum * step[i]);
        }
        return new ParameterSnapshot(ahead, model.updaterState());
    }

    /**
     * @param start the model the round's workers started from ({@link #workersStart})
     * @param average the example-weighted average of their models
     * @return the driver's next model: {@code average} itself when the momentum is 0 or the kind is Nesterov's
     *     (whose look-ahead the next {@link #workersStart} adds), else {@code average + momentum * previous step}
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
        if (kind == BlockMomentumKind.NESTEROV) {
            return average;
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
