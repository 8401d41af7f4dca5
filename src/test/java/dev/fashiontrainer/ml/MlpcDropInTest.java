package dev.fashiontrainer.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
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

import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.data.DataException;

/**
 * A Spark user's own data, not Fashion-MNIST ({@link QuadraticClassRows}): 60 numeric columns of different scales,
 * assembled and standardized, string classes indexed by {@code StringIndexer}. The same Pipeline and the same
 * setter calls fit MLlib's {@code MultilayerPerceptronClassifier} and this trainer; this one must be at least as
 * accurate on held-out rows.
 */
class MlpcDropInTest {
    private static final int COLUMNS = QuadraticClassRows.COLUMNS;
    private static SparkSession spark;

    @BeforeAll
    static void session() {
        TestSpark.context();
        spark = SparkSession.builder().getOrCreate();
    }

    private static Dataset<Row> generated(String[] classes, int rows, long seed, long drawSeed) {
        return QuadraticClassRows.generate(spark, classes, rows, seed, drawSeed);
    }

    /** The generated rows' preparation, then {@code classifier}. */
    private static Pipeline pipeline(PipelineStage classifier) {
        PipelineStage[] stages = Arrays.copyOf(QuadraticClassRows.preparation(), 4);
        stages[3] = classifier;
        return new Pipeline().setStages(stages);
    }

    /** Generated rows with the pipeline's label and standardized features columns, cached. */
    private static Dataset<Row> prepared(String[] classes, int rows) {
        Dataset<Row> generated = generated(classes, rows, 3, 4);
        PipelineModel preparation = new Pipeline().setStages(QuadraticClassRows.preparation()).fit(generated);
        return preparation.transform(generated).cache();
    }

