package dev.fashiontrainer.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.TrainerException;
import dev.fashiontrainer.data.DataException;

/** Each kind of bad DataFrame gets one exception naming the column, what was expected and what was found. */
class BadDataFrameTest {
    private static final StructType NULLABLE = new StructType(new StructField[] {
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), true),
        DataTypes.createStructField("label", DataTypes.DoubleType, true)});

    private static SparkSession spark;

    @BeforeAll
    static void session() {
        TestSpark.context();
        spark = SparkSession.builder().getOrCreate();
    }

    /** Twenty good rows, then the one that {@code change} makes of a good row. */
    private static Dataset<Row> withBadRow(UnaryOperator<Object[]> change) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            double[] pixels = new double[784];
            Arrays.fill(pixels, (i % 5) / 4.0);
            Object[] row = {Vectors.dense(pixels), (double) (i % 10)};
            rows.add(RowFactory.create(i == 20 ? change.apply(row) : row));
        }
        return spark.createDataFrame(rows, NULLABLE);
    }

    static Stream<Arguments> badFrames() {
        Dataset<Row> good = withBadRow(row -> row);
        return Stream.of(
            Arguments.of("missing features", good.drop("features"),
                    "column 'features' is missing: expected MLlib Vectors of 784 pixel values in [0, 1];"
                            + " the DataFrame has columns [label]"),
            Arguments.of("missing label", good.drop("label"),
                    "column 'label' is missing: expected class indices 0 to 9 as numbers; the DataFrame has columns"
                            + " [features]"),
            Arguments.of("features of another type", good.withColumn("features", functions.lit("pixels")),
                    "column 'features': expected MLlib Vectors of 784 pixel values in [0, 1], found type string"),
            Arguments.of("wrong vector size", withBadRow(row -> new Object[] {Vectors.dense(new double[780]), 1.0}),
                    "column 'features': expected MLlib Vectors of 784 pixel values in [0, 1], found a vector of 780"
                            + " values (row "),
            Arguments.of("unscaled pixels", withBadRow(row -> new Object[] {Vectors.sparse(784, new int[] {3},
                            new double[] {255}), 1.0}),
                    "column 'features': expected MLlib Vectors of 784 pixel values in [0, 1], found the value 255.0 at"
                            + " index 3 (row "),
            Arguments.of("label outside 0-9", withBadRow(row -> new Object[] {row[0], 10.0}),
                    "column 'label': expected class indices 0 to 9 as numbers, found 10.0 (row "),
            Arguments.of("fractional label", withBadRow(row -> new Object[] {row[0], 2.5}),
                    "column 'label': expected class indices 0 to 9 as numbers, found 2.5 (row "),
            Arguments.of("null features", withBadRow(row -> new Object[] {null, row[1]}),
                    "column 'features': expected MLlib Vectors of 784 pixel values in [0, 1], found null (row "),
            Arguments.of("null label", withBadRow(row -> new Object[] {row[0], null}),
                    "column 'label': expected class indices 0 to 9 as numbers, found null (row "),
            Arguments.of("no rows", good.limit(0),
                    "the training DataFrame has no rows: expected labelled images in columns 'features' and 'label'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void fitSaysWhatIsWrongWithTheDataFrame(String name, Dataset<Row> frame, String expected) {
        DataException e = assertThrows(DataException.class,
                () -> new DistributedMlpClassifier().setEpochs(1).fit(frame));
        assertEquals(expected, e.getMessage().substring(0, Math.min(expected.length(), e.getMessage().length())),
                e.getMessage());
    }

    @Test
    void theModelChecksTheFeaturesOfWhatItTransforms() {
        Dataset<Row> good = withBadRow(row -> row);
        DistributedMlpClassificationModel model = new DistributedMlpClassifier().setEpochs(1).setBatchSize(16)
                .fit(good);

        DataException missing = assertThrows(DataException.class, () -> model.transform(good.drop("features")));
        assertEquals("column 'features' is missing: expected MLlib Vectors of 784 pixel values in [0, 1]; the"
                + " DataFrame has columns [label]", missing.getMessage());
        Dataset<Row> shortVector = withBadRow(row -> new Object[] {Vectors.dense(new double[780]), 1.0});
        Exception failed = assertThrows(Exception.class, () -> model.transform(shortVector).collectAsList());
        assertEquals("column 'features': expected MLlib Vectors of 784 pixel values in [0, 1], found a vector of"
                + " 780 values", TrainerException.innermostIn(failed).getMessage());
    }
}
