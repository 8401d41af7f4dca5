package dev.fashiontrainer.config;

/** How the console shows an epoch's progress while its tasks run ({@code --progress}). */
public enum ProgressMode implements Choice {
    /** {@code bar} when standard error is a terminal, {@code lines} otherwise (a file, a scheduler's log). */
    AUTO,
    /** One line per epoch, redrawn in place. */
    BAR,
    /** A line every {@code --progress-interval} seconds. */
    LINES,
    /** Nothing while the epoch runs. */
    OFF;

    /**
     * @param terminal whether the progress goes to a terminal
     * @return this mode, or for {@link #AUTO} the one that suits the output
     */
    public ProgressMode resolve(boolean terminal) {
        return this != AUTO ? this : terminal ? BAR : LINES;
    }
}
