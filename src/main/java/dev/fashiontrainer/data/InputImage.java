package dev.fashiontrainer.data;

/**
 * One image to run a model on, with where it came from.
 *
 * @param source the file it was read from (its name, without the directory)
 * @param index its position: within an IDX file, or among a directory's PNGs in name order
 * @param label its true class 0-9, or {@link #UNKNOWN} when there is no label
 * @param pixels {@link LabeledImages#PIXELS} unsigned bytes, row after row, 0 the background as in Fashion-MNIST
 */
public record InputImage(String source, int index, int label, byte[] pixels) {
    /** The label of an image nobody has labelled. */
    public static final int UNKNOWN = -1;

    /** @return whether the true class is known */
    public boolean isLabeled() {
        return label != UNKNOWN;
    }
}
