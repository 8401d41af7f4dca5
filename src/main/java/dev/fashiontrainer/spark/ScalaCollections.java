package dev.fashiontrainer.spark;

import java.util.ArrayList;
import java.util.List;

/**
 * Scala collections from Spark's listener API as Java lists, on both Spark lines: Scala 2.12's converters
 * ({@code scala.collection.JavaConverters}) are deprecated in 2.13, whose own ({@code scala.jdk.CollectionConverters})
 * 2.12 lacks, and 2.13's {@code Seq} is the immutable one. Their iterators are the same in both.
 */
public final class ScalaCollections {
    private ScalaCollections() {
    }

    /**
     * @param <T> the element type
     * @param collection any Scala collection (a {@code Seq} of either Scala version)
     * @return its elements, in order, in a new list
     */
    public static <T> List<T> asList(scala.collection.Iterable<T> collection) {
        List<T> list = new ArrayList<>();
        scala.collection.Iterator<T> elements = collection.iterator();
        while (elements.hasNext()) {
            list.add(elements.next());
        }
        return list;
    }
}
