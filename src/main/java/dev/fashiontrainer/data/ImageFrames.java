package dev.fashiontrainer.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import scala.Tuple2;

/**
 * Labeled images as a DataFrame (a Parquet data set, or any other): the schema the trainer reads, and the
 * executor-side reading of it into numbered {@link ExampleBlock}s.
 *
 * <p>The schema: {@value #LABEL}, an integer column (0-9); {@value #IMAGE}, either binary of 784 bytes (unsigned
 * pixels, row after row, as in IDX files) or an array of 784 numbers in [0, 1] (stored as
 * {@code round(v * 255)}, the IDX byte they stand for); optionally {@value #INDEX}, a long or integer column
 * numbering the rows 0..n-1, which fixes the data set's order (the converter writes it, so a converted data set
 * splits exactly as the IDX files it came from). Without it the rows are numbered in the order Spark reads them.
 * Other columns are ignored.
 */
public final class ImageFrames {
    /** The label column: class index 0-9. */
    public static final String LABEL = "label";
    /** The image column: 784 bytes, or 784 numbers in [0, 1]. */
    public static final String IMAGE = "image";
    /** The optional example number column: 0..n-1. */
    public static final String INDEX = "index";

    private ImageFrames() {
    }

    /**
     * @param schema a data set's schema
     * @param where the data set's name, for the message
     * @throws DataException naming the column when a column is missing or of another type
     */
    public static void checkSchema(StructType schema, String where) {
        DataType label = typeOf(schema, LABEL, where);
        if (!isIntegral(label)) {
            throw new DataException(where + ": column " + LABEL + " must be an integer type, found "
                    + label.simpleString());
        }
        DataType image = typeOf(schema, IMAGE, where);
        boolean numbers = image instanceof ArrayType array && array.elementType() instanceof NumericType;
        if (!image.equals(DataTypes.BinaryType) && !numbers) {
            throw new DataException(where + ": column " + IMAGE + " must be binary (784 bytes) or an array of 784"
                    + " numbers in [0, 1], found " + image.simpleString());
        }
        if (hasIndex(schema) && !isIntegral(schema.apply(INDEX).dataType())) {
            throw new DataException(where + ": column " + INDEX + " must be an integer type (the example's number),"
                    + " found " + schema.apply(INDEX).dataType().simpleString());
        }
    }

    /**
     * Splits a DataFrame of labeled images across the workers; the rows are read and routed on the executors.
     *
     * @param frame labeled images in {@link ImageFrames}' schema
     * @param where the data set's name, for messages
     * @param workers number of shards
     * @param shuffle shuffle before splitting
     * @param seed shuffle seed
     * @return the training data on the executors
     * @throws DataException when the schema is wrong
     */
    public static TrainingData split(Dataset<Row> frame, String where, int workers, boolean shuffle, long seed) {
        checkSchema(frame.schema(), where);
        long count = count(frame, 0);
        if (count > Integer.MAX_VALUE) {
            throw new DataException(where + ": " + count + " rows, more than the " + Integer.MAX_VALUE
                    + " a training set may hold");
        }
        return TrainingData.split(blocks(frame, where), new SplitPlan((int) count, workers, shuffle, seed), where);
    }

    /**
     * @param frame labeled images in {@link ImageFrames}' schema (checked by {@link #checkSchema})
     * @param where the data set's name, for messages
     * @return its rows as numbered blocks, one or more per partition, read on the executors
     */
    public static JavaRDD<ExampleBlock> blocks(Dataset<Row> frame, String where) {
        return blocks(frame, where, 0);
    }

    /** As {@link #blocks(Dataset, String)}, keeping examples {@code 0..limit-1} only when {@code limit > 0}. */
    static JavaRDD<ExampleBlock> blocks(Dataset<Row> frame, String where, long limit) {
        boolean indexed = hasIndex(frame.schema());
        Dataset<Row> columns = indexed ? frame.select(LABEL, IMAGE, INDEX) : frame.select(LABEL, IMAGE);
        JavaRDD<Tuple2<Row, Long>> numbered = indexed
                ? columns.javaRDD().map(row -> new Tuple2<>(row, ((Number) row.get(2)).longValue()))
                : columns.javaRDD().zipWithIndex().map(pair -> pair);
        if (limit > 0) {
            numbered = numbered.filter(pair -> pair._2() < limit);
        }
        return numbered.mapPartitions(toBlocks(where));
    }

