package dev.fashiontrainer;

/**
 * A failure the user can act on: its message is one line naming what is wrong and what to do, and it carries the
 * exit code a scheduler acts on ({@link ExitCodes}). Every failure of ours extends this; anything else is an
 * unexpected failure with {@link ExitCodes#FAILURE}.
 */
public abstract class TrainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param message one line naming what is wrong, what was expected and what was found
     * @param cause the underlying failure, or null
     */
    protected TrainerException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @return the process's exit code for this failure */
    public final int exitCode() {
        return exitCode;
    }

    /** @return the line shown after {@code error: } */
    public String errorLine() {
        return getMessage();
    }

    /**
     * Our exceptions may arrive wrapped in Spark's (a task's failure, a job's abort): the innermost one of ours
     * says what went wrong.
     *
     * @param failure what was thrown
     * @return the innermost {@code TrainerException} in its cause chain, or null when there is none
     */
    public static TrainerException innermostIn(Throwable failure) {
        TrainerException ours = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TrainerException e) {
                ours = e;
            }
        }
        return ours;
    }
}
