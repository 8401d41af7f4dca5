package dev.fashiontrainer.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import scala.Tuple2;

/**
 * Labelled feature vectors in a DataFrame (a Parquet data set, a LibSVM file): a {@value #FEATURES} column of
 * MLlib vectors or arrays of numbers, all of one width, and a {@value ImageFrames#LABEL} column of class indices
 * 0..K-1 (any numeric type holding whole numbers), which may declare its classes and their names in ML attribute
 * metadata, as {@code StringIndexer} writes it; optionally {@value ImageFrames#INDEX}, a long or integer column
 * numbering the rows 0..n-1 (the converter writes it), else the rows are numbered in the order Spark reads them.
 *
 * <p>Opening the set measures its rows on the executors, in one job that returns only counts, the width, the
 * largest label and the first problem, so a bad row is one error line on the driver before training, not a failed
 * task. The rows are then read again by the executors into numbered blocks. Features that are all 8-bit pixels
 * scaled to [0, 1] (multiples of 1/255) are kept as one byte each, which gives back exactly the same floats; any
 * others as float32, the precision the network computes in.
 */
public final class VectorSet implements TrainingSource {
    /** The features column. */
    public static final String FEATURES = "features";
    private static final String EXPECTED = "expected " + FEATURES + " (vector or array of numbers, one width) and "
            + ImageFrames.LABEL + " (class index)";

    private final Dataset<Row> frame;
    private final String location;
    private final int limit;
    private final int size;
    private final SetShape shape;

    private VectorSet(Dataset<Row> frame, String location, int limit, int size, SetShape shape) {
        this.frame = frame;
        this.location = location;
        this.limit = limit;
        this.size = size;
        this.shape = shape;
    }

    /** @return whether {@code schema} has a {@value #FEATURES} column: a set of vectors, not of images */
    public static boolean holdsVectors(StructType schema) {
        return Arrays.asList(schema.fieldNames()).contains(FEATURES);
    }

