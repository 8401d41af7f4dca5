package dev.fashiontrainer.export;

import java.util.Locale;

import dev.fashiontrainer.data.LabeledImages;

/**
 * What an exported graph's {@code features} input takes: raw 8-bit pixels (0-255, scaled by the graph as training
 * scaled them) or feature values exactly as the network was trained on them.
 */
public enum OnnxInput {
    /** 8-bit pixel values 0-255 as float32; the graph divides them by 255, as training read its pixel bytes. */
    PIXELS,
    /** feature values as float32, used as they are (standardize them as you did for training). */
    FEATURES;

    /** @return how the input was trained: 8-bit images as pixels, anything else as features */
    public static OnnxInput of(LabeledImages trainedOn) {
        return trainedOn.isPixels() ? PIXELS : FEATURES;
    }

    /** @return the name in the graph's metadata and on the command line: {@code pixels} or {@code features} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label {@code pixels} or {@code features}, as {@link #label()} writes it
     * @return the kind, or null for anything else
     */
    public static OnnxInput ofLabel(String label) {
        for (OnnxInput kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        return null;
    }
}
