package dev.fashiontrainer.progress;

import java.util.List;

/**
 * Where an epoch stands, as the driver last heard it.
 *
 * @param epoch 1-based epoch number
 * @param workers each reporting worker's progress in the epoch, rounds added up, by worker
 * @param fromRunningTask whether this news came with an executor heartbeat (a task still running) rather than
 *     with a task's end
 * @param receivedAtMillis when the driver received it (its wall clock, as Spark's task end times)
 */
public record EpochProgress(int epoch, List<WorkerProgress> workers, boolean fromRunningTask,
                            long receivedAtMillis) {

    /** @return examples trained in the epoch so far, all workers together */
    public long examples() {
        return workers.stream().mapToLong(WorkerProgress::examples).sum();
    }

    /** @return mean loss per example so far, all workers together; NaN before the first minibatch */
    public double meanLoss() {
        long examples = examples();
        return examples == 0 ? Double.NaN : workers.stream().mapToDouble(WorkerProgress::lossSum).sum() / examples;
    }
}
