package dev.fashiontrainer.data;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A training and a test set as LibSVM text files ({@code label index:value ...}, one example a line, indices from
 * 1; MLlib's sample data format), read with Spark's {@code libsvm} data source into {@link VectorSet}'s columns.
 *
 * <p>Both files get the same width, the largest feature index in either. LibSVM labels are numbers of any kind
 * (0/1, 1..K, -1/+1): the training file's distinct labels, sorted by value, become classes 0..K-1, and their text
 * (e.g. {@code -1}, {@code 1}) becomes the class names, recorded in the label column's ML attribute as
 * {@code StringIndexer} would. A test label the training file does not have is refused.
 */
public final class LibSvmFiles {
    /** The training set's file name in a data directory. */
    public static final String TRAIN = "train.libsvm";
    /** The test set's file name in a data directory. */
    public static final String TEST = "test.libsvm";
    // What Spark's libsvm source writes in the features column's metadata when it infers the width.
    private static final String NUM_FEATURES = "numFeatures";

    private LibSvmFiles() {
    }

    /**
     * The two sets in {@link VectorSet}'s columns.
     *
     * @param train the training rows, labels mapped to class indices
     * @param test the test rows, labels mapped the same way
     */
    public record Frames(Dataset<Row> train, Dataset<Row> test) {
    }

    /**
     * @param spark the session
     * @param train the training file
     * @param test the test file
     * @return both sets, labels mapped to class indices, the classes named in the label column's metadata
     * @throws DataException naming the file when it is not LibSVM text, or a test label is not a training label
     */
    public static Frames read(SparkSession spark, Path train, Path test) {
        long width = load(spark, "", train, test).schema().apply(VectorSet.FEATURES).metadata()
                .getLong(NUM_FEATURES);
        Dataset<Row> trainRows = load(spark, String.valueOf(width), train);
        Dataset<Row> testRows = load(spark, String.valueOf(width), test);
        double[] labels = distinctLabels(trainRows, train);
        double[] testLabels = distinctLabels(testRows, test);
        for (double label : testLabels) {
            if (Arrays.binarySearch(labels, label) < 0) {
                throw new DataException(test + ": label " + name(label) + " is not among the training file's labels ("
                        + Arrays.stream(labels).mapToObj(LibSvmFiles::name).collect(Collectors.joining(", ")) + ")");
            }
        }
        List<String> names = Arrays.stream(labels).mapToObj(LibSvmFiles::name).toList();
        return new Frames(indexed(trainRows, labels, names), indexed(testRows, labels, names));
    }

    private static Dataset<Row> load(SparkSession spark, String numFeatures, Path... files) {
        try {
            var reader = spark.read().format("libsvm");
            if (!numFeatures.isEmpty()) {
                reader = reader.option(NUM_FEATURES, numFeatures);
            }
            return reader.load(Arrays.stream(files).map(Path::toString).toArray(String[]::new));
        } catch (RuntimeException e) { // Spark's AnalysisException, or a parse failure while inferring the width
            throw failure(files[0], e);
        }
    }

    private static double[] distinctLabels(Dataset<Row> rows, Path file) {
        try {
            return rows.select(ImageFrames.LABEL).distinct().collectAsList().stream()
                    .mapToDouble(row -> row.getDouble(0)).sorted().toArray();
        } catch (RuntimeException e) { // a line that is not LibSVM text
            throw failure(file, e);
        }
    }

    private static DataException failure(Path file, RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new DataException(file + ": expected LibSVM text (label index:value ...), "
                + String.valueOf(cause.getMessage()).lines().findFirst().orElse(""), e);
    }

    /** @return the rows with each label replaced by its class index, the classes named in the column's metadata */
    private static Dataset<Row> indexed(Dataset<Row> rows, double[] labels, List<String> names) {
        UDF1<Double, Integer> index = label -> Arrays.binarySearch(labels, label);
        return rows.select(rows.col(VectorSet.FEATURES),
                functions.udf(index, DataTypes.IntegerType).apply(rows.col(ImageFrames.LABEL))
                        .as(ImageFrames.LABEL, NominalAttribute.defaultAttr().withName(ImageFrames.LABEL)
                                .withValues(names.toArray(String[]::new)).toMetadata()));
    }

    /** @return a label as LibSVM files write it: {@code 1}, {@code -1}, {@code 0.5} */
    private static String name(double label) {
        return label == Math.rint(label) && Math.abs(label) < 1e15 ? String.valueOf((long) label)
                : String.valueOf(label);
    }
}
