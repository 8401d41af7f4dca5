package dev.fashiontrainer.data;

import java.io.Serializable;

/**
 * What the training minibatches see that the stored images do not: each image moved by up to {@code maxShift}
 * pixels in each direction, mirrored left to right half of the time, and labels smoothed towards the uniform
 * distribution. Applied while a minibatch is filled from the bytes (on the executors, by either local step), so it
 * costs no extra pass over the data and ships nothing.
 *
 * <p>Which shift and flip an image gets is a hash of a seed and its position in the epoch's order, so a retried
 * task or a resumed run fills exactly the same minibatches.
 *
 * @param maxShift largest shift in pixels along each axis (0: none); the vacated border is background (0)
 * @param flip mirror half of the images left to right (clothing is roughly left-right symmetric)
 * @param labelSmoothing target {@code (1 - s)} for the true class plus {@code s / 10} for every class (0: one-hot)
 */
public record Augmentation(int maxShift, boolean flip, double labelSmoothing) implements Serializable {
    /** The stored images and one-hot labels, unchanged. */
    public static final Augmentation NONE = new Augmentation(0, false, 0);

    /** Checks the ranges. */
    public Augmentation {
        if (maxShift < 0 || maxShift >= LabeledImages.SIDE) {
            throw new IllegalArgumentException("expected a shift of 0 to " + (LabeledImages.SIDE - 1)
                    + " pixels, found " + maxShift);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("expected a label smoothing in [0, 1), found " + labelSmoothing);
        }
    }

    /** @return whether every image and label is used as stored */
    public boolean isNone() {
        return maxShift == 0 && !flip && labelSmoothing == 0;
    }
}
