package dev.fashiontrainer.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import dev.ludovic.netlib.blas.BLAS;

import dev.fashiontrainer.ml.DistributedMlpClassificationModel;
import dev.fashiontrainer.ml.DistributedMlpClassifier;
import dev.fashiontrainer.ml.QuadraticClassRows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * MLlib's {@link MultilayerPerceptronClassifier} as a Spark user's own data would meet it, against this trainer
 * through its estimator: generated rows of 60 numeric columns ({@link QuadraticClassRows}, as in
 * {@code MlpcDropInTest}), string classes indexed, assembled and standardized once (not timed), both fitted in local
 * mode with the same setter calls. Ours trains {@code --max-iter} epochs; its test accuracy is the target, which
 * MLlib's L-BFGS then has to reach, trained from scratch with 1, 2, 4, ... iterations ({@link MllibPeer#checkpoints})
 * within {@code --budget-seconds}. Both first fit a few rows once, untimed, so that neither pays the JVM's warm-up.
 */
@Command(name = "mlpc-tabular-peer", mixinStandardHelpOptions = true,
        description = "Times MLlib's MultilayerPerceptronClassifier (L-BFGS) and this trainer's estimator to the same"
                + " test accuracy on generated tabular data.")
public final class MlpcTabularPeer implements Callable<Integer> {
    @Option(names = "--classes", description = "Classes. Default: ${DEFAULT-VALUE}.")
    int classes = 3;

    @Option(names = "--train-rows", description = "Training rows. Default: ${DEFAULT-VALUE}.")
    int trainRows = 4000;

    @Option(names = "--test-rows", description = "Held-out rows. Default: ${DEFAULT-VALUE}.")
    int testRows = 1000;

    @Option(names = "--hidden", description = "The hidden layer's width. Default: ${DEFAULT-VALUE}.")
    int hidden = 32;

    @Option(names = "--max-iter", description = "setMaxIter of ours (epochs). Default: ${DEFAULT-VALUE}.")
    int maxIter = 30;

    @Option(names = "--block-size", description = "setBlockSize of both. Default: ${DEFAULT-VALUE}.")
    int blockSize = 32;

    @Option(names = "--step-size", description = "setStepSize of both (L-BFGS ignores it). Default: ${DEFAULT-VALUE}.")
    double stepSize = 0.1;

    @Option(names = "--data-seed", description = "Decides the class rule; rows are drawn with the next two seeds."
            + " Default: ${DEFAULT-VALUE}.")
    long dataSeed = 5;

    @Option(names = "--budget-seconds", description = "Stop MLlib when its next fit would take longer than this."
            + " Default: ${DEFAULT-VALUE}.")
    double budgetSeconds = 300;

    /** Runs the measurement; prints a result line. */
    public static void main(String[] args) {
        BenchmarkMain.exit(new MlpcTabularPeer(), args);
    }

    @Override
    public Integer call() {
        SparkSession spark = SparkSession.builder().appName("mlpc-tabular-peer").getOrCreate();
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            spark.sparkContext().setLogLevel("WARN");
            String[] names = new String[classes];
            Arrays.setAll(names, k -> "class-" + k);
            Dataset<Row> rawTrain = QuadraticClassRows.generate(spark, names, trainRows, dataSeed, dataSeed + 1);
            Dataset<Row> rawTest = QuadraticClassRows.generate(spark, names, testRows, dataSeed, dataSeed + 2);
            PipelineModel preparation = new Pipeline().setStages(QuadraticClassRows.preparation()).fit(rawTrain);
            Dataset<Row> train = preparation.transform(rawTrain).select("label", "features").cache();
            Dataset<Row> test = preparation.transform(rawTest).select("label", "features").cache();
            train.count();
            test.count();
            int[] layers = {QuadraticClassRows.COLUMNS, hidden, classes};
            DistributedMlpClassifier ours = new DistributedMlpClassifier().setLayers(layers).setMaxIter(maxIter)
                    .setBlockSize(blockSize).setStepSize(stepSize).setSeed(11);
            MultilayerPerceptronClassifier mllib = new MultilayerPerceptronClassifier().setLayers(layers)
                    .setBlockSize(blockSize).setStepSize(stepSize).setSeed(11);

            Dataset<Row> warmUp = train.limit(500).cache();
            ours.copy(new ParamMap()).setMaxIter(1).fit(warmUp);
            mllib.copy(new ParamMap()).setMaxIter(1).fit(warmUp);

            long begin = System.nanoTime();
            DistributedMlpClassificationModel model = ours.fit(train);
            double oursSeconds = (System.nanoTime() - begin) / 1e9;
            double oursAccuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                    .evaluate(model.transform(test));
            System.err.printf("ours, %d epochs: %.1f s, test accuracy %.4f%n", maxIter, oursSeconds, oursAccuracy);

            result.put("classes", classes);
            result.put("train_rows", trainRows);
            result.put("test_rows", testRows);
            result.put("columns", QuadraticClassRows.COLUMNS);
            result.put("layers", model.shape().toString());
            result.put("max_iter", maxIter);
            result.put("block_size", blockSize);
            result.put("step_size", stepSize);
            result.put("ours_solver", ours.getSolver());
            result.put("ours_activation", ours.getActivation());
            result.put("ours_workers", ours.getWorkers());
            result.put("ours_seconds", oursSeconds);
            result.put("ours_accuracy", oursAccuracy);
            result.put("budget_seconds", budgetSeconds);
            result.put("checkpoints", MllibPeer.checkpoints(mllib, train, test, oursAccuracy, budgetSeconds));
            result.put("blas", BLAS.getInstance().getClass().getSimpleName());
            result.put("spark_master", spark.sparkContext().master());
        } finally {
            spark.stop();
        }
        Results.emit(result);
        return 0;
    }
}
