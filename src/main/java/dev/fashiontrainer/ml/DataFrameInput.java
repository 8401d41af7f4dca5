package dev.fashiontrainer.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.data.ExampleBlock;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.SplitPlan;
import dev.fashiontrainer.data.TrainingData;

/**
 * Turns a DataFrame's features and label columns into the engine's input, on the executors: the rows are checked
 * and measured (one job that returns only counts, the features' width, the largest label and the first problem, so
 * a bad row becomes one exception on the driver rather than a failed, retried task), then read again into
 * numbered example blocks in the DataFrame's order and split across the workers by the command line's plan
 * ({@link SplitPlan#of}), so the same rows in the same order give the same shards, and the same model, as the
 * command line. The features never reach the driver.
 *
 * <p>Features are stored as compactly as they allow: when every value is an 8-bit pixel scaled to [0, 1] (a
 * multiple of 1/255, as Fashion-MNIST's are), as one byte each, which gives back exactly the same floats; any other
 * values as float32, the precision the network computes in.
 *
 * <p>The number of classes comes from the label column's ML attribute (what {@code StringIndexer} writes, with the
 * class names), else from the largest label in the data. For a regression the label is any finite number.
 */
final class DataFrameInput {
    private DataFrameInput() {
    }

    /**
     * What the data hold, measured before they are packed.
     *
     * @param rows rows read
     * @param width features per row
     * @param classes the number of classes K; 1 for a regression (its one output)
     * @param classNames one name per class, from the label column's attribute, or the label numbers; empty for a
     *     regression
     * @param pixels whether every feature is an 8-bit pixel scaled to [0, 1] (always false for a regression, whose
     *     features are kept as float32)
     * @param regression whether the labels are real-valued targets
     */
    record Shape(long rows, int width, int classes, List<String> classNames, boolean pixels, boolean regression)
            implements Serializable {
    }

    /**
     * @param data rows to read
     * @param featuresColumn vectors of one size
     * @param labelColumn class indices, or real numbers for a regression
     * @param regression whether the labels are real-valued targets
     * @return what the rows hold
     * @throws DataException naming the column and the first bad value found, or the rows' disagreement
     */
    static Shape measure(Dataset<?> data, String featuresColumn, String labelColumn, boolean regression) {
        Columns columns = new Columns(featuresColumn, labelColumn, regression);
        Attribute label = Attribute.fromStructField(data.schema().apply(labelColumn));
        int declaredClasses = label instanceof NominalAttribute nominal && nominal.getNumValues().isDefined()
                ? (int) nominal.getNumValues().get() : 0;
        int declaredWidth = AttributeGroup.fromStructField(data.schema().apply(featuresColumn)).size();
        long rows = 0;
        int width = declaredWidth;
        int largestLabel = -1;
        boolean pixels = true;
        for (Checked partition : columns.of(data).mapPartitionsWithIndex(check(columns, declaredWidth), true)
                .collect()) {
            if (partition.problem() != null) {
                throw new DataException(partition.problem());
            }
            if (partition.rows() == 0) {
                continue;
            }
            if (width > 0 && partition.width() != width) {
                throw new DataException("column '" + featuresColumn + "': expected vectors of one size, found "
                        + width + " and " + partition.width() + " values (partition " + partition.partition() + ")");
            }
            width = partition.width();
            rows += partition.rows();
            largestLabel = Math.max(largestLabel, partition.largestLabel());
            pixels &= partition.pixels();
        }
        if (rows == 0) {
            throw new DataException("the DataFrame has no rows: expected labelled examples in columns '"
                    + featuresColumn + "' and '" + labelColumn + "'");
        }
        if (regression) {
            return new Shape(rows, width, 1, List.of(), false, true);
        }
        int classes = declaredClasses > 0 ? declaredClasses : Math.max(2, largestLabel + 1);
        if (largestLabel >= classes) {
            throw new DataException("column '" + labelColumn + "': label " + largestLabel + " is beyond the last of"
                    + " the " + classes + " classes its metadata declares");
        }
        if (classes > LabeledImages.MAX_CLASSES) {
            throw new DataException("column '" + labelColumn + "': " + classes + " classes; this trainer takes at"
                    + " most " + LabeledImages.MAX_CLASSES);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(label instanceof NominalAttribute nominal && nominal.values().isDefined()
                    && c < nominal.values().get().length ? nominal.values().get()[c] : String.valueOf(c));
        }
        return new Shape(rows, width, classes, names, pixels, false);
    }