    /**
     * @param frame the rows
     * @param where the data set's location, for messages
     * @param limit use rows {@code 0..limit-1} only; 0 for all
     * @return the set, its schema checked and its rows measured (a Spark job; no rows reach the driver)
     * @throws DataException naming the data set, the column and the first bad value, or the rows' disagreement
     */
    public static VectorSet open(Dataset<Row> frame, String where, int limit) {
        StructType schema = frame.schema();
        DataType features = column(schema, FEATURES, where).dataType();
        if (!features.equals(SQLDataTypes.VectorType())
                && !(features instanceof ArrayType array && array.elementType() instanceof NumericType)) {
            throw new DataException(where + ": column " + FEATURES + " must hold vectors or arrays of numbers, found "
                    + features.simpleString());
        }
        StructField label = column(schema, ImageFrames.LABEL, where);
        if (!(label.dataType() instanceof NumericType)) {
            throw new DataException(where + ": column " + ImageFrames.LABEL + " must be numeric (class indices),"
                    + " found " + label.dataType().simpleString());
        }
        boolean indexed = Arrays.asList(schema.fieldNames()).contains(ImageFrames.INDEX);
        Dataset<Row> columns = indexed ? frame.select(FEATURES, ImageFrames.LABEL, ImageFrames.INDEX)
                : frame.select(FEATURES, ImageFrames.LABEL);
        long rows = 0;
        int width = 0;
        int largest = -1;
        boolean pixels = true;
        for (Measured part : numbered(columns, limit).mapPartitions(measure(where)).collect()) {
            if (part.problem() != null) {
                throw new DataException(part.problem());
            }
            if (part.rows() == 0) {
                continue;
            }
            if (width > 0 && part.width() != width) {
                throw new DataException(where + ": column " + FEATURES + ": expected vectors of one width, found "
                        + width + " and " + part.width() + " values (example " + part.first() + ")");
            }
            width = part.width();
            rows += part.rows();
            largest = Math.max(largest, part.largestLabel());
            pixels &= part.pixels();
        }
        if (rows == 0 || rows > Integer.MAX_VALUE) {
            throw new DataException(where + ": expected 1 to " + Integer.MAX_VALUE + " rows, found " + rows);
        }
        return new VectorSet(columns, where, limit, (int) rows,
                new SetShape(width, pixels, largest, declaredNames(label)));
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public Map<String, String> digests() {
        return Map.of();
    }

    @Override
    public SetShape shape() {
        return shape;
    }

    @Override
    public JavaRDD<ExampleBlock> blocks() {
        return numbered(frame, limit).mapPartitions(pack(location, shape, ClassNames.fromData(shape)));
    }

    /**
     * Writes numbered examples as a Parquet data set that {@link #open} reads back as they were: {@value
     * ImageFrames#INDEX} (long), {@value #FEATURES} (a dense vector; 8-bit pixels as {@code byte / 255}) and
     * {@value ImageFrames#LABEL} (int), its classes named in the column's ML attribute metadata. From the
     * executors.
     *
     * @param blocks the examples
     * @param classNames one name per class, by label
     * @param output where the data set goes; must not exist
     */
    public static void write(JavaRDD<ExampleBlock> blocks, List<String> classNames, Path output) {
        JavaRDD<Row> rows = blocks.flatMap(block -> {
            LabeledImages examples = block.images();
            List<Row> out = new ArrayList<>(examples.size());
            for (int k = 0; k < examples.size(); k++) {
                double[] features = new double[examples.width()];
                for (int p = 0; p < features.length; p++) {
                    features[p] = examples.pixel(k, p);
                }
                out.add(RowFactory.create((long) block.ids()[k], Vectors.dense(features), examples.label(k)));
            }
            return out.iterator();
        });
        StructType schema = new StructType()
                .add(ImageFrames.INDEX, DataTypes.LongType, false)
                .add(FEATURES, SQLDataTypes.VectorType(), false)
                .add(new StructField(ImageFrames.LABEL, DataTypes.IntegerType, false, NominalAttribute.defaultAttr()
                        .withName(ImageFrames.LABEL).withValues(classNames.toArray(String[]::new)).toMetadata()));
        SparkSession.builder().sparkContext(blocks.context()).getOrCreate().createDataFrame(rows, schema).write()
                .parquet(output.toString());
    }

    /** @return the names the label column's ML attribute declares, the label numbers when it declares a count only */
    private static List<String> declaredNames(StructField label) {
        Attribute attribute = Attribute.fromStructField(label);
        if (!(attribute instanceof NominalAttribute nominal)) {
            return List.of();
        }
        if (nominal.values().isDefined()) {
            return List.of(nominal.values().get());
        }
        int count = nominal.getNumValues().isDefined() ? (int) nominal.getNumValues().get() : 0;
        List<String> numbers = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            numbers.add(String.valueOf(c));
        }
        return numbers;
    }

    private static StructField column(StructType schema, String name, String where) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new DataException(where + ": no column " + name + " (" + EXPECTED + "; found "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        return schema.apply(name);
    }

    private static JavaRDD<Tuple2<Row, Long>> numbered(Dataset<Row> columns, long limit) {
        JavaRDD<Tuple2<Row, Long>> numbered = Arrays.asList(columns.schema().fieldNames()).contains(ImageFrames.INDEX)
                ? columns.javaRDD().map(row -> new Tuple2<>(row, ((Number) row.get(2)).longValue()))
                : columns.javaRDD().zipWithIndex().map(pair -> pair);
        return limit > 0 ? numbered.filter(pair -> pair._2() < limit) : numbered;
    }

    /**
     * One partition's measure.
     *
     * @param rows rows read
     * @param first the number of its first row
     * @param width features per row, 0 when there are no rows
     * @param largestLabel the largest label, -1 for none
     * @param pixels whether every feature is an 8-bit pixel scaled to [0, 1]
     * @param problem one line naming the data set, the column, what was expected and found; null when all is well
     */
    private record Measured(long rows, long first, int width, int largestLabel, boolean pixels, String problem)
            implements Serializable {
    }

    // Static factories, so the closures capture only the location and the shape.

