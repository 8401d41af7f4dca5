package dev.fashiontrainer.train;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TrainerException;

/**
 * The loss became NaN or infinite: training stops rather than write a broken model.
 */
public final class DivergenceException extends TrainerException {
    private static final long serialVersionUID = 1L;
    private final int epoch;

    /**
     * @param epoch the 1-based epoch in which it happened
     * @param message what was seen, where
     */
    public DivergenceException(int epoch, String message) {
        super(ExitCodes.DIVERGED, message, null);
        this.epoch = epoch;
    }

    /** @return the 1-based epoch in which the loss diverged */
    public int epoch() {
        return epoch;
    }

    @Override
    public String errorLine() {
        return "training diverged in epoch " + epoch + ": " + getMessage()
                + "; no model was written; lower --learning-rate";
    }
}
