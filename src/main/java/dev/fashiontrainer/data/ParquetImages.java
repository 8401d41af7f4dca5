package dev.fashiontrainer.data;

import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Labeled images in a Parquet data set (any Hadoop location), in {@link ImageFrames}' schema: as a training set
 * the executors read, as a test set the driver collects, and as what the converter writes.
 */
public final class ParquetImages implements TrainingSource {
    /** What the converter writes: the example's number, its label and its 784 pixel bytes. */
    public static final StructType SCHEMA = new StructType()
            .add(ImageFrames.INDEX, DataTypes.LongType, false)
            .add(ImageFrames.LABEL, DataTypes.IntegerType, false)
            .add(ImageFrames.IMAGE, DataTypes.BinaryType, false);

    private final Dataset<Row> frame;
    private final String location;
    private final int limit;
    private final int size;

    private ParquetImages(Dataset<Row> frame, String location, int limit, int size) {
        this.frame = frame;
        this.location = location;
        this.limit = limit;
        this.size = size;
    }

    /**
     * @param spark the application's context
     * @param path a Parquet data set
     * @return its rows, not yet read
     * @throws DataException naming the data set when it is missing or not Parquet
     */
    static Dataset<Row> read(JavaSparkContext spark, Path path) {
        try {
            return session(spark).read().parquet(path.toString());
        } catch (RuntimeException e) { // Spark's AnalysisException: missing path, not Parquet
            throw new DataException(path + ": not a readable Parquet data set: " + e.getMessage().lines()
                    .findFirst().orElse(""), e);
        }
    }

    /**
     * @param frame a data set's rows, in {@link ImageFrames}' schema
     * @param location where they are, for messages
     * @param limit use examples {@code 0..limit-1} only; 0 for all
     * @return the data set, its schema checked and its rows counted (a Spark job; no rows reach the driver)
     * @throws DataException naming the data set or the column when it is missing or of the wrong schema
     */
    static ParquetImages open(Dataset<Row> frame, String location, int limit) {
        ImageFrames.checkSchema(frame.schema(), location);
        long count = ImageFrames.count(frame, limit);
        if (count == 0 || count > Integer.MAX_VALUE) {
            throw new DataException(location + ": expected 1 to " + Integer.MAX_VALUE + " rows, found " + count);
        }
        return new ParquetImages(frame, location, limit, (int) count);
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

    /** Fashion-MNIST's form: 784 pixel bytes, labels 0-9 (checked as the rows are read). */
    @Override
    public SetShape shape() {
        return new SetShape(LabeledImages.PIXELS, true, LabeledImages.CLASSES - 1, List.of());
    }

    @Override
    public JavaRDD<ExampleBlock> blocks() {
        return ImageFrames.blocks(frame, location, limit);
    }

    /**
     * Writes numbered examples as a Parquet data set in {@link #SCHEMA}, from the executors.
     *
     * @param spark the application's context
     * @param blocks the examples
     * @param output where the data set goes; must not exist
     */
    public static void write(JavaSparkContext spark, JavaRDD<ExampleBlock> blocks, Path output) {
        JavaRDD<Row> rows = blocks.flatMap(block -> {
            List<Row> out = new java.util.ArrayList<>(block.ids().length);
            for (int k = 0; k < block.ids().length; k++) {
                out.add(RowFactory.create((long) block.ids()[k], block.images().label(k),
                        block.images().imageBytes(k)));
            }
            return out.iterator();
        });
        session(spark).createDataFrame(rows, SCHEMA).write().parquet(output.toString());
    }

    private static SparkSession session(JavaSparkContext spark) {
        return SparkSession.builder().sparkContext(spark.sc()).getOrCreate();
    }
}
