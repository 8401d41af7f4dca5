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

    /** Pixels per row and per column of an image. */
    public static final int SIDE = 28;
    /** Pixels per image (28 x 28). */
    public static final int PIXELS = SIDE * SIDE;
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
    // How fill() presents the images to training; NONE for every set that is stored, shipped or evaluated.
    private final Augmentation augmentation;
    private final long augmentationSeed;

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
        this.augmentation = Augmentation.NONE;
        this.augmentationSeed = 0;
    }

    private LabeledImages(LabeledImages images, Augmentation augmentation, long seed) {
        this.pixels = images.pixels;
        this.labels = images.labels;
        this.augmentation = augmentation;
        this.augmentationSeed = seed;
    }

    /**
     * @param augmentation what {@link #fill} applies to each image and label
     * @param seed with an image's position in the fill order, picks its shift and flip
     * @return a view of these images (sharing their bytes) whose {@link #fill} applies {@code augmentation};
     *     every other method sees the stored images
     */
    public LabeledImages augmented(Augmentation augmentation, long seed) {
        return augmentation.isNone() ? this : new LabeledImages(this, augmentation, seed);
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
     * ND4J array's own storage is filled straight from the bytes, with no float[] in between. A view made by
     * {@link #augmented} shifts and mirrors the images and smooths the labels on the way.
     *
     * @param order image indices in training order, or null for the stored order
     * @param from first position in {@code order} (or first image)
     * @param count images to copy
     * @param features at least {@code count * 784} floats, written from index 0
     * @param oneHot at least {@code count * 10} floats, written from index 0
     */
    public void fill(int[] order, int from, int count, FloatBuffer features, FloatBuffer oneHot) {
        float off = (float) (augmentation.labelSmoothing() / CLASSES);
        float on = (float) (1 - augmentation.labelSmoothing()) + off;
        for (int k = 0; k < count * CLASSES; k++) {
            oneHot.put(k, off);
        }
        for (int k = 0; k < count; k++) {
            int i = order == null ? from + k : order[from + k];
            if (augmentation.maxShift() == 0 && !augmentation.flip()) {
                int src = i * PIXELS;
                int dst = k * PIXELS;
                for (int p = 0; p < PIXELS; p++) {
                    features.put(dst + p, (pixels[src + p] & 0xFF) / 255f);
                }
            } else {
                fillMoved(i, from + k, features, k * PIXELS);
            }
            oneHot.put(k * CLASSES + labels[i], on);
        }
    }

    /** Writes image {@code i} shifted and perhaps mirrored as the hash of its fill position says. */
    private void fillMoved(int i, long position, FloatBuffer features, int dst) {
        long hash = mix(augmentationSeed + position * 0x9E3779B97F4A7C15L);
        int span = 2 * augmentation.maxShift() + 1;
        int dx = (int) Long.remainderUnsigned(hash, span) - augmentation.maxShift();
        int dy = (int) Long.remainderUnsigned(hash >>> 20, span) - augmentation.maxShift();
        boolean mirror = augmentation.flip() && (hash >>> 62 & 1) == 1;
        int src = i * PIXELS;
        for (int y = 0; y < SIDE; y++) {
            int sy = y - dy;
            for (int x = 0; x < SIDE; x++) {
                int sx = mirror ? SIDE - 1 - (x - dx) : x - dx;
                float value = sy < 0 || sy >= SIDE || sx < 0 || sx >= SIDE ? 0f
                        : (pixels[src + sy * SIDE + sx] & 0xFF) / 255f;
                features.put(dst + y * SIDE + x, value);
            }
        }
    }

    // SplitMix64's finalizer: neighbouring positions get unrelated shifts and flips.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
