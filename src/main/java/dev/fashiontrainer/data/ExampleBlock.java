package dev.fashiontrainer.data;

import java.io.Serializable;

/**
 * Some examples of a data set with their numbers in it: what an executor reads from storage (a byte range of an
 * IDX file, a Parquet row group) or routes to another worker when the data set is split.
 *
 * @param ids the example numbers, 0-based, one per image
 * @param images the examples
 */
public record ExampleBlock(int[] ids, LabeledImages images) implements Serializable {
    /**
     * @param ids one number per image
     * @param images the examples
     */
    public ExampleBlock {
        if (ids.length != images.size()) {
            throw new IllegalArgumentException("expected one number per image (" + images.size() + "), found "
                    + ids.length);
        }
    }

    /** @return {@code count} consecutive numbers from {@code first} for {@code images} */
    public static ExampleBlock numberedFrom(int first, LabeledImages images) {
        int[] ids = new int[images.size()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = first + k;
        }
        return new ExampleBlock(ids, images);
    }

    /** @return these examples as examples of {@code classes} classes ({@link LabeledImages#withClasses}) */
    public ExampleBlock withClasses(int classes) {
        return new ExampleBlock(ids, images.withClasses(classes));
    }
}