    /**
     * @param data the training rows, cached or deterministic: they are read twice (numbered, then packed)
     * @param shape what {@link #measure} found in them (or in all rows, validation rows included)
     * @param featuresColumn vectors of {@code shape.width()} values
     * @param labelColumn class indices
     * @param config the settings (workers, shuffle, seed)
     * @return the rows as the engine's input, split across the workers
     * @throws DataException naming the column and the first bad value found
     */
    static TrainingData trainingData(Dataset<?> data, Shape shape, String featuresColumn, String labelColumn,
                                     TrainingConfig config) {
        Columns columns = new Columns(featuresColumn, labelColumn, shape.regression());
        JavaRDD<Row> rows = columns.of(data);
        long[] firstNumber = new long[rows.getNumPartitions()];
        long total = 0;
        for (Checked counted : rows.mapPartitionsWithIndex(count(), true).collect()) {
            firstNumber[counted.partition()] = total;
            total += counted.rows();
        }
        if (total == 0) {
            throw new DataException("the DataFrame has no training rows (every row is a validation row); mark fewer"
                    + " rows for validation");
        }
        if (total > Integer.MAX_VALUE) {
            throw new DataException("the training DataFrame has " + total + " rows, more than the "
                    + Integer.MAX_VALUE + " a training set may hold");
        }
        config.checkAgainst((int) total);
        return TrainingData.split(rows.mapPartitionsWithIndex(blocks(columns, shape, firstNumber), true),
                SplitPlan.of((int) total, config), "the DataFrame's columns '" + featuresColumn + "' and '"
                        + labelColumn + "'");
    }

    /**
     * @return the rows' examples and labels in the DataFrame's order, on the driver (for validation rows)
     * @throws DataException naming the column and the first bad value found
     */
    static LabeledImages collect(Dataset<?> data, Shape shape, String featuresColumn, String labelColumn) {
        Columns columns = new Columns(featuresColumn, labelColumn, shape.regression());
        List<LabeledImages> parts = new ArrayList<>();
        for (Checked partition : columns.of(data).mapPartitionsWithIndex(pack(columns, shape), true).collect()) {
            if (partition.problem() != null) {
                throw new DataException(partition.problem());
            }
            parts.add(partition.examples());
        }
        return LabeledImages.concat(parts);
    }

    // Static factories, so the closures capture only the column names, the shape and the partitions' numbers.

    private static Function2<Integer, Iterator<Row>, Iterator<Checked>> check(Columns columns, int declaredWidth) {
        return (partition, rows) -> {
            long count = 0;
            int width = declaredWidth;
            int largest = -1;
            boolean pixels = true;
            while (rows.hasNext()) {
                Row row = rows.next();
                String problem = columns.problem(row, width, Integer.MAX_VALUE);
                if (problem != null) {
                    return List.of(Checked.problem(partition, problem + " (row " + count + " of partition "
                            + partition + ")")).iterator();
                }
                Vector features = row.getAs(0);
                width = features.size();
                largest = columns.regression() ? -1 : Math.max(largest, (int) ((Number) row.get(1)).doubleValue());
                pixels = pixels && Columns.isPixels(features);
                count++;
            }
            return List.of(new Checked(partition, count, width, largest, pixels, null, null)).iterator();
        };
    }

    private static Function2<Integer, Iterator<Row>, Iterator<Checked>> count() {
        return (partition, rows) -> {
            long count = 0;
            while (rows.hasNext()) {
                rows.next();
                count++;
            }
            return List.of(new Checked(partition, count, 0, -1, false, null, null)).iterator();
        };
    }

    private static Function2<Integer, Iterator<Row>, Iterator<Checked>> pack(Columns columns, Shape shape) {
        return (partition, rows) -> List.of(columns.pack(partition, rows, shape, Integer.MAX_VALUE)).iterator();
    }

    private static Function2<Integer, Iterator<Row>, Iterator<ExampleBlock>> blocks(Columns columns, Shape shape,
                                                                                    long[] firstNumber) {
        return (partition, rows) -> new Iterator<>() {
            private int next = (int) firstNumber[partition];

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public ExampleBlock next() {
                Checked block = columns.pack(partition, rows, shape, TrainingData.BLOCK_SIZE);
                if (block.problem() != null) { // the rows changed since they were checked
                    throw new DataException(block.problem());
                }
                ExampleBlock numbered = ExampleBlock.numberedFrom(next, block.examples());
                next += block.examples().size();
                return numbered;
            }
        };
    }

