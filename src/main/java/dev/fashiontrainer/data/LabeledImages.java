package dev.fashiontrainer.data;

import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Images and their labels in the compact form they travel and live in: one unsigned byte per pixel,
 * one byte per label. 60,000 training images take 47 MB this way, a quarter of their float form.
 */
public final class LabeledImages implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Pixels per image (28 x 28). */
    public static final int PIXELS = 28 * 28;
    /** Number of classes. */
    public static final int CLASSES = 10;
    /**
     * Fashion-MNIST's class names, by label: the one list, which the console, {@code evaluation.json},
     * {@code predictions.csv} and (through {@code evaluation.json}) the notebooks show.
     */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final byte[] pixels;
    private final byte[] labels;

    /**
     * @param pixels {@code labels.length * 784} unsigned pixel bytes, image after image
     * @param labels one class index 0-9 per image
     */
    public LabeledImages(byte[] pixels, byte[] labels) {
        if (pixels.length != (long) labels.length * PIXELS) {
            throw new IllegalArgumentException("expected " + labels.length + " images of " + PIXELS
                    + " pixels (" + (long) labels.length * PIXELS + " bytes), found " + pixels.length + " bytes");
        }
        this.pixels = pixels;
        this.labels = labels;
    }

    /** @return number of images */
    public int size() {
        return labels.length;
    }

    /** @return class index 0-9 of image {@code i} */
    public int label(int i) {
        return labels[i];
    }

    /** @return pixel {@code p} of image {@code i} scaled to [0, 1], as torchvision's {@code ToTensor} does */
    public float pixel(int i, int p) {
        return (pixels[i * PIXELS + p] & 0xFF) / 255f;
    }

    /** @return the raw pixel bytes of image {@code i} (a copy) */
    public byte[] imageBytes(int i) {
        return Arrays.copyOfRange(pixels, i * PIXELS, (i + 1) * PIXELS);
    }

    /**
     * @param indices images to keep, in the order wanted
     * @return a new set holding those images
     */
    public LabeledImages select(int[] indices) {
        byte[] p = new byte[indices.length * PIXELS];
        byte[] l = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * PIXELS, p, k * PIXELS, PIXELS);
            l[k] = labels[indices[k]];
        }
        return new LabeledImages(p, l);
    }

    /** @return all images of {@code parts}, in order */
    public static LabeledImages concat(List<LabeledImages> parts) {
        int count = parts.stream().mapToInt(LabeledImages::size).sum();
        byte[] p = new byte[count * PIXELS];
        byte[] l = new byte[count];
        int at = 0;
        for (LabeledImages part : parts) {
            System.arraycopy(part.pixels, 0, p, at * PIXELS, part.size() * PIXELS);
            System.arraycopy(part.labels, 0, l, at, part.size());
            at += part.size();
        }
        return new LabeledImages(p, l);
    }

    /** @return the first {@code n} images, or all of them when there are fewer */
    public LabeledImages head(int n) {
        if (n >= size()) {
            return this;
        }
        return slice(0, n);
    }

    /** @return images {@code [from, from + count)} (a copy) */
    public LabeledImages slice(int from, int count) {
        return new LabeledImages(Arrays.copyOfRange(pixels, from * PIXELS, (from + count) * PIXELS),
                Arrays.copyOfRange(labels, from, from + count));
    }

    /** Copies image {@code i} and its label to position {@code at} of another set's arrays. */
    void copyTo(int i, byte[] pixelsOut, byte[] labelsOut, int at) {
        System.arraycopy(pixels, i * PIXELS, pixelsOut, at * PIXELS, PIXELS);
        labelsOut[at] = labels[i];
    }

    /**
     * Copies images {@code [from, from + count)} into {@code features} (row-major, {@code count x 784}, scaled to
     * [0, 1]) and their one-hot labels into {@code oneHot} ({@code count x 10}).
     */
    public void fill(int[] order, int from, int count, float[] features, float[] oneHot) {
        fill(order, from, count, FloatBuffer.wrap(features), FloatBuffer.wrap(oneHot));
    }

    /**
     * Like {@link #fill(int[], int, int, float[], float[])}, into buffers that may be views of native memory: an
     * ND4J array's own storage is filled straight from the bytes, with no float[] in between.
     *
     * @param order image indices in training order, or null for the stored order
     * @param from first position in {@code order} (or first image)
     * @param count images to copy
     * @param features at least {@code count * 784} floats, written from index 0
     * @param oneHot at least {@code count * 10} floats, written from index 0
     */
    public void fill(int[] order, int from, int count, FloatBuffer features, FloatBuffer oneHot) {
        for (int k = 0; k < count * CLASSES; k++) {
            oneHot.put(k, 0f);
        }
        for (int k = 0; k < count; k++) {
            int i = order == null ? from + k : order[from + k];
            int src = i * PIXELS;
            int dst = k * PIXELS;
            for (int p = 0; p < PIXELS; p++) {
                features.put(dst + p, (pixels[src + p] & 0xFF) / 255f);
            }
            oneHot.put(k * CLASSES + labels[i], 1f);
        }
    }
}
