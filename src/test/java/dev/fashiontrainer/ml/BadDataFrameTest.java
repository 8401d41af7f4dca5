package dev.fashiontrainer.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
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
        String features = "MLlib Vectors of finite numbers, all of one size";
        String labels = "class indices 0, 1, 2, ... as numbers (StringIndexer's output, for example)";
        Metadata tenClasses = NominalAttribute.defaultAttr().withNumValues(10).toMetadata();
        return Stream.of(
            Arguments.of("missing features", good.drop("features"),
                    "column 'features' is missing: expected " + features + "; the DataFrame has columns [label]"),
            Arguments.of("missing label", good.drop("label"),
                    "column 'label' is missing: expected " + labels + "; the DataFrame has columns [features]"),
            Arguments.of("features of another type", good.withColumn("features", functions.lit("pixels")),
                    "column 'features': expected " + features + ", found type string"),
            Arguments.of("vectors of two sizes", withBadRow(row -> new Object[] {Vectors.dense(new double[780]), 1.0})
                            .coalesce(1),
                    "column 'features': expected vectors of 784 values, found one of 780 (row 20 of partition 0)"),
            Arguments.of("an infinite feature", withBadRow(row -> new Object[] {Vectors.sparse(784, new int[] {3},
                            new double[] {Double.POSITIVE_INFINITY}), 1.0}),
                    "column 'features': expected finite numbers, found Infinity at index 3 (row "),
            Arguments.of("label beyond the classes its metadata declares",
                    withBadRow(row -> new Object[] {row[0], 10.0}).withColumn("label", functions.col("label"),
                            tenClasses),
                    "column 'label': label 10 is beyond the last of the 10 classes its metadata declares"),
            Arguments.of("negative label", withBadRow(row -> new Object[] {row[0], -1.0}),
                    "column 'label': expected " + labels + ", found -1.0 (row "),
            Arguments.of("fractional label", withBadRow(row -> new Object[] {row[0], 2.5}),
                    "column 'label': expected " + labels + ", found 2.5 (row "),
            Arguments.of("null features", withBadRow(row -> new Object[] {null, row[1]}),
                    "column 'features': expected " + features + ", found null (row "),
            Arguments.of("null label", withBadRow(row -> new Object[] {row[0], null}),
                    "column 'label': expected " + labels + ", found null (row "),
            Arguments.of("no rows", good.limit(0),
                    "the DataFrame has no rows: expected labelled examples in columns 'features' and 'label'"));
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
        assertEquals("column 'features' is missing: expected MLlib Vectors of finite numbers, all of one size; the"
                + " DataFrame has columns [label]", missing.getMessage());
        Dataset<Row> shortVector = withBadRow(row -> new Object[] {Vectors.dense(new double[780]), 1.0});
        Exception failed = assertThrows(Exception.class, () -> model.transform(shortVector).collectAsList());
        assertEquals("column 'features': expected vectors of 784 values (the model's input width), found one of 780",
                TrainerException.innermostIn(failed).getMessage());
    }
}
