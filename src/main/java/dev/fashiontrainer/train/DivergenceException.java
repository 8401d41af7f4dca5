package dev.fashiontrainer.train;

/**
 * The loss became NaN or infinite: training stops rather than write a broken model.
 */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;

    /**
     * @param epoch the 1-based epoch in which it happened
     * @param message what was seen, where
     */
    public DivergenceException(int epoch, String message) {
        super(message);
        this.epoch = epoch;
    }

    /** @return the 1-based epoch in which the loss diverged */
    public int epoch() {
        return epoch;
    }
}
