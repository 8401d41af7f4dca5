package dev.fashiontrainer.rundir;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The training run under way in this process, as a stop sees it: the epoch a rerun would start at (the one after
 * the last complete checkpoint) and the run directory's lock. The run writes its checkpoints and final outputs
 * through {@link #checkpoint} and {@link #finish}, one at a time; {@link #stop} waits for one under way and keeps
 * the next from starting, so the epoch it reports is the one a rerun starts at, and a rerun on any host can take
 * the lock at once. One run at a time per process (the command line's).
 */
public final class ActiveRun {
    private static final ReentrantLock WRITES = new ReentrantLock();
    /** The run under way, or null before its checkpoint is known and after it has finished. */
    private static volatile Progress current;

    private record Progress(int nextEpoch, int epochs, RunLock lock) {
    }

    private ActiveRun() {
    }

    /**
     * @param firstEpoch the epoch the run starts at: 1, or the one after the checkpoint it resumes from
     * @param epochs the run's last epoch
     * @param lock the run directory's lock, released by a stop
     */
    public static void started(int firstEpoch, int epochs, RunLock lock) {
        current = new Progress(firstEpoch, epochs, lock);
    }

    /**
     * Writes epoch {@code epoch}'s checkpoint, which a rerun then resumes after.
     *
     * @param epoch the epoch just trained
     * @param last whether training ends with it (all epochs, early stopping, the time budget)
     * @param save writes the checkpoint (and whatever must agree with it)
     */
    public static void checkpoint(int epoch, boolean last, Runnable save) {
        WRITES.lock();
        try {
            save.run();
            Progress run = current;
            if (run != null) {
                current = new Progress(epoch + 1, last ? epoch : run.epochs(), run.lock());
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

    /** The run has ended, well or not: a stop has nothing to wait for or release. */
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
            return "training is checkpointed to its end, a rerun writes the outputs";
        }
        return "rerun to resume from epoch " + run.nextEpoch();
    }

    /**
     * For a process that is about to exit: waits for a checkpoint or the final outputs being written (at most
     * {@code wait}), keeps any more from being written (the process ends before they could finish, and a half
     * written one would only take space), and releases the run directory's lock.
     *
     * @param wait how long a write under way may take to finish
     * @return {@link #rerunAdvice()} as of now
     */
    public static String stop(Duration wait) {
        try {
            // never unlocked: nothing may be written after the stop, until the process ends
            WRITES.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Progress run = current;
        if (run != null) {
            try {
                run.lock().close();
            } catch (OutputException e) { // the lock then goes stale; the stop goes on
            }
        }
        return rerunAdvice();
    }
}
