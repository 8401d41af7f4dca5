package dev.fashiontrainer.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.epochs.StopReason;
import dev.fashiontrainer.eval.Evaluator;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.model.SavedModel;

/** The estimator on real Fashion-MNIST subsets in local mode, inside MLlib's Pipeline and tuning. */
class DistributedMlpClassifierTest {
    private static SparkSession spark;
    private static LabeledImages trainImages;
    private static Dataset<Row> train;
    private static LabeledImages testImages;
    private static Dataset<Row> test;

    @BeforeAll
    static void data() {
        TestSpark.context();
        spark = SparkSession.builder().getOrCreate();
        trainImages = TestData.fashionMnist().train().head(3000);
        train = FeatureFrames.of(spark, trainImages, 3).cache();
        testImages = TestData.fashionMnist().test().head(1000);
        test = FeatureFrames.of(spark, testImages, 2).cache();
    }

    /** Quick settings: plain SGD with a rate that learns something in two epochs. */
    private static DistributedMlpClassifier quick() {
        return new DistributedMlpClassifier().setEpochs(2).setLearningRate(0.1).setWorkers(2).setSeed(7);
    }

    private static double accuracy(Dataset<Row> predictions) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
    }

    @Test
    void fitThenTransformBeatsChanceClearly() {
        DistributedMlpClassificationModel model = quick().fit(train);
        Dataset<Row> predictions = model.transform(test);

        double accuracy = accuracy(predictions);
        assertTrue(accuracy > 0.5, "accuracy " + accuracy + " after 2 epochs on 3000 rows (chance: 0.1)");
        // the executors' logits pick the classes DL4J's own forward pass picks
        assertEquals(Evaluator.evaluate(model.network(), testImages).accuracy(), accuracy, 1e-12);
        Row first = predictions.select("rawPrediction", "probability", "prediction").first();
        Vector probability = first.getAs(1);
        assertEquals(10, ((Vector) first.getAs(0)).size());
        assertEquals(1.0, java.util.Arrays.stream(probability.toArray()).sum(), 1e-9);
        assertEquals(probability.argmax(), first.getDouble(2), 0);
        assertEquals(2, model.summary().totalIterations());
        double[] losses = model.summary().objectiveHistory();
        assertTrue(losses[1] < losses[0], "training loss fell: " + java.util.Arrays.toString(losses));
    }

    /**
     * transform computes its logits in blocks of rows; they must be what predictRaw computes for each row alone
     * (to float precision: a block's products sum in another order), across block boundaries (1,000 rows in 2
     * partitions), with MLlib's rules for thresholds and for output columns left out.
     */
    @Test
    void transformInBlocksGivesWhatEachRowGivesAlone() {
        DistributedMlpClassificationModel model = quick().setEpochs(1).fit(train);
        List<Row> rows = model.transform(test).select("features", "rawPrediction", "probability", "prediction")
                .collectAsList();
        assertEquals(testImages.size(), rows.size());
        for (Row row : rows) {
            double[] alone = model.predictRaw(row.getAs(0)).toArray();
            double[] inBlock = ((Vector) row.getAs(1)).toArray();
            for (int c = 0; c < alone.length; c++) {
                assertEquals(alone[c], inBlock[c], 1e-5 * Math.max(1, Math.abs(alone[c])), "logit " + c);
            }
            assertEquals(model.predictProbability(row.getAs(0)).argmax(), row.getDouble(3), 0);
        }

        // a threshold of 1e-9 for class 3 (MLlib divides each probability by its threshold) picks class 3 always
        double[] thresholds = {1, 1, 1, 1e-9, 1, 1, 1, 1, 1, 1};
        Dataset<Row> favouring = model.copy(new ParamMap()).setThresholds(thresholds)
                .setRawPredictionCol("").transform(test);
        assertFalse(java.util.Arrays.asList(favouring.columns()).contains("rawPrediction"));
        assertEquals(List.of(3.0), favouring.select("prediction").distinct().as(Encoders.DOUBLE()).collectAsList());
        assertThrows(IllegalArgumentException.class, () -> model.copy(new ParamMap())
                .setThresholds(new double[] {1, 1}).transform(test));
    }

    @Test
    void theEstimatorAndTheCommandLineTrainTheSameParameters(@TempDir Path run) {
        CommandRun cli = CommandRun.of(List.of("--epochs", "2", "--train-limit", "2000", "--test-limit", "200",
                "--learning-rate", "0.1", "--data", TestData.directory(), "--output", run.toString()));
        assertEquals(0, cli.code(), cli.stderr());
        float[] fromCli = ParameterSnapshot.of(SavedModel.load(new org.apache.hadoop.fs.Path(
                run.resolve("model.zip").toUri()), new Configuration())).parameters();

        DistributedMlpClassificationModel model = new DistributedMlpClassifier().setEpochs(2).setLearningRate(0.1)
                .fit(FeatureFrames.of(spark, trainImages.head(2000), 4));

        assertArrayEquals(fromCli, ParameterSnapshot.of(model.network()).parameters());
    }

    @Test
    void unsetParamsTakeTheCommandLinesDefaultsOfTheRecipe() {
        assertEquals(TrainingConfig.defaults(null).build(), new DistributedMlpClassifier().trainingConfig());
        assertEquals(TrainingConfig.defaults("fast").build(),
                new DistributedMlpClassifier().setRecipe("fast").trainingConfig());
        DistributedMlpClassifier fastWithSgd = new DistributedMlpClassifier().setRecipe("fast").setOptimizer("sgd");
        assertEquals(TrainingConfig.defaults("fast").with("optimizer", dev.fashiontrainer.config.OptimizerKind.SGD).build(),
                fastWithSgd.trainingConfig());
        assertEquals("sgd", fastWithSgd.getOptimizer());
        assertEquals("cosine", fastWithSgd.getSchedule());
        // the fast recipe's block momentum follows the workers (auto: 1 - 1/workers), in the getter as in training
        DistributedMlpClassifier eightWorkers = new DistributedMlpClassifier().setRecipe("fast").setWorkers(8);
        assertEquals(0.875, eightWorkers.getBlockMomentum(), 1e-12);
        assertEquals(0.875, eightWorkers.trainingConfig().effectiveBlockMomentum(), 1e-12);
        assertEquals(0.3, eightWorkers.setBlockMomentum(0.3).getBlockMomentum(), 1e-12);
    }

    @Test
    void paramsAreCheckedWhenSet() {
        assertThrows(IllegalArgumentException.class, () -> new DistributedMlpClassifier().setEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> new DistributedMlpClassifier().setRecipe("turbo"));
        assertThrows(IllegalArgumentException.class, () -> new DistributedMlpClassifier().setOptimizer("lbfgs"));
        assertThrows(IllegalArgumentException.class, () -> new DistributedMlpClassifier().setMomentum(1));
        ConfigException combination = assertThrows(ConfigException.class, () -> new DistributedMlpClassifier()
                .setEngine("dl4j").setBlockMomentum(0.5).trainingConfig());
        assertTrue(combination.getMessage().contains("--block-momentum is not supported by --engine dl4j"),
                combination.getMessage());
    }

    @Test
    void anUnfittedClassifierSavesAndLoadsWithItsParams(@TempDir Path directory) throws IOException {
        DistributedMlpClassifier classifier = new DistributedMlpClassifier().setRecipe("fast").setEpochs(3)
                .setOptimizer("nesterov").setFeaturesCol("pixels").setEarlyStoppingRounds(2)
                .setEarlyStoppingMetric("validation_accuracy").setMinDelta(0.001).setKeepModel("last")
                .setMaxTime("1h30m");
        assertEquals(java.time.Duration.ofMinutes(90), classifier.trainingConfig().maxTime());
        String path = directory.resolve("classifier").toString();
        classifier.write().save(path);

        DistributedMlpClassifier loaded = DistributedMlpClassifier.load(path);
        assertEquals(classifier.uid(), loaded.uid());
        assertEquals(classifier.trainingConfig(), loaded.trainingConfig());
        assertEquals("pixels", loaded.getFeaturesCol());
        assertEquals("1h30m", loaded.getMaxTime());
    }

    /** Every recipe: the fast one's named values ("auto") once made a saved PipelineModel unloadable. */
    @ParameterizedTest
    @ValueSource(strings = {"seed", "fast"})
    void aSavedAndLoadedPipelineModelPredictsTheSame(String recipe, @TempDir Path directory) throws IOException {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            ("fast".equals(recipe) ? new DistributedMlpClassifier().setRecipe(recipe).setWorkers(2).setSeed(7)
                    : quick()).setEpochs(1).setValidationIndicatorCol("validation")});
        Dataset<Row> marked = train.withColumn("validation", org.apache.spark.sql.functions.rand(3).lt(0.2));
        PipelineModel fitted = pipeline.fit(marked);
        List<Row> before = fitted.transform(test).select("rawPrediction", "probability", "prediction").collectAsList();

        String path = directory.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> after = loaded.transform(test).select("rawPrediction", "probability", "prediction").collectAsList();

        assertEquals(before, after);
        DistributedMlpClassificationModel stage = (DistributedMlpClassificationModel) loaded.stages()[0];
        DistributedMlpClassificationModel original = (DistributedMlpClassificationModel) fitted.stages()[0];
        assertEquals(original.uid(), stage.uid());
        assertEquals(original.trainingConfig(), stage.trainingConfig());
        assertEquals(original.summary().epochs(), stage.summary().epochs());
        double validationAccuracy = stage.summary().validationAccuracyHistory()[0];
        assertTrue(validationAccuracy > 0.4, "the held-out rows were evaluated: " + validationAccuracy);
        // the DL4J world reads the same directory
        try (var stages = Files.list(directory.resolve("pipeline").resolve("stages"))) {
            Path zip = stages.findFirst().orElseThrow().resolve("data").resolve("model.zip");
            assertArrayEquals(ParameterSnapshot.of(original.network()).parameters(), ParameterSnapshot.of(
                    SavedModel.load(new org.apache.hadoop.fs.Path(zip.toUri()), new Configuration())).parameters());
        }
    }

    /**
     * XGBoost's early stopping on the rows the validation column marks: Adam at a high rate on 2,100 rows overfits
     * within a few epochs, and the model is the best epoch's (its accuracy on those rows is that epoch's).
     */
    @Test
    void earlyStoppingKeepsTheBestEpochsModel() {
        Dataset<Row> marked = train.withColumn("validation", org.apache.spark.sql.functions.rand(3).lt(0.3));
        DistributedMlpClassificationModel model = new DistributedMlpClassifier().setWorkers(2).setSeed(7)
                .setOptimizer("adam").setLearningRate(0.003).setEpochs(30).setEarlyStoppingRounds(2)
                .setValidationIndicatorCol("validation").fit(marked);

        DistributedMlpTrainingSummary summary = model.summary();
        double[] losses = summary.validationLossHistory();
        int best = 1;
        for (int e = 2; e <= losses.length; e++) {
            best = losses[e - 1] < losses[best - 1] ? e : best;
        }
        assertEquals(StopReason.EARLY_STOPPING, summary.stopReason());
        assertEquals(best, summary.keptEpoch());
        assertEquals(best + 2, summary.totalIterations(), java.util.Arrays.toString(losses));
        double onValidationRows = accuracy(model.transform(marked.filter("validation")));
        assertEquals(summary.validationAccuracyHistory()[best - 1], onValidationRows, 1e-12);
    }

    @Test
    void trainValidationSplitOverTwoLearningRatesPicksOne() {
        DistributedMlpClassifier classifier = quick().setEpochs(1);
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(classifier.stepSize(), new double[] {0.1, 0.0001}).build();
        TrainValidationSplit split = new TrainValidationSplit().setEstimator(classifier).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setTrainRatio(0.75).setSeed(5);

        TrainValidationSplitModel tuned = split.fit(train.limit(1600));

        assertEquals(2, tuned.validationMetrics().length);
        DistributedMlpClassificationModel best = (DistributedMlpClassificationModel) tuned.bestModel();
        // plain SGD at 1e-4 barely moves in one epoch of 1,200 rows; 0.1 learns
        assertEquals(0.1, best.trainingConfig().learningRate(), 0);
        assertTrue(tuned.validationMetrics()[0] > tuned.validationMetrics()[1],
                java.util.Arrays.toString(tuned.validationMetrics()));
        assertTrue(accuracy(tuned.transform(test)) > 0.5);
    }
}
