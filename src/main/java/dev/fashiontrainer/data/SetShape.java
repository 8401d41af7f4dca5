package dev.fashiontrainer.data;

import java.io.Serializable;
import java.util.List;

/**
 * What a labelled set holds, measured before its examples are packed: enough to decide the data set's classes
 * from its training and test sets together ({@link ClassNames#decide}).
 *
 * @param width features per example
 * @param pixels whether every feature is an 8-bit pixel (stored as one byte)
 * @param largestLabel the largest label found, -1 for none
 * @param declaredNames the class names the set's label column declares (ML attribute metadata, as
 *     {@code StringIndexer} writes it; a LibSVM file's label values), empty when it declares none
 */
public record SetShape(int width, boolean pixels, int largestLabel, List<String> declaredNames)
        implements Serializable {
    /** @return the shape of examples already on the driver, which declare no names */
    public static SetShape of(LabeledImages examples) {
        return new SetShape(examples.width(), examples.isPixels(), examples.largestLabel(), List.of());
    }
}
