package dev.fashiontrainer.rundir;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TrainerException;

/**
 * The run directory cannot be created or written. The message names the location.
 */
public final class OutputException extends TrainerException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the location and what failed
     * @param cause the underlying I/O failure
     */
    public OutputException(String message, Throwable cause) {
        super(ExitCodes.USAGE, message, cause);
    }
}
