package dev.fashiontrainer.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.TrainingShard;

/**
 * Labelled images as the DataFrame {@link DistributedMlpClassifier} reads: a {@code features} column of MLlib
 * vectors (784 pixels scaled to [0, 1], as the trainer scales them) and a {@code label} column of class indices as
 * doubles, in the images' order. The images travel in their byte form and become rows on the executors.
 */
public final class FeatureFrames {
    /** The schema of the frames made here. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
        DataTypes.createStructField("label", DataTypes.DoubleType, false)});

    private FeatureFrames() {
    }

    /**
     * @param spark the session
     * @param images the images, e.g. {@code FashionMnist.read(...).train()}
     * @param partitions partitions of the frame, at least 1
     * @return one row per image, in order
     */
    public static Dataset<Row> of(SparkSession spark, LabeledImages images, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Each slice travels as its own broadcast, fetched by the executor that converts it; inside the tasks the
        // bytes would make every task tens of megabytes. Spark drops the broadcasts with the last reference to
        // the frame.
        List<Broadcast<LabeledImages>> slices = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (TrainingShard slice : Partitioner.split(images, Math.max(1, Math.min(partitions, images.size())),
                false, 0)) {
            indices.add(slices.size());
            slices.add(context.broadcast(slice.images()));
        }
        return spark.createDataFrame(context.parallelize(indices, indices.size()).flatMap(rows(slices)), SCHEMA);
    }

    // A static factory so the closure captures only the broadcast handles.
    private static FlatMapFunction<Integer, Row> rows(List<Broadcast<LabeledImages>> slices) {
        return index -> new Iterator<>() {
            private final LabeledImages slice = slices.get(index).value();
            private int next;

            @Override
            public boolean hasNext() {
                return next < slice.size();
            }

            @Override
            public Row next() {
                double[] pixels = new double[LabeledImages.PIXELS];
                for (int p = 0; p < pixels.length; p++) {
                    pixels[p] = slice.pixel(next, p);
                }
                double label = slice.label(next);
                next++;
                return RowFactory.create(Vectors.dense(pixels), label);
            }
        };
    }
}
