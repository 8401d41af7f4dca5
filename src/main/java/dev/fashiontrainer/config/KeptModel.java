package dev.fashiontrainer.config;

/** Which epoch's network a run writes and the estimator returns. */
public enum KeptModel implements Choice {
    /**
     * The epoch with the best {@link EarlyStoppingMetric} on the validation examples; the last epoch when there are
     * none to judge on.
     */
    BEST,
    /** The last epoch trained, whatever its validation figures. */
    LAST
}
