package dev.fashiontrainer.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.ludovic.netlib.blas.BLAS;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.FashionMnist;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.TrainingShard;
import dev.fashiontrainer.model.NetworkShape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The Spark-native alternative: MLlib's {@link MultilayerPerceptronClassifier} with layers 784-512-512-10 (its
 * hidden layers are sigmoid, its solver L-BFGS over the whole training set) on the same images scaled to [0, 1].
 * L-BFGS cannot be stopped and resumed, so it trains from scratch with 1, 2, 4, ... iterations and stops at the
 * first checkpoint that reaches {@code --target-accuracy}, or when the next one (twice the iterations) would take
 * longer than {@code --budget-seconds}.
 */
@Command(name = "mllib-peer", mixinStandardHelpOptions = true,
        description = "Times MLlib's MultilayerPerceptronClassifier against a target accuracy; takes trainer flags.")
public final class MllibPeer implements Callable<Integer> {
    @Option(names = "--target-accuracy", required = true, description = "Test accuracy to reach, 0 to 1.")
    double targetAccuracy;

    @Option(names = "--budget-seconds", required = true,
            description = "Stop when the next checkpoint would take longer than this.")
    double budgetSeconds;

    @Option(names = "--block-size", description = "MLlib's block size. Default: ${DEFAULT-VALUE}.")
    int blockSize = 128;

    @Unmatched
    List<String> trainerArgs = new ArrayList<>();

    /** Runs the measurement; prints a result line. */
    public static void main(String[] args) {
        BenchmarkMain.exit(new MllibPeer(), args);
    }

    @Override
    public Integer call() {
        TrainerFlags flags = TrainerFlags.parse(trainerArgs);
        TrainingConfig config = flags.config();
        FashionMnist data = flags.data();
        SparkSession spark = SparkSession.builder().appName("mllib-peer").getOrCreate();
        List<Map<String, Object>> checkpoints;
        try {
            spark.sparkContext().setLogLevel("WARN");
            Dataset<Row> train = frame(spark, flags.train(data), config).cache();
            Dataset<Row> test = frame(spark, flags.test(data), config).cache();
            train.count();
            test.count();
            MultilayerPerceptronClassifier classifier = new MultilayerPerceptronClassifier()
                    .setLayers(NetworkShape.of(config).layers().stream().mapToInt(Integer::intValue).toArray())
                    .setBlockSize(blockSize)
                    .setSeed(config.seed());
            checkpoints = checkpoints(classifier, train, test, targetAccuracy, budgetSeconds);
        } finally {
            spark.stop();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("checkpoints", checkpoints);
        result.put("blas", BLAS.getInstance().getClass().getSimpleName());
        Results.emit(result);
        return 0;
    }

    /**
     * Fits {@code classifier} from scratch with 1, 2, 4, ... iterations (L-BFGS cannot be stopped and resumed)
     * until its test accuracy reaches {@code targetAccuracy}, until the next fit would likely take longer than
     * {@code budgetSeconds}, or until L-BFGS converges before maxIter.
     *
     * @return one object per fit: {@code max_iter}, {@code seconds} (the fit's wall time), {@code test_accuracy},
     *     {@code iterations} (what L-BFGS ran, per its summary)
     */
    static List<Map<String, Object>> checkpoints(MultilayerPerceptronClassifier classifier, Dataset<Row> train,
                                                 Dataset<Row> test, double targetAccuracy, double budgetSeconds) {
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
                .setMetricName("accuracy");
        List<Map<String, Object>> checkpoints = new ArrayList<>();
        for (int iterations = 1; ; iterations *= 2) {
            long begin = System.nanoTime();
            MultilayerPerceptronClassificationModel model = classifier.copy(new ParamMap()).setMaxIter(iterations)
                    .fit(train);
            double seconds = (System.nanoTime() - begin) / 1e9;
            double reached = accuracy.evaluate(model.transform(test));
            Map<String, Object> checkpoint = new LinkedHashMap<>();
            checkpoint.put("max_iter", iterations);
            checkpoint.put("seconds", seconds);
            checkpoint.put("test_accuracy", reached);
            int ran = model.summary().totalIterations();
            checkpoint.put("iterations", ran);
            checkpoints.add(checkpoint);
            System.err.printf("MLlib maxIter %d: %d iterations, %.1f s, test accuracy %.4f%n", iterations, ran,
                    seconds, reached);
            // twice the iterations take about twice as long: stop before a checkpoint that would overrun; and once
            // L-BFGS stopped short of maxIter (its tol), more iterations fit the same model again
            if (reached >= targetAccuracy || 2 * seconds > budgetSeconds || ran < iterations) {
                return checkpoints;
            }
        }
    }

    /** The images as MLlib wants them, built on the executors from the compact bytes, one partition per worker. */
    private static Dataset<Row> frame(SparkSession spark, LabeledImages images, TrainingConfig config) {
        List<TrainingShard> shards = Partitioner.split(images, config.workers(), false, config.seed());
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(shards, shards.size())
                .flatMap(shard -> rows(shard.images()).iterator());
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("label", DataTypes.DoubleType, false),
            DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
        });
        return spark.createDataFrame(rows, schema);
    }

    private static List<Row> rows(LabeledImages images) {
        List<Row> rows = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            double[] pixels = new double[LabeledImages.PIXELS];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = images.pixel(i, p);
            }
            rows.add(RowFactory.create((double) images.label(i), Vectors.dense(pixels)));
        }
        return rows;
    }
}
