package dev.fashiontrainer;

/**
 * The trainer's exit codes, for schedulers such as Airflow that act on them.
 */
public final class ExitCodes {
    /** The run finished and wrote its outputs. */
    public static final int OK = 0;
    /** Anything not covered below (a Spark or I/O failure): retrying may help. */
    public static final int FAILURE = 1;
    /**
     * A flag or configuration value is wrong, the output location is not writable, another process holds the run
     * directory, or it holds a finished run or checkpoint of other settings, data or code: fix the command.
     */
    public static final int USAGE = 2;
    /**
     * The data is missing, damaged or not Fashion-MNIST, or (evaluate, predict) the model file is missing or not a
     * model for the data (its input width and classes): fix the input files.
     */
    public static final int DATA = 3;
    /** The loss became NaN or infinite: lower the learning rate. No model was written. */
    public static final int DIVERGED = 4;
    /**
     * Stopped by SIGTERM (a scheduler's timeout or kill): 128 + 15, what a shell reports for a process the signal
     * ended. The last complete checkpoint is kept; a rerun resumes from it.
     */
    public static final int SIGTERM = 143;
    /** Stopped by SIGINT (Ctrl-C): 128 + 2, as {@link #SIGTERM}. */
    public static final int SIGINT = 130;

    /** Text for {@code --help}. */
    public static final String HELP = "%nExit codes: 0 success, 1 other failure (also a full disk; a rerun resumes), "
            + "2 bad flag/configuration, unwritable or busy output, 3 missing or bad data or model file, 4 diverged "
            + "(loss NaN or infinite), 143 and 130 stopped by SIGTERM and SIGINT (a rerun resumes).";

    private ExitCodes() {
    }
}
