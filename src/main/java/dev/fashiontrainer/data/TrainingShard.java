package dev.fashiontrainer.data;

import java.io.Serializable;

/**
 * One worker's part of the training set: what a Spark partition holds, cached in executor memory across epochs;
 * or, when the training set is re-split every epoch, the whole set held once by the executor and the positions
 * of this worker's examples in it.
 *
 * @param index the worker's number, 0-based; it seeds the worker's per-epoch order
 * @param images the examples, compact
 * @param examples the positions in {@code images} that make up the shard, in shard order; null for all of them
 */
public record TrainingShard(int index, LabeledImages images, int[] examples) implements Serializable {

    /** A shard of all of {@code images}. */
    public TrainingShard(int index, LabeledImages images) {
        this(index, images, null);
    }

    /** @return the shard's number of examples */
    public int size() {
        return examples == null ? images.size() : examples.length;
    }

    /**
     * @param positions positions in the shard (a training order), or null for the shard's own order
     * @return the same examples as positions in {@code images}, or null when that is {@code images}' own order
     */
    public int[] inImages(int[] positions) {
        if (examples == null || positions == null) {
            return examples == null ? positions : examples;
        }
        int[] mapped = new int[positions.length];
        for (int k = 0; k < positions.length; k++) {
            mapped[k] = examples[positions[k]];
        }
        return mapped;
    }
}
