package dev.fashiontrainer.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A Spark user's own data, not Fashion-MNIST, generated: {@link #COLUMNS} numeric columns {@code x0..x59} of
 * different scales and a string class column {@code kind}, and the stages that make MLlib's training columns of
 * them. {@code MlpcDropInTest} fits MLlib's perceptron and this trainer on it; the benchmark times both on it.
 */
public final class QuadraticClassRows {
    /** Numeric columns per row. */
    public static final int COLUMNS = 60;

    private QuadraticClassRows() {
    }

    /**
     * Rows of {@code classes} string classes: standard normal features whose class is the largest of
     * {@code classes} quadratic scores (a linear term plus products of pairs of columns), so that a linear model
     * falls short and a hidden layer helps; each column then on its own scale and offset, so that standardizing
     * matters. The same seed gives the same rule, so a second call with it draws held-out rows of the same task.
     *
     * @param seed decides the rule (the classes' scores, the columns' scales and offsets)
     * @param drawSeed decides the rows drawn
     */
    public static Dataset<Row> generate(SparkSession spark, String[] classes, int rows, long seed, long drawSeed) {
        SplittableRandom rule = new SplittableRandom(seed);
        double[][] linear = new double[classes.length][COLUMNS];
        double[][] pairs = new double[classes.length][COLUMNS];
        for (int k = 0; k < classes.length; k++) {
            for (int c = 0; c < COLUMNS; c++) {
                linear[k][c] = 0.3 * gaussian(rule);
                pairs[k][c] = gaussian(rule);
            }
        }
        double[] scale = new double[COLUMNS];
        double[] offset = new double[COLUMNS];
        for (int c = 0; c < COLUMNS; c++) {
            scale[c] = Math.pow(10, rule.nextDouble(-2, 3));
            offset[c] = rule.nextDouble(-100, 100);
        }
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("kind", DataTypes.StringType, false));
        for (int c = 0; c < COLUMNS; c++) {
            fields.add(DataTypes.createStructField("x" + c, DataTypes.DoubleType, false));
        }
        List<Row> data = new ArrayList<>();
        SplittableRandom draw = new SplittableRandom(drawSeed);
        for (int r = 0; r < rows; r++) {
            double[] x = new double[COLUMNS];
            for (int c = 0; c < COLUMNS; c++) {
                x[c] = gaussian(draw);
            }
            int label = 0;
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes.length; k++) {
                double score = 0;
                for (int c = 0; c < COLUMNS; c++) {
                    score += linear[k][c] * x[c] + pairs[k][c] * x[c] * x[(c + 1) % COLUMNS] / Math.sqrt(COLUMNS);
                }
                if (score > best) {
                    best = score;
                    label = k;
                }
            }
            Object[] values = new Object[COLUMNS + 1];
            values[0] = classes[label];
            for (int c = 0; c < COLUMNS; c++) {
                values[c + 1] = offset[c] + scale[c] * x[c];
            }
            data.add(RowFactory.create(values));
        }
        return spark.createDataFrame(data, DataTypes.createStructType(fields));
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /**
     * @return StringIndexer ({@code kind} to {@code label}), VectorAssembler (the columns to {@code raw}) and
     *     StandardScaler ({@code raw} to {@code features}, centred): what a classifier after them needs
     */
    public static PipelineStage[] preparation() {
        String[] inputs = new String[COLUMNS];
        for (int c = 0; c < COLUMNS; c++) {
            inputs[c] = "x" + c;
        }
        return new PipelineStage[] {
            new StringIndexer().setInputCol("kind").setOutputCol("label"),
            new VectorAssembler().setInputCols(inputs).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true)};
    }
}
