package dev.fashiontrainer.examples;

import java.io.IOException;
import java.util.Objects;

import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.FashionMnist;
import dev.fashiontrainer.ml.DistributedMlpClassificationModel;
import dev.fashiontrainer.ml.DistributedMlpClassifier;
import dev.fashiontrainer.ml.FeatureFrames;
import dev.fashiontrainer.report.EpochMetrics;

/**
 * The trainer the MLlib way: Fashion-MNIST as DataFrames, a {@link Pipeline} with {@link DistributedMlpClassifier},
 * accuracy from {@link MulticlassClassificationEvaluator}, then save, load and predict. Run it with
 * {@code TRAINER_MAIN=dev.fashiontrainer.examples.EstimatorExample submit/local.sh [DATA_DIR] [OUTPUT]}
 * (see docs/estimator.md).
 */
public final class EstimatorExample {
    private EstimatorExample() {
    }

    /**
     * @param args the Fashion-MNIST directory (default: {@code $FASHION_MNIST_DIR}, else Debian's), then where to
     *             save the fitted pipeline (default: {@code runs/estimator-example})
     * @throws IOException when the pipeline cannot be saved
     */
    public static void main(String[] args) throws IOException {
        String data = args.length > 0 ? args[0] : Objects.requireNonNullElse(System.getenv(DataLocator.ENV_VARIABLE),
                DataLocator.DEBIAN_DIRECTORY);
        String output = args.length > 1 ? args[1] : "runs/estimator-example";
        SparkSession spark = SparkSession.builder().appName("fashion-trainer estimator example").getOrCreate();

        // read Fashion-MNIST into DataFrames: a features column (784 pixels in [0, 1]) and a label column; not
        // cached, since they rebuild quickly from the images' bytes and as doubles would take eight times the memory
        FashionMnist mnist = FashionMnist.read(new Path(data), spark.sparkContext().hadoopConfiguration(), true);
        int partitions = spark.sparkContext().defaultParallelism();
        Dataset<Row> train = FeatureFrames.of(spark, mnist.train(), partitions);
        Dataset<Row> test = FeatureFrames.of(spark, mnist.test(), partitions);

        // a pipeline with the classifier: the fast recipe on 2 workers for 10 epochs; the test rows are held out and
        // evaluated after every epoch, as the command line evaluates the test set
        Dataset<Row> rows = train.withColumn("isTest", functions.lit(false))
                .union(test.withColumn("isTest", functions.lit(true)));
        DistributedMlpClassifier classifier = new DistributedMlpClassifier().setRecipe("fast").setWorkers(2)
                .setEpochs(10).setValidationIndicatorCol("isTest");
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {classifier}).fit(rows);
        for (EpochMetrics epoch : ((DistributedMlpClassificationModel) model.stages()[0]).summary().epochs()) {
            System.out.printf("epoch %2d: train loss %.4f, test loss %.4f, test accuracy %.4f, %.1f s%n",
                    epoch.epoch(), epoch.trainLoss(), epoch.validationLoss(), epoch.validationAccuracy(),
                    epoch.seconds());
        }

        // accuracy on the test set, from MLlib's evaluator over the model's predictions
        MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator()
                .setMetricName("accuracy");
        long start = System.nanoTime();
        System.out.printf("test accuracy (MulticlassClassificationEvaluator): %.4f (%.1f s)%n",
                evaluator.evaluate(model.transform(test)), (System.nanoTime() - start) / 1e9);

        // save, load, predict
        model.write().overwrite().save(output);
        PipelineModel loaded = PipelineModel.load(output);
        System.out.printf("test accuracy of the model loaded from %s: %.4f%n", output,
                evaluator.evaluate(loaded.transform(test)));
        loaded.transform(test).select("label", "prediction", "probability").show(5, false);
        spark.stop();
    }
}
