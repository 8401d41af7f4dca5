package dev.fashiontrainer.data;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TrainerException;

/**
 * The training or test data is missing, unreadable or not what it claims to be.
 * The message names the file and says what was expected and what was found.
 */
public final class DataException extends TrainerException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file, what was expected and what was found */
    public DataException(String message) {
        super(ExitCodes.DATA, message, null);
    }

    /**
     * @param message one line naming the file, what was expected and what was found
     * @param cause the underlying I/O failure
     */
    public DataException(String message, Throwable cause) {
        super(ExitCodes.DATA, message, cause);
    }
}
