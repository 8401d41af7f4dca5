package dev.fashiontrainer.data;

import java.io.Serializable;

/**
 * One worker's part of the training set: what a Spark partition holds, cached in executor memory across epochs.
 *
 * @param index the worker's number, 0-based; it seeds the worker's per-epoch order
 * @param images the examples, compact
 */
public record TrainingShard(int index, LabeledImages images) implements Serializable {
}
