package dev.fashiontrainer.data;

import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Labelled examples in the compact form they travel and live in on the executors: feature vectors of one width,
 * each with a class index. 8-bit images keep one unsigned byte per pixel (read as {@code byte / 255}, exactly what
 * torchvision's {@code ToTensor} gives): 60,000 Fashion-MNIST images take 47 MB this way, a quarter of their float
 * form. Any other features (standardized columns, embeddings) are kept as float32, the precision the network
 * computes in. Labels take one unsigned byte each, so at most {@value #MAX_CLASSES} classes.
 */
public final class LabeledImages implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Pixels per row and per column of a Fashion-MNIST image. */
    public static final int SIDE = 28;
    /** Pixels per Fashion-MNIST image (28 x 28). */
    public static final int PIXELS = SIDE * SIDE;
    /** Fashion-MNIST's number of classes. */
    public static final int CLASSES = 10;
    /** The most classes a label byte can name. */
    public static final int MAX_CLASSES = 256;
    /**
     * Fashion-MNIST's class names, by label: the one list, which the console, {@code evaluation.json},
     * {@code predictions.csv} and (through {@code evaluation.json}) the notebooks show.
     */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final int width;
    private final int classes;
    // Exactly one of the two holds the features, example after example: pixels for 8-bit images, values otherwise.
    private final byte[] pixels;
    private final float[] values;
    // Exactly one of the two holds the labels: class indices, or (regression) real-valued targets.
    private final byte[] labels;
    private final float[] targets;
    // How fill() presents the images to training; NONE for every set that is stored, shipped or evaluated.
    private final Augmentation augmentation;
    private final long augmentationSeed;

    /**
     * Fashion-MNIST's shape: 28x28 images of 10 classes.
     *
     * @param pixels {@code labels.length * 784} unsigned pixel bytes, image after image
     * @param labels one class index 0-9 per image
     */
    public LabeledImages(byte[] pixels, byte[] labels) {
        this(PIXELS, CLASSES, pixels, null, labels, null);
    }

    private LabeledImages(int width, int classes, byte[] pixels, float[] values, byte[] labels, float[] targets) {
        if (width < 1) {
            throw new IllegalArgumentException("expected examples of at least one feature, found " + width);
        }
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("expected 1 to " + MAX_CLASSES + " classes, found " + classes);
        }
        int stored = pixels != null ? pixels.length : values.length;
        int examples = labels != null ? labels.length : targets.length;
        if (stored != (long) examples * width) {
            throw new IllegalArgumentException("expected " + examples + " examples of " + width
                    + " features (" + (long) examples * width + " values), found " + stored);
        }
        this.width = width;
        this.classes = classes;
        this.pixels = pixels;
        this.values = values;
        this.labels = labels;
        this.targets = targets;
        this.augmentation = Augmentation.NONE;
        this.augmentationSeed = 0;
    }

    /**
     * @param width pixels per image
     * @param classes the number of classes K; labels are 0..K-1
     * @param pixels {@code labels.length * width} unsigned bytes, image after image
     * @param labels one class index per image
     * @return 8-bit images, read as {@code byte / 255}
     */
    public static LabeledImages ofPixels(int width, int classes, byte[] pixels, byte[] labels) {
        return new LabeledImages(width, classes, pixels, null, labels, null);
    }

    /**
     * @param width features per example
     * @param classes the number of classes K; labels are 0..K-1
     * @param values {@code labels.length * width} features, example after example
     * @param labels one class index per example
     * @return real-valued examples, used as they are
     */
    public static LabeledImages ofFeatures(int width, int classes, float[] values, byte[] labels) {
        return new LabeledImages(width, classes, null, values, labels, null);
    }

    /**
     * @param width features per example
     * @param values {@code targets.length * width} features, example after example
     * @param targets one real number per example, what a regression learns to predict
     * @return real-valued examples with real-valued targets (one output, where a classification has K)
     */
    public static LabeledImages ofTargets(int width, float[] values, float[] targets) {
        return new LabeledImages(width, 1, null, values, null, targets);
    }

    /**
     * @param classes the number of classes K of the data set these examples belong to, above every label here
     * @return these examples (sharing their storage) as examples of {@code classes} classes: a set's class count
     *     is decided from its training and test sets together, after each has been measured on its own
     */
    public LabeledImages withClasses(int classes) {
        return classes == this.classes ? this : new LabeledImages(width, classes, pixels, values, labels, targets);
    }

    /** @return the largest label, -1 when there are no examples */
    public int largestLabel() {
        return labels == null ? 0 : largestLabel(labels);
    }

    /** @return the largest of {@code labels}, each an unsigned class index; -1 for none */
    static int largestLabel(byte[] labels) {
        int largest = -1;
        for (byte label : labels) {
            largest = Math.max(largest, label & 0xFF);
        }
        return largest;
    }

    /** @return an empty set of {@code size} examples of this set's kind, width and labels, to copy into */
    public LabeledImages emptyLike(int size) {
        return new LabeledImages(width, classes, pixels == null ? null : new byte[size * width],
                pixels == null ? new float[size * width] : null, targets == null ? new byte[size] : null,
                targets == null ? null : new float[size]);
    }

    private LabeledImages(LabeledImages images, Augmentation augmentation, long seed) {
        this.width = images.width;
        this.classes = images.classes;
        this.pixels = images.pixels;
        this.values = images.values;
        this.labels = images.labels;
        this.targets = images.targets;
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
        if (augmentation.isNone()) {
            return this;
        }
        if ((augmentation.maxShift() > 0 || augmentation.flip()) && side() == 0) {
            throw new IllegalArgumentException("shifts and flips move the pixels of square 8-bit images; these are "
                    + (pixels == null ? "real-valued features" : "not square (" + width + " pixels)"));
        }
        return new LabeledImages(this, augmentation, seed);
    }

    /** @return features per example */
    public int width() {
        return width;
    }

    /** @return the number of classes K (labels are 0..K-1); 1, the one output, for regression targets */
    public int classes() {
        return classes;
    }

    /** @return whether the labels are real-valued regression targets rather than classes */
    public boolean hasTargets() {
        return targets != null;
    }

    /** @return whether the features are 8-bit pixels (one byte each), not float32 values */
    public boolean isPixels() {
        return pixels != null;
    }

    /** @return bytes one example takes where it is stored or sent: its features and its label byte */
    public long bytesPerExample() {
        return (long) width * (pixels != null ? Byte.BYTES : Float.BYTES) + (targets != null ? Float.BYTES : 1);
    }

    /** @return the side of square 8-bit images, 0 for anything else */
    public int side() {
        int side = (int) Math.round(Math.sqrt(width));
        return pixels != null && side * side == width ? side : 0;
    }

    /** @return number of examples */
    public int size() {
        return labels != null ? labels.length : targets.length;
    }

    /** @return class index of example {@code i}, 0..K-1 (0 for a regression target: there is one output) */
    public int label(int i) {
        return labels != null ? labels[i] & 0xFF : 0;
    }

    /** @return the regression target of example {@code i} */
    public float target(int i) {
        return targets[i];
    }

    /**
     * @return feature {@code p} of example {@code i} as training sees it: a pixel scaled to [0, 1], as
     *     torchvision's {@code ToTensor} does, or the stored value
     */
    public float pixel(int i, int p) {
        return pixels != null ? (pixels[i * width + p] & 0xFF) / 255f : values[i * width + p];
    }

    /** @return the raw pixel bytes of image {@code i} (a copy); 8-bit images only */
    public byte[] imageBytes(int i) {
        if (pixels == null) {
            throw new IllegalStateException("these examples are real-valued features, not 8-bit images");
        }
        return Arrays.copyOfRange(pixels, i * width, (i + 1) * width);
    }

    /**
     * @param indices images to keep, in the order wanted
     * @return a new set holding those images
     */
    public LabeledImages select(int[] indices) {
        LabeledImages selected = emptyLike(indices.length);
        for (int k = 0; k < indices.length; k++) {
            copyTo(indices[k], selected, k);
        }
        return selected;
    }

    /**
     * @param parts sets of one kind, width and class count; at least one
     * @return all examples of {@code parts}, in order
     */
    public static LabeledImages concat(List<LabeledImages> parts) {
        LabeledImages all = parts.get(0).emptyLike(parts.stream().mapToInt(LabeledImages::size).sum());
        int at = 0;
        for (LabeledImages part : parts) {
            all.requireSameShape(part);
            for (int i = 0; i < part.size(); i++) {
                part.copyTo(i, all, at++);
            }
        }
        return all;
    }

    private void requireSameShape(LabeledImages other) {
        if (other.width != width || other.classes != classes || other.isPixels() != isPixels()
                || other.hasTargets() != hasTargets()) {
            throw new IllegalArgumentException("expected examples of " + describe() + ", found " + other.describe());
        }
    }

    /** @return e.g. {@code 784 8-bit pixels, 10 classes} */
    public String describe() {
        return width + (pixels != null ? " 8-bit pixels" : " float features") + ", "
                + (targets != null ? "real targets" : classes + " classes");
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
        return new LabeledImages(width, classes,
                pixels == null ? null : Arrays.copyOfRange(pixels, from * width, (from + count) * width),
                pixels == null ? Arrays.copyOfRange(values, from * width, (from + count) * width) : null,
                labels == null ? null : Arrays.copyOfRange(labels, from, from + count),
                targets == null ? null : Arrays.copyOfRange(targets, from, from + count));
    }

    /** Copies example {@code i} and its label to position {@code at} of {@code target}, a set of the same shape. */
    void copyTo(int i, LabeledImages target, int at) {
        if (pixels != null) {
            System.arraycopy(pixels, i * width, target.pixels, at * width, width);
        } else {
            System.arraycopy(values, i * width, target.values, at * width, width);
        }
        if (targets != null) {
            target.targets[at] = targets[i];
        } else {
            target.labels[at] = labels[i];
        }
    }

    /**
     * Copies examples {@code [from, from + count)} into {@code features} (row-major, {@code count x width}, pixels
     * scaled to [0, 1]) and their one-hot labels into {@code oneHot} ({@code count x classes}).
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
     * @param features at least {@code count * width} floats, written from index 0
     * @param oneHot at least {@code count * classes} floats, written from index 0
     */
    public void fill(int[] order, int from, int count, FloatBuffer features, FloatBuffer oneHot) {
        float off = (float) (augmentation.labelSmoothing() / classes);
        float on = (float) (1 - augmentation.labelSmoothing()) + off;
        for (int k = 0; k < count * classes; k++) {
            oneHot.put(k, off);
        }
        for (int k = 0; k < count; k++) {
            int i = order == null ? from + k : order[from + k];
            int src = i * width;
            int dst = k * width;
            if (pixels == null) {
                features.put(dst, values, src, width);
            } else if (augmentation.maxShift() == 0 && !augmentation.flip()) {
                for (int p = 0; p < width; p++) {
                    features.put(dst + p, (pixels[src + p] & 0xFF) / 255f);
                }
            } else {
                fillMoved(i, from + k, features, dst);
            }
            if (targets != null) {
                oneHot.put(k, targets[i]); // one output: the target itself
            } else {
                oneHot.put(k * classes + (labels[i] & 0xFF), on);
            }
        }
    }

    /** Writes image {@code i} shifted and perhaps mirrored as the hash of its fill position says. */
    private void fillMoved(int i, long position, FloatBuffer features, int dst) {
        long hash = mix(augmentationSeed + position * 0x9E3779B97F4A7C15L);
        int span = 2 * augmentation.maxShift() + 1;
        int dx = (int) Long.remainderUnsigned(hash, span) - augmentation.maxShift();
        int dy = (int) Long.remainderUnsigned(hash >>> 20, span) - augmentation.maxShift();
        boolean mirror = augmentation.flip() && (hash >>> 62 & 1) == 1;
        int side = side();
        int src = i * width;
        for (int y = 0; y < side; y++) {
            int sy = y - dy;
            for (int x = 0; x < side; x++) {
                int sx = mirror ? side - 1 - (x - dx) : x - dx;
                float value = sy < 0 || sy >= side || sx < 0 || sx >= side ? 0f
                        : (pixels[src + sy * side + sx] & 0xFF) / 255f;
                features.put(dst + y * side + x, value);
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
