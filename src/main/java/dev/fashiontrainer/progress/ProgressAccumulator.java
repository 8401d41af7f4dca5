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
    // Read through slots() only: see there.
    private volatile List<WorkerProgress> slots = List.of();

    /**
     * @return the entries; none while a task is still deserializing this accumulator: Spark registers it with the
     *     task in {@code AccumulatorV2.readObject}, before this class's fields are read, and a heartbeat in between
     *     saw null (seen on the standalone cluster: the NullPointerException ended the executor's heartbeats).
     *     Spark's own {@code CollectionAccumulator} creates its list lazily for the same reason.
     */
    private List<WorkerProgress> slots() {
        List<WorkerProgress> current = slots;
        return current == null ? List.of() : current;
    }

    @Override
    public boolean isZero() {
        return slots().isEmpty();
    }

    @Override
    public ProgressAccumulator copy() {
        ProgressAccumulator copy = new ProgressAccumulator();
        copy.slots = slots();
        return copy;
    }

    @Override
    public void reset() {
        slots = List.of();
    }

    @Override
    public synchronized void add(WorkerProgress progress) {
        List<WorkerProgress> before = slots();
        List<WorkerProgress> next = new ArrayList<>(before.size() + 1);
        boolean added = false;
        for (WorkerProgress slot : before) {
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
        return slots();
    }

    @Override
    public void minibatch(int epoch, int worker, int examples, double loss, double seconds) {
        add(new WorkerProgress(epoch, worker, 1, examples, loss * examples, seconds));
    }
}
