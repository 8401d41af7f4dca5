package dev.fashiontrainer.model;

/**
 * A model file is missing, unreadable or not a model of the seed's network. The message names the file and says
 * what was expected and what was found.
 */
public final class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file, what was expected and what was found */
    public ModelException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file, what was expected and what was found
     * @param cause the underlying failure
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
