package dev.fashiontrainer.rundir;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TrainerException;

/**
 * Writing a file of the run directory failed partway through the run: a full disk, an exceeded quota, a lost
 * connection to the store. Unlike a directory that cannot be written at all ({@link OutputException}, fix the
 * command), this is {@link ExitCodes#FAILURE}: once the cause is gone, a rerun resumes from the last complete
 * checkpoint. The message names the file and the I/O error.
 */
public final class OutputWriteException extends TrainerException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the file and the I/O error
     * @param cause the underlying I/O failure
     */
    public OutputWriteException(String message, Throwable cause) {
        super(ExitCodes.FAILURE, message, cause);
    }

    /**
     * @param advice what a rerun will do, e.g. {@code rerun to resume from epoch 2}
     * @return this failure with {@code advice} after its message
     */
    public OutputWriteException withAdvice(String advice) {
        return new OutputWriteException(getMessage() + "; " + advice, getCause());
    }
}
