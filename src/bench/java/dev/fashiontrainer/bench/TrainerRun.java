package dev.fashiontrainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One end-to-end run of our trainer, read back from its run directory.
 *
 * @param wallSeconds the launcher's wall time, JVM and Spark start included
 * @param metrics {@code metrics.json}: one object per epoch
 * @param manifest {@code run.json}
 * @param epochEnds seconds from the launcher's start to each epoch's last line (its evaluation done), by epoch
 */
record TrainerRun(double wallSeconds, List<Map<String, Object>> metrics, Map<String, Object> manifest,
                  List<Double> epochEnds) {

    /** @return training examples per epoch */
    long trainingExamples() {
        Map<?, ?> data = (Map<?, ?>) manifest.get("data");
        return ((Number) data.get("training_examples")).longValue();
    }

    /** @return training seconds (without the evaluation) of each epoch, from its examples per second */
    List<Double> trainSeconds() {
        List<Double> seconds = new ArrayList<>();
        for (Map<String, Object> epoch : metrics) {
            seconds.add(trainingExamples() / number(epoch, "examples_per_second"));
        }
        return seconds;
    }

    /** @return the median training seconds of the epochs after the first */
    double steadySeconds() {
        List<Double> seconds = trainSeconds();
        if (seconds.size() < 2) {
            throw new IllegalStateException("expected at least 2 epochs for a steady state, found " + seconds.size());
        }
        return Results.median(seconds.subList(1, seconds.size()));
    }

    /** @return test accuracy after {@code epoch} (1-based), or after the last epoch when there were fewer */
    double accuracyAfter(int epoch) {
        return number(metrics.get(Math.min(epoch, metrics.size()) - 1), "test_accuracy");
    }

    /** @return seconds from the first epoch's start to the end of {@code epoch}'s evaluation */
    double secondsUntil(int epoch) {
        double sum = 0;
        for (int e = 0; e < Math.min(epoch, metrics.size()); e++) {
            sum += number(metrics.get(e), "seconds");
        }
        return sum;
    }

    /**
     * @param key a per-epoch number of {@code metrics.json}, e.g. {@code seconds} or {@code evaluation_seconds}
     * @param firstEpoch the first epoch counted (1-based)
     * @return its median over epochs {@code firstEpoch} to the last
     */
    double median(String key, int firstEpoch) {
        if (metrics.size() < firstEpoch) {
            throw new IllegalStateException("expected at least " + firstEpoch + " epochs, found " + metrics.size());
        }
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> epoch : metrics.subList(firstEpoch - 1, metrics.size())) {
            values.add(number(epoch, key));
        }
        return Results.median(values);
    }

    /** @return the first epoch (1-based) whose test accuracy reached {@code target}, or 0 when none did */
    int firstEpochReaching(double target) {
        for (int e = 0; e < metrics.size(); e++) {
            if (number(metrics.get(e), "test_accuracy") >= target) {
                return e + 1;
            }
        }
        return 0;
    }

    private static double number(Map<String, Object> values, String key) {
        Object value = values.get(key);
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("expected a number for " + key + " in metrics.json, found " + value);
        }
        return n.doubleValue();
    }
}
