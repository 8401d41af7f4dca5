package dev.fashiontrainer.rundir;

/**
 * The run directory cannot be created or written. The message names the location.
 */
public final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the location and what failed
     * @param cause the underlying I/O failure
     */
    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
