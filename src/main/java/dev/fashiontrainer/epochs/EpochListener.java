package dev.fashiontrainer.epochs;

import java.util.List;

import dev.fashiontrainer.eval.EvaluationResult;
import dev.fashiontrainer.report.EpochMetrics;
import dev.fashiontrainer.train.EpochResult;

/**
 * What the caller of {@link EpochLoop} does around each epoch: the command line shows progress and writes
 * checkpoints; the estimator does nothing.
 */
public interface EpochListener {
    /** Does nothing around an epoch. */
    EpochListener NONE = new EpochListener() { };

    /**
     * @param epoch the epoch about to run
     * @param what {@code training} or an evaluator's job description
     * @return the description of the Spark jobs that do it
     */
    default String jobDescription(int epoch, String what) {
        return what + ", epoch " + epoch;
    }

    /** @param epoch the epoch about to train */
    default void epochStarted(int epoch) {
    }

    /** Training of an epoch has ended, well or not (an error message then starts on a clean line). */
    default void trainingEnded() {
    }

    /**
     * @param epoch the epoch just trained, before its evaluation
     * @param trained what the engine reported
     */
    default void epochTrained(int epoch, EpochResult trained) {
    }

    /**
     * @param epoch an epoch just trained
     * @return each worker's seconds of local steps in it, when the caller watches them; empty otherwise
     */
    default List<Double> workerStepSeconds(int epoch) {
        return List.of();
    }

    /**
     * @param state everything recorded up to and including this epoch, and whether training ends here
     * @param test the epoch's test evaluation, null without a test set
     */
    default void epochFinished(LoopState state, EvaluationResult test) {
    }
}
