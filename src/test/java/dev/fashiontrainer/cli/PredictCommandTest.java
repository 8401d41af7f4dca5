package dev.fashiontrainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestRuns;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.report.PredictionsCsv;

class PredictCommandTest {

    private static CommandRun run(String... args) {
        return CommandRun.of(List.of(args));
    }
    private static final String TEST_IMAGES = TestData.directory() + "/t10k-images-idx3-ubyte.gz";
    private static final String TEST_LABELS = TestData.directory() + "/t10k-labels-idx1-ubyte.gz";

    @TempDir
    Path scratch;

    private static String model() {
        return TestRuns.small().resolve(TrainingRun.MODEL_FILE).toString();
    }

    /**
     * Asserts that two rows agree on the image, label and predicted class, and on the probability up to float
     * rounding (a product over a batch of another size may round its last bit differently). The source column is
     * not compared: it names the file the image came from.
     */
    private static void assertSamePrediction(String expected, String actual, String what) {
        String[] e = expected.split(",");
        String[] a = actual.split(",");
        assertEquals(List.of(e[1], e[2], e[3], e[4]), List.of(a[1], a[2], a[3], a[4]), what);
        assertEquals(Double.parseDouble(e[5]), Double.parseDouble(a[5]), 2e-6, what);
    }

    @Test
    void predictionsForAnIdxFileMatchTheTrainingRunsOwn() throws IOException {
        Path csv = scratch.resolve("out/predictions.csv");
        CommandRun result = run("predict", "--model", model(), "--images", TEST_IMAGES,
                "--labels", TEST_LABELS, "--output", csv.toString());
        assertEquals(0, result.code(), result.stderr());
        assertTrue(result.stderr().contains("Predicted 10000 images; "), result.stderr());

        List<String> rows = Files.readAllLines(csv);
        List<String> runs = Files.readAllLines(TestRuns.small().resolve(TrainingRun.PREDICTIONS_FILE));
        assertEquals(PredictionsCsv.HEADER, rows.get(0));
        assertEquals(10001, rows.size());
        assertTrue(rows.get(1).startsWith("t10k-images-idx3-ubyte.gz,0,9,"), rows.get(1));
        for (int i = 1; i < runs.size(); i++) {
            assertSamePrediction(runs.get(i), rows.get(i), "test image " + (i - 1));
        }
        try (var files = Files.list(csv.getParent())) {
            assertEquals(List.of(csv), files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList(), "only the CSV, written whole");
        }
    }

    @Test
    void pngsOfTestImagesGetTheSamePredictionsAsTheIdxFile() throws IOException {
        LabeledImages test = TestData.fashionMnist().test();
        Path pngs = Files.createDirectories(scratch.resolve("pngs"));
        for (int i = 0; i < 12; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, 28, 28, test.imageBytes(i));
            ImageIO.write(image, "png", pngs.resolve(String.format("image-%02d.png", i)).toFile());
        }
        Files.writeString(pngs.resolve("notes.txt"), "not an image, ignored");

        CommandRun fromPngs = run("predict", "--model", model(), "--images", pngs.toString());
        assertEquals(0, fromPngs.code(), fromPngs.stderr());
        List<String> rows = fromPngs.stdout().lines().toList();
        List<String> runs = Files.readAllLines(TestRuns.small().resolve(TrainingRun.PREDICTIONS_FILE));
        assertEquals(13, rows.size(), fromPngs.stdout());
        for (int i = 0; i < 12; i++) {
            String png = rows.get(i + 1);
            assertTrue(png.startsWith(String.format("image-%02d.png,%d,,", i, i)), "named, numbered, no label: " + png);
            String[] idx = runs.get(i + 1).split(",");
            idx[2] = "";
            assertSamePrediction(String.join(",", idx), png, "image " + i);
        }
    }

    @Test
    void aFileThatIsNoModelIsRejectedWithWhatWasExpected() throws IOException {
        Path junk = scratch.resolve("model.zip");
        byte[] bytes = new byte[4096];
        new Random(1).nextBytes(bytes);
        Files.write(junk, bytes);

        CommandRun result = run("predict", "--model", junk.toString(), "--images", TEST_IMAGES);
        assertEquals(ExitCodes.DATA, result.code());
        assertTrue(result.stderr().contains(junk + " is not a model of this network: expected a DL4J model.zip"
                + " of a dense network"), result.stderr());
        assertEquals("", result.stdout());
    }

    @Test
    void aModelOfAnotherNetworkIsRejectedWithItsLayers() throws IOException {
        MultiLayerNetwork other = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(100).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        other.init();
        Path file = scratch.resolve("other.zip");
        ModelSerializer.writeModel(other, file.toFile(), false);

        CommandRun result = run("evaluate", "--model", file.toString(), "--data",
                TestData.directory(), "--test-limit", "10");
        assertEquals(ExitCodes.DATA, result.code());
        assertTrue(result.stderr().contains(file + " is not a model for these data: expected layers"
                + " 784-... (784 features per example, as in the data), found 100-256-10"), result.stderr());
    }

    @Test
    void aMissingModelOrAWrongSizedImageSaysWhichFile() throws IOException {
        CommandRun missing = run("predict", "--model", scratch.resolve("nowhere.zip").toString(),
                "--images", TEST_IMAGES);
        assertEquals(ExitCodes.DATA, missing.code());
        assertTrue(missing.stderr().contains("nowhere.zip: file not found"), missing.stderr());

        Path pngs = Files.createDirectories(scratch.resolve("big"));
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "png", pngs.resolve("a.png").toFile());
        CommandRun wrongSize = run("predict", "--model", model(), "--images", pngs.toString());
        assertEquals(ExitCodes.DATA, wrongSize.code());
        assertTrue(wrongSize.stderr().contains("a.png: expected a 28x28 image, found 32x32"), wrongSize.stderr());
    }
}
