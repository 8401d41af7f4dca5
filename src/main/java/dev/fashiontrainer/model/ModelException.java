package dev.fashiontrainer.model;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TrainerException;

/**
 * A model file is missing, unreadable or not a model of the seed's network. The message names the file and says
 * what was expected and what was found.
 */
public final class ModelException extends TrainerException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file, what was expected and what was found */
    public ModelException(String message) {
        super(ExitCodes.DATA, message, null);
    }

    /**
     * @param message one line naming the file, what was expected and what was found
     * @param cause the underlying failure
     */
    public ModelException(String message, Throwable cause) {
        super(ExitCodes.DATA, message, cause);
    }
}
