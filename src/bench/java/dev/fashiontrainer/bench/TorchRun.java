package dev.fashiontrainer.bench;

import java.util.List;
import java.util.Map;

/**
 * The PyTorch peer's run (submit/torch_peer.py), or why it did not run.
 *
 * @param result its result line: thread count, calibration time, per-epoch seconds and accuracies; null if skipped
 * @param epochEnds seconds from the process's start to each epoch's line, by epoch
 * @param wallSeconds the whole process's wall time
 * @param skipped why it did not run, or null
 */
record TorchRun(Map<String, Object> result, List<Double> epochEnds, double wallSeconds, String skipped) {

    static TorchRun of(Map<String, Object> result, List<Double> epochEnds, double wallSeconds) {
        return new TorchRun(result, epochEnds, wallSeconds, null);
    }

    static TorchRun skipped(String why) {
        return new TorchRun(null, List.of(), 0, why);
    }

    /** @return the epoch (1-based) that reached the target, or 0 when none did */
    int reachedEpoch() {
        Object epoch = result.get("reached_epoch");
        return epoch == null ? 0 : ((Number) epoch).intValue();
    }

    /** @return the epochs run, each with {@code train_seconds}, {@code test_seconds} and {@code test_accuracy} */
    List<Map<?, ?>> epochs() {
        return ((List<?>) result.get("epochs")).stream().<Map<?, ?>>map(e -> (Map<?, ?>) e).toList();
    }

    /** @return the sum of the epochs' training and test seconds up to and including {@code epoch} */
    double secondsUntil(int epoch) {
        double sum = 0;
        for (Map<?, ?> e : epochs().subList(0, epoch)) {
            sum += ((Number) e.get("train_seconds")).doubleValue() + ((Number) e.get("test_seconds")).doubleValue();
        }
        return sum;
    }

    /** @return seconds from the process's start to the end of {@code epoch}, its thread calibration left out */
    double endToEndUntil(int epoch) {
        return epochEnds.get(epoch - 1) - number("calibration_seconds");
    }

    /** @return the median seconds of one epoch (training plus test) */
    double medianEpochSeconds() {
        return Results.median(epochs().stream().map(e -> ((Number) e.get("train_seconds")).doubleValue()
                + ((Number) e.get("test_seconds")).doubleValue()).toList());
    }

    double number(String key) {
        return ((Number) result.get(key)).doubleValue();
    }
}