    /**
     * One partition's check or packed rows.
     *
     * @param partition the partition's index
     * @param rows rows read (up to the bad one)
     * @param width features per row (0 when there are no rows)
     * @param largestLabel the largest label read, -1 for none
     * @param pixels whether every feature read is an 8-bit pixel scaled to [0, 1]
     * @param examples the packed rows, when packing
     * @param problem one line naming the column, what was expected and what was found; null when all is well
     */
    private record Checked(int partition, long rows, int width, int largestLabel, boolean pixels,
                           LabeledImages examples, String problem) implements Serializable {
        static Checked problem(int partition, String problem) {
            return new Checked(partition, 0, 0, -1, false, null, problem);
        }
    }

    /** The two columns, read from a row into the engine's compact form. */
    private record Columns(String features, String label, boolean regression) implements Serializable {

        JavaRDD<Row> of(Dataset<?> data) {
            return data.select(functions.col(features), functions.col(label)).javaRDD();
        }

        /** Packs up to {@code limit} rows, or says what is wrong with the first bad one. */
        Checked pack(int partition, Iterator<Row> rows, Shape shape, int limit) {
            int width = shape.width();
            List<Row> taken = new ArrayList<>();
            while (taken.size() < limit && rows.hasNext()) {
                Row row = rows.next();
                String problem = problem(row, width, shape.classes());
                if (problem != null) {
                    return Checked.problem(partition, problem + " (row " + taken.size() + " of partition "
                            + partition + ")");
                }
                taken.add(row);
            }
            byte[] labels = new byte[taken.size()];
            float[] targets = new float[taken.size()];
            byte[] pixels = shape.pixels() ? new byte[taken.size() * width] : null;
            float[] values = shape.pixels() ? null : new float[taken.size() * width];
            for (int k = 0; k < taken.size(); k++) {
                Vector vector = taken.get(k).getAs(0);
                double label = ((Number) taken.get(k).get(1)).doubleValue();
                labels[k] = (byte) label;
                targets[k] = (float) label;
                for (int p = 0; p < width; p++) {
                    double v = vector.apply(p);
                    if (pixels != null) {
                        pixels[k * width + p] = (byte) Math.round(v * 255);
                    } else {
                        values[k * width + p] = (float) v;
                    }
                }
            }
            LabeledImages examples = shape.regression() ? LabeledImages.ofTargets(width, values, targets)
                    : pixels != null ? LabeledImages.ofPixels(width, shape.classes(), pixels, labels)
                    : LabeledImages.ofFeatures(width, shape.classes(), values, labels);
            return new Checked(partition, taken.size(), width, -1, shape.pixels(), examples, null);
        }

        /**
         * @param width the size every vector must have, 0 when not yet known
         * @param classes labels must be below it
         * @return null when the row holds a vector of finite numbers of that size and a class index, else why not
         */
        String problem(Row row, int width, int classes) {
            if (row.isNullAt(0)) {
                return "column '" + features + "': expected " + InputColumns.FEATURES_EXPECTED + ", found null";
            }
            if (row.isNullAt(1)) {
                return "column '" + label + "': expected " + InputColumns.LABEL_EXPECTED + ", found null";
            }
            Vector vector = row.getAs(0);
            if (width > 0 && vector.size() != width) {
                return "column '" + features + "': expected vectors of " + width + " values, found one of "
                        + vector.size();
            }
            double[] values = vector.toArray();
            for (int p = 0; p < values.length; p++) {
                if (!Double.isFinite(values[p])) {
                    return "column '" + features + "': expected finite numbers, found " + values[p] + " at index "
                            + p;
                }
            }
            double value = ((Number) row.get(1)).doubleValue();
            if (regression) {
                return Double.isFinite(value) ? null
                        : "column '" + label + "': expected finite numbers to predict, found " + value;
            }
            if (!(value >= 0 && value < classes && value == Math.rint(value))) {
                return "column '" + label + "': expected " + InputColumns.LABEL_EXPECTED
                        + (classes < Integer.MAX_VALUE ? " below " + classes : "") + ", found " + value;
            }
            return null;
        }

        /** @return whether every value is a multiple of 1/255 in [0, 1]: an 8-bit pixel, kept exactly in a byte */
        static boolean isPixels(Vector vector) {
            return Arrays.stream(vector.toArray()).allMatch(v -> v >= 0 && v <= 1 && Math.round(v * 255) / 255.0 == v);
        }
    }
}
