package dev.fashiontrainer.data;

import java.util.Map;

/**
 * A training set that stays where it is stored: the driver knows its size and provenance, the executors read
 * the examples themselves when the split is built.
 */
public interface TrainingSource {
    /** @return the examples that will be trained on (after {@code --train-limit}) */
    int size();

    /** @return where the examples are read from, for the log and {@code run.json} */
    String location();

    /** @return SHA-256 of each file, by file, where they were computed; empty for a Parquet data set */
    Map<String, String> digests();

    /**
     * @param plan the split, of {@link #size()} examples
     * @return the training data, built on the executors from their own reads of this source
     */
    TrainingData split(SplitPlan plan);
}
