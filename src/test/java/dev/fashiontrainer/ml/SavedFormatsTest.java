package dev.fashiontrainer.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.data.LabeledImages;

/**
 * Models saved by earlier versions keep loading. {@code saved-models/format0-pipeline} is a {@code PipelineModel}
 * that the trainer of 2026-12-02 ({@code 419e750}, model format 0: no version in {@code training.json}) saved after
 * fitting 600 Fashion-MNIST training images; {@code format0-predictions.txt} holds what it predicted then for the
 * first 20 test images (class and its probability).
 */
class SavedFormatsTest {
    @Test
    void aPipelineModelOfFormatZeroLoadsAndPredictsAsItDidWhenSaved() throws IOException, URISyntaxException {
        TestSpark.context();
        SparkSession spark = SparkSession.builder().getOrCreate();
        Path saved = Path.of(getClass().getResource("/saved-models/format0-pipeline").toURI());
        List<String> expected = Files.readAllLines(saved.resolveSibling("format0-predictions.txt"));

        PipelineModel loaded = PipelineModel.load(saved.toString());
        List<Row> rows = loaded.transform(FeatureFrames.of(spark, TestData.fashionMnist().test().head(20), 1))
                .select("prediction", "probability").collectAsList();

        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] then = expected.get(i).split(" ");
            assertEquals(Double.parseDouble(then[0]), rows.get(i).getDouble(0), 0, "class of test image " + i);
            double probability = ((Vector) rows.get(i).get(1)).apply((int) rows.get(i).getDouble(0));
            assertEquals(Double.parseDouble(then[1]), probability, 1e-6, "probability of test image " + i);
        }
        DistributedMlpClassificationModel stage = (DistributedMlpClassificationModel) loaded.stages()[0];
        assertEquals(LabeledImages.CLASS_NAMES, stage.classNames());
        assertEquals(784, stage.numFeatures());
        // settings that came after format 0 take the recipe's defaults: the seed's ReLU classifier
        assertEquals(dev.fashiontrainer.config.TrainingConfig.defaults("seed").with("epochs", 1)
                .with("learningRate", 0.1).with("seed", 7L).build(), stage.trainingConfig());
    }
}
