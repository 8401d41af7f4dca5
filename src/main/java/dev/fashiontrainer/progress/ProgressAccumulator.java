package dev.fashiontrainer.progress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.spark.util.AccumulatorV2;

import dev.fashiontrainer.train.MinibatchReporter;

/**
 * A Spark accumulator of {@link WorkerProgress}, one entry per epoch and worker. Each task adds its minibatches to
 * its own copy; Spark's executors send the copies of running tasks with every heartbeat (that is what makes the
 * progress live) and the final copy with the task's result, which Spark adds into the driver's copy before the
 * job returns (that is what makes the per-worker step seconds exact).
 */
public final class ProgressAccumulator extends AccumulatorV2<WorkerProgress, List<WorkerProgress>>
        implements MinibatchReporter {
    private static final long serialVersionUID = 1L;
    private static final Comparator<WorkerProgress> ORDER =
            Comparator.comparingInt(WorkerProgress::epoch).thenComparingInt(WorkerProgress::worker);

    // Replaced, never changed in place: the task's thread adds while the heartbeat thread reads or serializes it.
    private volatile List<WorkerProgress> slots = List.of();

    @Override
    public boolean isZero() {
        return slots.isEmpty();
    }

    @Override
    public ProgressAccumulator copy() {
        ProgressAccumulator copy = new ProgressAccumulator();
        copy.slots = slots;
        return copy;
    }

    @Override
    public void reset() {
        slots = List.of();
    }

    @Override
    public synchronized void add(WorkerProgress progress) {
        List<WorkerProgress> next = new ArrayList<>(slots.size() + 1);
        boolean added = false;
        for (WorkerProgress slot : slots) {
            if (slot.sameSlot(progress)) {
                next.add(slot.plus(progress));
                added = true;
            } else {
                next.add(slot);
            }
        }
        if (!added) {
            next.add(progress);
            next.sort(ORDER);
        }
        slots = List.copyOf(next);
    }

    @Override
    public void merge(AccumulatorV2<WorkerProgress, List<WorkerProgress>> other) {
        other.value().forEach(this::add);
    }

    /** @return one entry per epoch and worker, in that order */
    @Override
    public List<WorkerProgress> value() {
        return slots;
    }

    @Override
    public void minibatch(int epoch, int worker, int examples, double loss, double seconds) {
        add(new WorkerProgress(epoch, worker, 1, examples, loss * examples, seconds));
    }
}