    private static FlatMapFunction<Iterator<Tuple2<Row, Long>>, Measured> measure(String where) {
        return rows -> {
            long count = 0;
            long first = -1;
            int width = 0;
            int largest = -1;
            boolean pixels = true;
            while (rows.hasNext()) {
                Tuple2<Row, Long> row = rows.next();
                Example example = Example.read(row._1(), row._2(), width, where);
                if (example.problem() != null) {
                    return List.of(new Measured(0, 0, 0, -1, false, example.problem())).iterator();
                }
                first = first < 0 ? row._2() : first;
                width = example.values().length;
                largest = Math.max(largest, example.label());
                pixels = pixels && Arrays.stream(example.values())
                        .allMatch(v -> v >= 0 && v <= 1 && Math.round(v * 255) / 255.0 == v);
                count++;
            }
            return List.of(new Measured(count, first, width, largest, pixels, null)).iterator();
        };
    }

    private static FlatMapFunction<Iterator<Tuple2<Row, Long>>, ExampleBlock> pack(String where, SetShape shape,
                                                                                int classes) {
        return rows -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public ExampleBlock next() {
                int width = shape.width();
                List<Example> taken = new ArrayList<>(TrainingData.BLOCK_SIZE);
                List<Integer> ids = new ArrayList<>(TrainingData.BLOCK_SIZE);
                while (rows.hasNext() && taken.size() < TrainingData.BLOCK_SIZE) {
                    Tuple2<Row, Long> row = rows.next();
                    Example example = Example.read(row._1(), row._2(), width, where);
                    if (example.problem() != null) { // the rows changed since they were measured
                        throw new DataException(example.problem());
                    }
                    taken.add(example);
                    ids.add((int) (long) row._2());
                }
                byte[] labels = new byte[taken.size()];
                byte[] pixels = shape.pixels() ? new byte[taken.size() * width] : null;
                float[] values = shape.pixels() ? null : new float[taken.size() * width];
                for (int k = 0; k < taken.size(); k++) {
                    labels[k] = (byte) taken.get(k).label();
                    double[] features = taken.get(k).values();
                    for (int p = 0; p < width; p++) {
                        if (pixels != null) {
                            pixels[k * width + p] = (byte) Math.round(features[p] * 255);
                        } else {
                            values[k * width + p] = (float) features[p];
                        }
                    }
                }
                LabeledImages examples = pixels != null ? LabeledImages.ofPixels(width, classes, pixels, labels)
                        : LabeledImages.ofFeatures(width, classes, values, labels);
                return new ExampleBlock(ids.stream().mapToInt(Integer::intValue).toArray(), examples);
            }
        };
    }

    /**
     * One row read: its features and label, or what is wrong with it.
     *
     * @param values the features
     * @param label the class index
     * @param problem one line naming the data set, the column, the example, what was expected and found; or null
     */
    private record Example(double[] values, int label, String problem) {
        /**
         * @param width the width every vector must have, 0 when not yet known
         */
        static Example read(Row row, long id, int width, String where) {
            String at = where + ": example " + id + ", column ";
            if (row.isNullAt(0)) {
                return failed(at + FEATURES + ": expected numbers, found null");
            }
            double[] values = row.get(0) instanceof Vector vector ? vector.toArray()
                    : row.getList(0).stream().mapToDouble(v -> v == null ? Double.NaN : ((Number) v).doubleValue())
                    .toArray();
            if (width > 0 && values.length != width) {
                return failed(at + FEATURES + ": expected vectors of one width, " + width + " values, found "
                        + values.length);
            }
            for (int p = 0; p < values.length; p++) {
                if (!Double.isFinite(values[p])) {
                    return failed(at + FEATURES + ": expected finite numbers, found " + values[p] + " at index " + p);
                }
            }
            if (values.length == 0) {
                return failed(at + FEATURES + ": expected at least one value, found none");
            }
            if (row.isNullAt(1)) {
                return failed(at + ImageFrames.LABEL + ": expected a class index, found null");
            }
            double label = ((Number) row.get(1)).doubleValue();
            if (!(label >= 0 && label < LabeledImages.MAX_CLASSES && label == Math.rint(label))) {
                return failed(at + ImageFrames.LABEL + ": expected a class index 0-" + (LabeledImages.MAX_CLASSES - 1)
                        + ", found " + label);
            }
            return new Example(values, (int) label, null);
        }

        private static Example failed(String problem) {
            return new Example(null, -1, problem);
        }
    }
}
