package dev.fashiontrainer.config;

/**
 * How the learning rate grows with the number of workers. Averaging N models that each took 1/N of an epoch's
 * steps moves the parameters about as far as 1/N of an epoch of one worker: scaling the rate makes up for it.
 */
public enum ScalingKind implements Choice {
    /** The same rate whatever the number of workers: the seed's choice. */
    NONE,
    /** Rate times N (Goyal et al.'s rule for large batches); needs a warm-up, and can be too much for many workers. */
    LINEAR,
    /** Rate times sqrt(N): keeps the variance of the averaged step; steadier than linear for many workers. */
    SQRT;

    /**
     * @param workers number of workers
     * @return the factor the learning rate is multiplied by
     */
    public double factor(int workers) {
        return switch (this) {
            case NONE -> 1;
            case LINEAR -> workers;
            case SQRT -> Math.sqrt(workers);
        };
    }
}
