package dev.fashiontrainer.cli;

import dev.fashiontrainer.ExitCodes;

/**
 * The trainer failed where it may not exit the JVM (inside YARN's ApplicationMaster): carries the exit code the
 * command line would have ended with, and its one-line error as the message.
 */
public final class ExitStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode see {@link ExitCodes}
     * @param errorLine what the trainer printed as its error
     */
    ExitStatusException(int exitCode, String errorLine) {
        super(errorLine + " (exit code " + exitCode + ")");
        this.exitCode = exitCode;
    }

    /** @return the exit code the command line would have ended with */
    public int exitCode() {
        return exitCode;
    }
}
