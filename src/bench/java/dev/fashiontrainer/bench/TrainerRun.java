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
 */
record TrainerRun(double wallSeconds, List<Map<String, Object>> metrics, Map<String, Object> manifest) {

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

    private static double number(Map<String, Object> values, String key) {
        Object value = values.get(key);
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("expected a number for " + key + " in metrics.json, found " + value);
        }
        return n.doubleValue();
    }
}
