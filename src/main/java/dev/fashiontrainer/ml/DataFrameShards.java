package dev.fashiontrainer.ml;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.TrainingShard;

/**
 * Turns a DataFrame into the training engine's input: the rows are checked and packed into the compact byte form
 * on the executors, then split into the workers' shards exactly as the command line splits the files
 * ({@link Partitioner}), so the same rows in the same order give the same model. This class is the one place that
 * knows the engine's input type.
 *
 * <p>Pixels travel as one byte each, as the engine keeps them: a value {@code v} in [0, 1] becomes
 * {@code round(v * 255)}, which gives back exactly the bytes of 8-bit images scaled by 1/255 (Fashion-MNIST's),
 * and rounds any other value to the nearest of 256 levels.
 */
final class DataFrameShards {
    private DataFrameShards() {
    }

    /**
     * @param data the training rows
     * @param featuresColumn vectors of 784 values in [0, 1]
     * @param labelColumn class indices 0-9
     * @param config the settings (workers, shuffle, seed)
     * @return one shard per worker
     * @throws DataException naming the column and the first bad value found
     */
    static List<TrainingShard> of(Dataset<?> data, String featuresColumn, String labelColumn,
                                  TrainingConfig config) {
        LabeledImages images = images(data, featuresColumn, labelColumn);
        if (images.size() == 0) {
            throw new DataException("the training DataFrame has no rows: expected labelled images in columns '"
                    + featuresColumn + "' and '" + labelColumn + "'");
        }
        config.checkAgainst(images.size());
        return Partitioner.split(images, config.workers(), config.shuffle(), config.seed());
    }

    /**
     * @return the rows' images and labels in the DataFrame's order, checked and packed on the executors
     * @throws DataException naming the column and the first bad value found
     */
    static LabeledImages images(Dataset<?> data, String featuresColumn, String labelColumn) {
        List<Packed> parts = data.select(functions.col(featuresColumn), functions.col(labelColumn)).javaRDD()
                .mapPartitionsWithIndex(pack(featuresColumn, labelColumn), true).collect();
        List<LabeledImages> packed = new ArrayList<>(parts.size());
        for (Packed part : parts) {
            if (part.problem() != null) {
                throw new DataException(part.problem());
            }
            packed.add(part.images());
        }
        return LabeledImages.concat(packed);
    }

    // A static factory so the closure captures only the two column names.
    private static Function2<Integer, Iterator<Row>, Iterator<Packed>> pack(String featuresColumn,
                                                                           String labelColumn) {
        return (partition, rows) -> List.of(Packed.of(partition, rows, featuresColumn, labelColumn)).iterator();
    }

    /**
     * One partition's rows in byte form, or what is wrong with the first bad row.
     *
     * @param images the packed rows, or null when a row is bad
     * @param problem one line naming the column, what was expected and what was found, or null
     */
    record Packed(LabeledImages images, String problem) implements Serializable {

        static Packed of(int partition, Iterator<Row> rows, String featuresColumn, String labelColumn) {
            ByteArrayOutputStream pixels = new ByteArrayOutputStream();
            ByteArrayOutputStream labels = new ByteArrayOutputStream();
            byte[] image = new byte[LabeledImages.PIXELS];
            for (int row = 0; rows.hasNext(); row++) {
                Row next = rows.next();
                String where = " (row " + row + " of partition " + partition + ")";
                if (next.isNullAt(0)) {
                    return failed("column '" + featuresColumn + "': expected " + InputColumns.FEATURES_EXPECTED
                            + ", found null" + where);
                }
                if (next.isNullAt(1)) {
                    return failed("column '" + labelColumn + "': expected " + InputColumns.LABEL_EXPECTED
                            + ", found null" + where);
                }
                String badPixel = toBytes(next.getAs(0), image);
                if (badPixel != null) {
                    return failed("column '" + featuresColumn + "': expected " + InputColumns.FEATURES_EXPECTED
                            + ", found " + badPixel + where);
                }
                double label = ((Number) next.get(1)).doubleValue();
                if (!(label >= 0 && label < LabeledImages.CLASSES && label == Math.rint(label))) {
                    return failed("column '" + labelColumn + "': expected " + InputColumns.LABEL_EXPECTED
                            + ", found " + label + where);
                }
                pixels.write(image, 0, image.length);
                labels.write((int) label);
            }
            return new Packed(new LabeledImages(pixels.toByteArray(), labels.toByteArray()), null);
        }

        private static Packed failed(String problem) {
            return new Packed(null, problem);
        }

        /** @return null when {@code features} fit into {@code image}, else what was found instead */
        private static String toBytes(Vector features, byte[] image) {
            if (features.size() != LabeledImages.PIXELS) {
                return "a vector of " + features.size() + " values";
            }
            for (int p = 0; p < LabeledImages.PIXELS; p++) {
                double v = features.apply(p);
                if (!(v >= 0 && v <= 1)) {
                    return "the value " + v + " at index " + p;
                }
                image[p] = (byte) Math.round(v * 255);
            }
            return null;
        }
    }
}