    /** @return the examples {@link #blocks(Dataset, String, long)} keeps */
    static long count(Dataset<Row> frame, long limit) {
        if (limit <= 0) {
            return frame.count();
        }
        return hasIndex(frame.schema()) ? frame.filter(frame.col(INDEX).lt(limit)).count()
                : Math.min(limit, frame.count());
    }

    private static FlatMapFunction<Iterator<Tuple2<Row, Long>>, ExampleBlock> toBlocks(String where) {
        return rows -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public ExampleBlock next() {
                List<Tuple2<Row, Long>> taken = new ArrayList<>(TrainingData.BLOCK_SIZE);
                while (rows.hasNext() && taken.size() < TrainingData.BLOCK_SIZE) {
                    taken.add(rows.next());
                }
                byte[] pixels = new byte[taken.size() * LabeledImages.PIXELS];
                byte[] labels = new byte[taken.size()];
                int[] ids = new int[taken.size()];
                for (int k = 0; k < taken.size(); k++) {
                    Row row = taken.get(k)._1();
                    long id = taken.get(k)._2();
                    ids[k] = (int) Math.min(id, Integer.MAX_VALUE);
                    labels[k] = label(row, id, where);
                    image(row, id, where, pixels, k * LabeledImages.PIXELS);
                }
                return new ExampleBlock(ids, new LabeledImages(pixels, labels));
            }
        };
    }

    private static byte label(Row row, long id, String where) {
        if (row.isNullAt(0)) {
            throw new DataException(where + ": column " + LABEL + " of example " + id + " is null");
        }
        long label = ((Number) row.get(0)).longValue();
        if (label < 0 || label >= LabeledImages.CLASSES) {
            throw new DataException(where + ": column " + LABEL + " of example " + id + " is " + label
                    + ", outside 0-9");
        }
        return (byte) label;
    }

    private static void image(Row row, long id, String where, byte[] pixels, int at) {
        if (row.isNullAt(1)) {
            throw new DataException(where + ": column " + IMAGE + " of example " + id + " is null");
        }
        Object value = row.get(1);
        if (value instanceof byte[] bytes) {
            checkLength(bytes.length, id, where);
            System.arraycopy(bytes, 0, pixels, at, bytes.length);
            return;
        }
        List<Object> numbers = row.getList(1);
        checkLength(numbers.size(), id, where);
        for (int p = 0; p < numbers.size(); p++) {
            Object number = numbers.get(p);
            double v = number == null ? Double.NaN : ((Number) number).doubleValue();
            if (!(v >= 0 && v <= 1)) {
                throw new DataException(where + ": column " + IMAGE + " of example " + id + " holds " + v
                        + " at pixel " + p + ", outside [0, 1]");
            }
            pixels[at + p] = (byte) Math.round(v * 255);
        }
    }

    private static void checkLength(int length, long id, String where) {
        if (length != LabeledImages.PIXELS) {
            throw new DataException(where + ": column " + IMAGE + " of example " + id + " holds " + length
                    + " values, expected " + LabeledImages.PIXELS);
        }
    }

    private static DataType typeOf(StructType schema, String column, String where) {
        for (StructField field : schema.fields()) {
            if (field.name().equals(column)) {
                return field.dataType();
            }
        }
        throw new DataException(where + ": no column " + column + " (expected " + LABEL + " int, " + IMAGE
                + " binary or array of numbers; found " + String.join(", ", schema.fieldNames()) + ")");
    }

    private static boolean hasIndex(StructType schema) {
        return List.of(schema.fieldNames()).contains(INDEX);
    }

    private static boolean isIntegral(DataType type) {
        return type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)
                || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType);
    }
}