    private static double accuracy(PipelineModel model, Dataset<Row> rows) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(rows));
    }

    private record Compared(double mlpc, double ours, PipelineModel oursModel) {
    }

    /** Fits both with the same MLlib setter calls and returns their held-out accuracies. */
    private static Compared compare(String[] classes, long seed) {
        Dataset<Row> train = generated(classes, 4000, seed, seed + 1).cache();
        Dataset<Row> test = generated(classes, 1000, seed, seed + 2).cache();
        int[] layers = {COLUMNS, 32, classes.length};
        MultilayerPerceptronClassifier mlpc = new MultilayerPerceptronClassifier().setLayers(layers).setMaxIter(30)
                .setBlockSize(32).setStepSize(0.1).setSeed(11);
        DistributedMlpClassifier ours = new DistributedMlpClassifier().setLayers(layers).setMaxIter(30)
                .setBlockSize(32).setStepSize(0.1).setSeed(11);
        long start = System.nanoTime();
        PipelineModel fittedMlpc = pipeline(mlpc).fit(train);
        long middle = System.nanoTime();
        PipelineModel fittedOurs = pipeline(ours).fit(train);
        long end = System.nanoTime();
        Compared compared = new Compared(accuracy(fittedMlpc, test), accuracy(fittedOurs, test), fittedOurs);
        // the figures docs/from-mllib.md quotes, in the test's report
        System.out.printf("%d classes: MLlib's MLPC %.4f in %.1f s, ours %.4f in %.1f s%n", classes.length,
                compared.mlpc(), (middle - start) / 1e9, compared.ours(), (end - middle) / 1e9);
        return compared;
    }

    @Test
    void threeStringClassesAtLeastAsAccurateAsMllibs() {
        Compared result = compare(new String[] {"low", "medium", "high"}, 5);
        assertTrue(result.ours() >= result.mlpc(), "ours " + result.ours() + ", MLlib's " + result.mlpc());
        assertTrue(result.ours() > 0.8, "ours " + result.ours() + " (chance: 0.33)");
        DistributedMlpClassificationModel model = (DistributedMlpClassificationModel) result.oursModel().stages()[3];
        assertArrayEquals(new int[] {COLUMNS, 32, 3}, model.getLayers());
        assertEquals(3, model.numClasses());
        assertEquals(COLUMNS, model.numFeatures());
        // StringIndexer orders the classes by frequency; the model carries its names
        assertEquals(3, model.classNames().size());
        assertTrue(model.classNames().containsAll(List.of("low", "medium", "high")), model.classNames().toString());
        assertEquals(30, model.summary().objectiveHistory().length);
    }

    @Test
    void aBinaryLabelAtLeastAsAccurateAsMllibs() {
        Compared result = compare(new String[] {"no", "yes"}, 9);
        assertTrue(result.ours() >= result.mlpc(), "ours " + result.ours() + ", MLlib's " + result.mlpc());
        assertTrue(result.ours() > 0.8, "ours " + result.ours() + " (chance: 0.5)");
    }

    /** MLlib's weights() layout: a vector taken from our model starts a new fit exactly there. */
    @Test
    void weightsRoundTripThroughInitialWeightsAndSaveAndLoad(@TempDir Path directory) throws IOException {
        Dataset<Row> rows = prepared(new String[] {"a", "b", "c"}, 600);
        DistributedMlpClassifier classifier = new DistributedMlpClassifier().setLayers(new int[] {COLUMNS, 8, 3})
                .setActivation("tanh").setRecipe("fast").setMaxIter(2).setSeed(3);
        DistributedMlpClassificationModel first = classifier.fit(rows);
        assertEquals(COLUMNS * 8 + 8 + 8 * 3 + 3, first.weights().size());

        DistributedMlpClassificationModel restarted = classifier.copy(new org.apache.spark.ml.param.ParamMap())
                .setInitialWeights(first.weights()).setMaxIter(1).setStepSize(1e-30).fit(rows);
        assertArrayEquals(first.weights().toArray(), restarted.weights().toArray(), 1e-6);

        String path = directory.resolve("model").toString();
        first.write().save(path);
        DistributedMlpClassificationModel loaded = DistributedMlpClassificationModel.load(path);
        assertArrayEquals(first.weights().toArray(), loaded.weights().toArray(), 0);
        assertEquals(first.classNames(), loaded.classNames());
        assertEquals(first.transform(rows).select("prediction").collectAsList(),
                loaded.transform(rows).select("prediction").collectAsList());

        String estimatorPath = directory.resolve("estimator").toString();
        classifier.write().save(estimatorPath);
        assertEquals(classifier.trainingConfig(), DistributedMlpClassifier.load(estimatorPath).trainingConfig());
    }

    @Test
    void layersThatDoNotFitTheDataAndLbfgsAreRefusedWithWhatToDo() {
        Dataset<Row> rows = prepared(new String[] {"a", "b"}, 200);
        Exception wide = assertThrows(Exception.class,
                () -> new DistributedMlpClassifier().setLayers(new int[] {784, 10, 2}).fit(rows));
        assertEquals("--layers starts with an input width of 784 but the features have 60 values; pass --layers"
                + " 60,... or --layers auto", wide.getMessage());
        Exception classes = assertThrows(Exception.class,
                () -> new DistributedMlpClassifier().setLayers(new int[] {60, 10, 5}).fit(rows));
        assertTrue(classes.getMessage().contains("ends with 5 classes but the labels have 2"), classes.getMessage());
        IllegalArgumentException lbfgs = assertThrows(IllegalArgumentException.class,
                () -> new DistributedMlpClassifier().setSolver("l-bfgs"));
        assertTrue(lbfgs.getMessage().contains("use adam"), lbfgs.getMessage());
        assertEquals("gd", new DistributedMlpClassifier().setSolver("gd").getSolver());
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        Dataset<Row> withNaN = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), 0.0),
                RowFactory.create(Vectors.dense(1, Double.NaN), 1.0)), schema).coalesce(1);
        DataException nonFinite = assertThrows(DataException.class, () -> new DistributedMlpClassifier().fit(withNaN));
        assertEquals("column 'features': expected finite numbers, found NaN at index 1 (row 1 of partition 0)",
                nonFinite.getMessage());
    }
}
