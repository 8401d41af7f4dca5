package dev.fashiontrainer.data;

import java.util.Map;

import org.apache.spark.api.java.JavaRDD;

/**
 * A training set that stays where it is stored: the driver knows its size, shape and provenance, the executors
 * read the examples themselves when the split is built.
 */
public interface TrainingSource {
    /** @return the examples that will be trained on (after {@code --train-limit}) */
    int size();

    /** @return where the examples are read from, for the log and {@code run.json} */
    String location();

    /** @return SHA-256 of each file, by file, where they were computed; empty for a Parquet data set */
    Map<String, String> digests();

    /** @return what the examples hold, measured when the source was opened */
    SetShape shape();

    /**
     * @return the examples, numbered {@code 0..size()-1}, as the executors read them, packed as examples of the
     *     classes their own labels suggest ({@link ClassNames#fromData})
     */
    JavaRDD<ExampleBlock> blocks();

    /**
     * @param plan the split, of {@link #size()} examples
     * @param classes the data set's number of classes, decided with the test set ({@link ClassNames#decide})
     * @return the training data, built on the executors from their own reads of this source
     */
    default TrainingData split(SplitPlan plan, int classes) {
        return TrainingData.split(blocks().map(block -> block.withClasses(classes)), plan,
                location() + " (read by the executors)");
    }

    /** As {@link #split(SplitPlan, int)}, with the classes this set's own labels suggest. */
    default TrainingData split(SplitPlan plan) {
        return split(plan, ClassNames.fromData(shape()));
    }

    /** @return all examples on the driver, in example order (for the test set, which the driver keeps) */
    default LabeledImages collect() {
        // the whole data set as one plan's single shard: assembled in example order, then brought to the driver
        try (TrainingData all = split(new SplitPlan(size(), 1, false, 0))) {
            return all.shards().collect().get(0).images();
        }
    }
}
