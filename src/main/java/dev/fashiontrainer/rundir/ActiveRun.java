package dev.fashiontrainer.rundir;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The training run under way in this process, as a failure sees it: the epoch a rerun would start at (the one
 * after the last complete checkpoint). The run writes its checkpoints and final outputs through
 * {@link #checkpoint} and {@link #finish}, one at a time. One run at a time per process (the command line's).
 */
public final class ActiveRun {
    private static final ReentrantLock WRITES = new ReentrantLock();
    /** The run under way, or null before its checkpoint is known and after it has finished. */
    private static volatile Progress current;

    private record Progress(int nextEpoch, int epochs) {
    }

    private ActiveRun() {
    }

    /**
     * @param firstEpoch the epoch the run starts at: 1, or the one after the checkpoint it resumes from
     * @param epochs the run's last epoch
     */
    public static void started(int firstEpoch, int epochs) {
        current = new Progress(firstEpoch, epochs);
    }

    /**
     * Writes epoch {@code epoch}'s checkpoint, which a rerun then resumes after.
     *
     * @param save writes the checkpoint (and whatever must agree with it)
     */
    public static void checkpoint(int epoch, Runnable save) {
        WRITES.lock();
        try {
            save.run();
            Progress run = current;
            if (run != null) {
                current = new Progress(epoch + 1, run.epochs());
            }
        } finally {
            WRITES.unlock();
        }
    }

    /**
     * Writes the run's final outputs, after which there is nothing to resume.
     *
     * @param write writes the model, the reports and {@code _SUCCESS}
     */
    public static void finish(Runnable write) {
        WRITES.lock();
        try {
            write.run();
            current = null;
        } finally {
            WRITES.unlock();
        }
    }

    /** The run has ended, well or not. */
    public static void ended() {
        current = null;
    }

    /**
     * @return what a rerun of the run under way does, e.g. {@code rerun to resume from epoch 3}; empty when no run
     *     is under way
     */
    public static String rerunAdvice() {
        Progress run = current;
        if (run == null) {
            return "";
        }
        if (run.nextEpoch() == 1) {
            return "no checkpoint yet, a rerun starts from epoch 1";
        }
        if (run.nextEpoch() > run.epochs()) {
            return "every epoch is checkpointed, a rerun writes the outputs";
        }
        return "rerun to resume from epoch " + run.nextEpoch();
    }
}
