package dev.fashiontrainer.config;

/**
 * How an averaging round's worker results reach the driver ({@code spark/OrderedReduce}): each straight to the
 * driver, or first summed in groups on the executors. Either way the sum runs in a fixed order.
 */
public enum ReductionKind implements Choice {
    /** Direct up to 16 workers, grouped above (the trainer's rule before the choice was a setting). */
    AUTO,
    /** Every worker's result goes to the driver: one hop, but the driver's link carries N models. */
    DIRECT,
    /** Groups of about sqrt(N) workers are summed on the executors first: two hops, sqrt(N) models at the driver. */
    TREE;

    /**
     * @param workers the number of workers (partitions)
     * @return whether this choice takes the grouped path for that many workers
     */
    public boolean tree(int workers) {
        return switch (this) {
            case AUTO -> workers > 16;
            case DIRECT -> false;
            case TREE -> true;
        };
    }
}
