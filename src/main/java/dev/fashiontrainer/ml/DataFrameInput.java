package dev.fashiontrainer.ml;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
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
 * and counted (one job that returns only counts and the first problem, so a bad row becomes one exception on the
 * driver rather than a failed, retried task), then read again into numbered example blocks in the DataFrame's
 * order and split across the workers by the command line's plan ({@link SplitPlan#of}), so the same rows in the
 * same order give the same shards, and the same model, as the command line. The pixels never reach the driver.
 *
 * <p>Pixels are stored as the engine keeps them, one byte each: a value {@code v} in [0, 1] becomes
 * {@code round(v * 255)}, which gives back exactly the bytes of 8-bit images scaled by 1/255 (Fashion-MNIST's)
 * and rounds any other value to the nearest of 256 levels.
 */
final class DataFrameInput {
    private DataFrameInput() {
    }

    /**
     * @param data the training rows
     * @param featuresColumn vectors of 784 values in [0, 1]
     * @param labelColumn class indices 0-9
     * @param config the settings (workers, shuffle, seed)
     * @return the rows as the engine's input, split across the workers
     * @throws DataException naming the column and the first bad value found
     */
    static TrainingData trainingData(Dataset<?> data, String featuresColumn, String labelColumn,
                                     TrainingConfig config) {
        Columns columns = new Columns(featuresColumn, labelColumn);
        JavaRDD<Row> rows = columns.of(data);
        List<Checked> checked = rows.mapPartitionsWithIndex(check(columns), true).collect();
        long[] firstNumber = new long[checked.size()];
        long total = 0;
        for (Checked partition : checked) {
            if (partition.problem() != null) {
                throw new DataException(partition.problem());
            }
            firstNumber[partition.partition()] = total;
            total += partition.rows();
        }
        if (total == 0) {
            throw new DataException("the training DataFrame has no rows: expected labelled images in columns '"
                    + featuresColumn + "' and '" + labelColumn + "'");
        }
        if (total > Integer.MAX_VALUE) {
            throw new DataException("the training DataFrame has " + total + " rows, more than the "
                    + Integer.MAX_VALUE + " a training set may hold");
        }
        config.checkAgainst((int) total);
        return TrainingData.split(rows.mapPartitionsWithIndex(blocks(columns, firstNumber), true),
                SplitPlan.of((int) total, config), "the DataFrame's columns '" + featuresColumn + "' and '"
                        + labelColumn + "'");
    }

    /**
     * @return the rows' images and labels in the DataFrame's order, on the driver (for validation rows)
     * @throws DataException naming the column and the first bad value found
     */
    static LabeledImages collect(Dataset<?> data, String featuresColumn, String labelColumn) {
        Columns columns = new Columns(featuresColumn, labelColumn);
        List<LabeledImages> parts = new ArrayList<>();
        for (Checked partition : columns.of(data).mapPartitionsWithIndex(pack(columns), true).collect()) {
            if (partition.problem() != null) {
                throw new DataException(partition.problem());
            }
            parts.add(partition.images());
        }
        return LabeledImages.concat(parts);
    }

    // Static factories, so the closures capture only the column names and the partitions' first numbers.

    private static Function2<Integer, Iterator<Row>, Iterator<Checked>> check(Columns columns) {
        return (partition, rows) -> {
            byte[] image = new byte[LabeledImages.PIXELS];
            long count = 0;
            while (rows.hasNext()) {
                String problem = columns.read(rows.next(), image, partition, count);
                if (problem != null) {
                    return List.of(new Checked(partition, count, null, problem)).iterator();
                }
                count++;
            }
            return List.of(new Checked(partition, count, null, null)).iterator();
        };
    }

    private static Function2<Integer, Iterator<Row>, Iterator<Checked>> pack(Columns columns) {
        return (partition, rows) -> List.of(columns.pack(partition, rows, Integer.MAX_VALUE)).iterator();
    }

    private static Function2<Integer, Iterator<Row>, Iterator<ExampleBlock>> blocks(Columns columns,
                                                                                    long[] firstNumber) {
        return (partition, rows) -> new Iterator<>() {
            private int next = (int) firstNumber[partition];

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public ExampleBlock next() {
                Checked block = columns.pack(partition, rows, TrainingData.BLOCK_SIZE);
                if (block.problem() != null) { // the rows changed since they were checked
                    throw new DataException(block.problem());
                }
                ExampleBlock numbered = ExampleBlock.numberedFrom(next, block.images());
                next += block.images().size();
                return numbered;
            }
        };
    }

    /**
     * One partition's check or packed rows.
     *
     * @param partition the partition's index
     * @param rows rows read (up to the bad one)
     * @param images the packed rows, when packing
     * @param problem one line naming the column, what was expected and what was found; null when all is well
     */
    private record Checked(int partition, long rows, LabeledImages images, String problem) implements Serializable {
    }

    /** The two columns, read from a row into the engine's byte form. */
    private record Columns(String features, String label) implements Serializable {

        JavaRDD<Row> of(Dataset<?> data) {
            return data.select(functions.col(features), functions.col(label)).javaRDD();
        }

        /** Packs up to {@code limit} rows, or says what is wrong with the first bad one. */
        Checked pack(int partition, Iterator<Row> rows, int limit) {
            ByteArrayOutputStream pixels = new ByteArrayOutputStream();
            ByteArrayOutputStream labels = new ByteArrayOutputStream();
            byte[] image = new byte[LabeledImages.PIXELS];
            int count = 0;
            while (count < limit && rows.hasNext()) {
                Row row = rows.next();
                String problem = read(row, image, partition, count);
                if (problem != null) {
                    return new Checked(partition, count, null, problem);
                }
                pixels.write(image, 0, image.length);
                labels.write((int) ((Number) row.get(1)).doubleValue());
                count++;
            }
            return new Checked(partition, count, new LabeledImages(pixels.toByteArray(), labels.toByteArray()), null);
        }

        /** @return null when the row's features fit into {@code image} and its label is a class, else why not */
        String read(Row row, byte[] image, int partition, long index) {
            String where = " (row " + index + " of partition " + partition + ")";
            if (row.isNullAt(0)) {
                return "column '" + features + "': expected " + InputColumns.FEATURES_EXPECTED + ", found null"
                        + where;
            }
            if (row.isNullAt(1)) {
                return "column '" + label + "': expected " + InputColumns.LABEL_EXPECTED + ", found null" + where;
            }
            String badPixel = toBytes(row.getAs(0), image);
            if (badPixel != null) {
                return "column '" + features + "': expected " + InputColumns.FEATURES_EXPECTED + ", found "
                        + badPixel + where;
            }
            double value = ((Number) row.get(1)).doubleValue();
            if (!(value >= 0 && value < LabeledImages.CLASSES && value == Math.rint(value))) {
                return "column '" + label + "': expected " + InputColumns.LABEL_EXPECTED + ", found " + value
                        + where;
            }
            return null;
        }

        private static String toBytes(Vector vector, byte[] image) {
            if (vector.size() != LabeledImages.PIXELS) {
                return "a vector of " + vector.size() + " values";
            }
            for (int p = 0; p < LabeledImages.PIXELS; p++) {
                double v = vector.apply(p);
                if (!(v >= 0 && v <= 1)) {
                    return "the value " + v + " at index " + p;
                }
                image[p] = (byte) Math.round(v * 255);
            }
            return null;
        }
    }
}
