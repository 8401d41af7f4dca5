package dev.fashiontrainer.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.data.DataException;

/** Regression beyond MLlib's MLP: a known nonlinear function of five features, learned and scored by MLlib. */
class DistributedMlpRegressorTest {
    private static final StructType SCHEMA = new StructType().add("features", new VectorUDT())
            .add("label", DataTypes.DoubleType);
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @BeforeAll
    static void data() {
        TestSpark.context();
        spark = SparkSession.builder().getOrCreate();
        train = rows(4000, 1).cache();
        test = rows(1000, 2).cache();
    }

    /** y = 2 x0 - x1 + x2 x3 + sin(2 x4), the features standard normal. */
    private static Dataset<Row> rows(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            double[] x = new double[5];
            for (int c = 0; c < x.length; c++) {
                x[c] = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            }
            double y = 2 * x[0] - x[1] + x[2] * x[3] + Math.sin(2 * x[4]);
            rows.add(RowFactory.create(Vectors.dense(x), y));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static double rmse(Dataset<Row> predictions) {
        return new RegressionEvaluator().setMetricName("rmse").evaluate(predictions);
    }

    @Test
    void learnsAKnownFunctionFarBetterThanItsMean() {
        DistributedMlpRegressor regressor = new DistributedMlpRegressor().setRecipe("fast")
                .setHiddenLayers(new int[] {64, 64}).setMaxIter(20).setBlockSize(32).setSeed(3)
                .setValidationIndicatorCol("held");
        DistributedMlpRegressionModel model = regressor.fit(train.withColumn("held",
                org.apache.spark.sql.functions.expr("rand(5) < 0.1")));

        double rmse = rmse(model.transform(test));
        double spread = Math.sqrt(test.selectExpr("variance(label)").first().getDouble(0)); // the mean's RMSE
        System.out.printf("regression: test RMSE %.4f, the label's standard deviation %.4f%n", rmse, spread);
        assertTrue(rmse < 0.2 * spread, "RMSE " + rmse + " against the label's standard deviation " + spread);
        assertArrayEquals(new int[] {5, 64, 64, 1}, model.getLayers());
        assertEquals(5, model.numFeatures());
        double[] losses = model.summary().objectiveHistory();
        assertTrue(losses[losses.length - 1] < losses[0] / 5, java.util.Arrays.toString(losses));
        double validationMse = model.summary().epochs().get(losses.length - 1).validationLoss();
        assertEquals(rmse * rmse, validationMse, 0.5 * rmse * rmse, "validation MSE near the test rows'");
        // one row's prediction is the network's output on it
        Row first = model.transform(test.limit(1)).select("features", "prediction").first();
        assertEquals(model.predict(first.getAs(0)), first.getDouble(1), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed", "fast"})
    void aSavedPipelineLoadsAndPredictsTheSame(String recipe, @TempDir Path directory) throws IOException {
        DistributedMlpRegressor regressor = new DistributedMlpRegressor().setRecipe(recipe)
                .setHiddenLayers(new int[] {16}).setMaxIter(2).setLearningRate("seed".equals(recipe) ? 0.01 : 0.001);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {regressor}).fit(train);
        String path = directory.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        assertEquals(fitted.transform(test).select("prediction").collectAsList(),
                loaded.transform(test).select("prediction").collectAsList());
        DistributedMlpRegressionModel stage = (DistributedMlpRegressionModel) loaded.stages()[0];
        assertEquals(((DistributedMlpRegressionModel) fitted.stages()[0]).trainingConfig(), stage.trainingConfig());

        String estimatorPath = directory.resolve("regressor").toString();
        regressor.write().save(estimatorPath);
        assertEquals(regressor.trainingConfig(), DistributedMlpRegressor.load(estimatorPath).trainingConfig());
    }

    @Test
    void aNonFiniteTargetIsRefusedNamingTheColumn() {
        Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), 0.5),
                RowFactory.create(Vectors.dense(1, 3), Double.NaN)), SCHEMA).coalesce(1);
        DataException e = assertThrows(DataException.class, () -> new DistributedMlpRegressor().fit(bad));
        assertEquals("column 'label': expected finite numbers to predict, found NaN (row 1 of partition 0)",
                e.getMessage());
    }
}
