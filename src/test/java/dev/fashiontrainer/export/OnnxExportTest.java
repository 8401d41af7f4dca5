package dev.fashiontrainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import org.apache.spark.sql.SparkSession;

import com.fasterxml.jackson.databind.JsonNode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.TestRuns;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.config.HiddenActivation;
import dev.fashiontrainer.config.TaskKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.ml.DistributedMlpClassificationModel;
import dev.fashiontrainer.ml.DistributedMlpClassifier;
import dev.fashiontrainer.ml.FeatureFrames;
import dev.fashiontrainer.model.ModelException;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.report.Json;

/**
 * Exported networks run in ONNX Runtime (its Java API, the real native runtime) on 1,000 Fashion-MNIST test images
 * give DL4J's logits within 1e-5, its probabilities within 1e-5 and the same classes: for the seed's network, other
 * layer lists and nonlinearities, pixel and feature inputs, and the trained model a run wrote.
 */
class OnnxExportTest {
    private static final int IMAGES = 1000;
    private static final double TOLERANCE = 1e-5;

    private static OrtEnvironment environment;
    private static LabeledImages test;

    @BeforeAll
    static void start() {
        environment = OrtEnvironment.getEnvironment();
        test = TestData.fashionMnist().test().head(IMAGES);
    }

    private static MultiLayerNetwork network(List<Integer> layers, HiddenActivation activation, long seed) {
        return NetworkFactory.create(TrainingConfig.defaults(null).with("layers", layers)
                .with("activation", activation).with("seed", seed).build());
    }

    @Test
    void theSeedsNetworkTakesRawPixelsAndAgreesWithDl4j() throws Exception {
        MultiLayerNetwork seed = network(List.of(784, 512, 512, 10), HiddenActivation.RELU, 42);
        byte[] onnx = OnnxExport.of(seed, OnnxInput.PIXELS, LabeledImages.CLASS_NAMES).bytes();
        assertAgree(seed, onnx, rawPixels(test), scaled(test));
    }

    @Test
    void otherLayerListsAndNonlinearitiesAgreeWithDl4jOnFeatures() throws Exception {
        float[] standardized = standardized(scaled(test));
        for (HiddenActivation activation : List.of(HiddenActivation.TANH, HiddenActivation.SIGMOID)) {
            MultiLayerNetwork network = network(List.of(784, 64, 32, 10), activation, 7);
            byte[] onnx = OnnxExport.of(network, OnnxInput.FEATURES, List.of()).bytes();
            assertAgree(network, onnx, standardized, standardized);
        }
        MultiLayerNetwork softmaxOnly = network(List.of(784, 10), HiddenActivation.RELU, 3);
        assertAgree(softmaxOnly, OnnxExport.of(softmaxOnly, OnnxInput.PIXELS, List.of()).bytes(), rawPixels(test),
                scaled(test));
    }

    @Test
    void theModelATrainingRunWroteAgreesWithItsModelZipAndIsListedInRunJson() throws Exception {
        Path run = TestRuns.small();
        MultiLayerNetwork trained = ModelSerializer.restoreMultiLayerNetwork(
                run.resolve(TrainingRun.MODEL_FILE).toFile(), false);
        byte[] onnx = Files.readAllBytes(run.resolve(RunExport.FILE));
        assertAgree(trained, onnx, rawPixels(test), scaled(test));

        JsonNode listed = Json.mapper().readTree(run.resolve(TrainingRun.MANIFEST_FILE).toFile())
                .get(RunExport.MANIFEST_KEY);
        assertEquals(RunExport.sha256(onnx), listed.get("sha256").asText());
        assertEquals("pixels", listed.get("input").asText());
        try (OrtSession session = environment.createSession(onnx)) {
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            assertEquals("784-512-512-10", metadata.get(OnnxExport.META_LAYERS));
            assertEquals("relu", metadata.get(OnnxExport.META_ACTIVATION));
            assertEquals(OnnxExport.compactJson(LabeledImages.CLASS_NAMES),
                    metadata.get(OnnxExport.META_CLASS_NAMES));
            assertEquals(run.getFileName().toString(), metadata.get(OnnxExport.META_RUN_ID));
            assertTrue(metadata.get(OnnxExport.META_DATA_SHA256).contains(
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"), metadata.toString());
        }
    }

    @Test
    void theExportCommandWritesTheRunsFileByteForByteAndRefusesInOneLine(@TempDir Path scratch) throws Exception {
        Path run = TestRuns.small();
        Path exported = scratch.resolve("out/exported.onnx");
        CommandRun export = CommandRun.of(List.of("export", "--model", run.resolve(TrainingRun.MODEL_FILE).toString(),
                "--format", "onnx", "--output", exported.toString()));
        assertEquals(ExitCodes.OK, export.code(), export.stderr());
        assertArrayEquals(Files.readAllBytes(run.resolve(RunExport.FILE)), Files.readAllBytes(exported),
                "the run's model.onnx, rebuilt from model.zip and run.json");

        CommandRun pmml = CommandRun.of(List.of("export", "--model", run.resolve(TrainingRun.MODEL_FILE).toString(),
                "--format", "pmml", "--output", exported.toString()));
        assertEquals(ExitCodes.USAGE, pmml.code());
        assertTrue(pmml.stderr().contains("--format pmml: the formats are onnx"), pmml.stderr());

        MultiLayerNetwork leaky = leakyReluNetwork();
        Path zip = scratch.resolve("leaky.zip");
        ModelSerializer.writeModel(leaky, zip.toFile(), false);
        CommandRun refused = CommandRun.of(List.of("export", "--model", zip.toString(), "--format", "onnx",
                "--input", "features", "--output", scratch.resolve("leaky.onnx").toString()));
        assertEquals(ExitCodes.DATA, refused.code());
        assertEquals("error: cannot export this model to ONNX: hidden layer 0 uses leakyrelu(a=0.01); only relu,"
                + " sigmoid and tanh export", refused.stderr().strip());
        assertFalse(Files.exists(scratch.resolve("leaky.onnx")));
    }

    /** The estimator's model, fitted on DataFrame vectors, exports a graph of features that ONNX Runtime agrees on. */
    @Test
    void theEstimatorsModelExportsThroughHadoopAndAgreesWithTransform(@TempDir Path scratch) throws Exception {
        SparkSession spark = SparkSession.builder().sparkContext(TestSpark.context().sc()).getOrCreate();
        DistributedMlpClassificationModel model = new DistributedMlpClassifier().setEpochs(1).setLearningRate(0.1)
                .setHiddenLayers(new int[] {32}).setWorkers(2).setSeed(3)
                .fit(FeatureFrames.of(spark, TestData.fashionMnist().train().head(2000), 2));
        Path saved = scratch.resolve("model.onnx");
        String sha256 = model.exportOnnx(saved.toUri().toString());
        byte[] onnx = Files.readAllBytes(saved);
        assertEquals(RunExport.sha256(onnx), sha256);
        float[] features = scaled(test);
        assertAgree(model.network(), onnx, features, features);
        try (OrtSession session = environment.createSession(onnx)) {
            assertEquals("features", session.getMetadata().getCustomMetadata().get(OnnxExport.META_INPUT));
            assertEquals(model.uid(), session.getMetadata().getCustomMetadata().get(OnnxExport.META_RUN_ID));
        }

        // the model's saved directory, through the export command: the same graph
        Path directory = scratch.resolve("saved-model");
        model.write().save(directory.toUri().toString());
        Path fromDirectory = scratch.resolve("from-directory.onnx");
        CommandRun export = CommandRun.of(List.of("export", "--model", directory.toString(), "--format", "onnx",
                "--output", fromDirectory.toString()));
        assertEquals(ExitCodes.OK, export.code(), export.stderr());
        byte[] exported = Files.readAllBytes(fromDirectory);
        assertAgree(model.network(), exported, features, features);
        try (OrtSession session = environment.createSession(exported)) {
            assertEquals("features", session.getMetadata().getCustomMetadata().get(OnnxExport.META_INPUT));
            assertEquals(OnnxExport.compactJson(model.classNames()),
                    session.getMetadata().getCustomMetadata().get(OnnxExport.META_CLASS_NAMES));
        }
    }

    @Test
    void aRegressionExportsItsLinearOutput() throws Exception {
        MultiLayerNetwork regression = NetworkFactory.create(TrainingConfig.defaults(null)
                .with("task", TaskKind.REGRESSION)
                .with("layers", List.of(784, 16, 1)).with("activation", HiddenActivation.TANH).build());
        byte[] onnx = OnnxExport.of(regression, OnnxInput.FEATURES, List.of()).bytes();
        float[] features = scaled(test);
        INDArray expected = regression.output(Nd4j.create(features, new long[] {IMAGES, 784}, 'c'), false);
        try (OrtSession session = environment.createSession(onnx);
             OnnxTensor input = tensor(features, 784);
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            float[][] predicted = (float[][]) result.get(OnnxExport.PREDICTION).get().getValue();
            for (int i = 0; i < IMAGES; i++) {
                assertEquals(expected.getFloat(i, 0), predicted[i][0], TOLERANCE, "example " + i);
            }
        }
    }

    @Test
    void aNetworkThatIsNotAPlainMlpIsRefusedInOneLine() {
        MultiLayerNetwork other = leakyReluNetwork();
        ModelException refused = assertThrows(ModelException.class,
                () -> OnnxExport.of(other, OnnxInput.FEATURES, List.of()).bytes());
        assertEquals("cannot export this model to ONNX: hidden layer 0 uses leakyrelu(a=0.01); only relu, sigmoid"
                + " and tanh export", refused.getMessage());
    }

    /** @return a dense network with a nonlinearity the trainer does not build */
    private static MultiLayerNetwork leakyReluNetwork() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.LEAKYRELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build());
        network.init();
        return network;
    }

    /**
     * Runs the exported graph on {@code onnxInput} and DL4J on {@code dl4jInput} (the same examples as training
     * presents them) and compares logits, probabilities and classes.
     */
    private static void assertAgree(MultiLayerNetwork network, byte[] onnx, float[] onnxInput, float[] dl4jInput)
            throws OrtException {
        int width = (int) network.layerInputSize(0);
        INDArray features = Nd4j.create(dl4jInput, new long[] {IMAGES, width}, 'c');
        INDArray probabilities = network.output(features, false);
        INDArray logits = logits(network, features);
        try (OrtSession session = environment.createSession(onnx);
             OnnxTensor input = tensor(onnxInput, width);
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            float[][] onnxLogits = (float[][]) result.get(OnnxExport.LOGITS).get().getValue();
            float[][] onnxProbabilities = (float[][]) result.get(OnnxExport.PROBABILITIES).get().getValue();
            assertEquals(IMAGES, onnxLogits.length);
            for (int i = 0; i < IMAGES; i++) {
                assertArrayEquals(logits.getRow(i).toFloatVector(), onnxLogits[i], (float) TOLERANCE,
                        "logits of image " + i);
                assertArrayEquals(probabilities.getRow(i).toFloatVector(), onnxProbabilities[i], (float) TOLERANCE,
                        "probabilities of image " + i);
                assertEquals(probabilities.getRow(i).argMax().getInt(0), argMax(onnxProbabilities[i]),
                        "class of image " + i);
            }
        }
    }

    /** DL4J's logits: the output layer's input (from DL4J's own forward pass) times its weights plus its biases. */
    private static INDArray logits(MultiLayerNetwork network, INDArray features) {
        int last = network.getnLayers() - 1;
        INDArray hidden = last == 0 ? features : network.feedForwardToLayer(last - 1, features, false).get(last);
        return hidden.mmul(network.getLayer(last).getParam("W")).addiRowVector(network.getLayer(last).getParam("b"));
    }

    private static OnnxTensor tensor(float[] values, int width) throws OrtException {
        return OnnxTensor.createTensor(environment, FloatBuffer.wrap(values),
                new long[] {values.length / width, width});
    }

    private static int argMax(float[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            best = row[c] > row[best] ? c : best;
        }
        return best;
    }

    /** @return the images' pixels as 0-255 floats: what a serving client sends */
    private static float[] rawPixels(LabeledImages images) {
        float[] values = new float[images.size() * images.width()];
        for (int i = 0; i < images.size(); i++) {
            byte[] pixels = images.imageBytes(i);
            for (int p = 0; p < pixels.length; p++) {
                values[i * images.width() + p] = pixels[p] & 0xFF;
            }
        }
        return values;
    }

    /** @return the images as training presents them (pixels / 255) */
    private static float[] scaled(LabeledImages images) {
        float[] values = new float[images.size() * images.width()];
        images.fill(null, 0, images.size(), values, new float[images.size() * images.classes()]);
        return values;
    }

    /** @return every column shifted to mean 0 and scaled to deviation 1: real-valued features */
    private static float[] standardized(float[] values) {
        float[] out = values.clone();
        int width = LabeledImages.PIXELS;
        int rows = values.length / width;
        for (int p = 0; p < width; p++) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < rows; i++) {
                sum += values[i * width + p];
                squares += values[i * width + p] * values[i * width + p];
            }
            double mean = sum / rows;
            double deviation = Math.sqrt(Math.max(squares / rows - mean * mean, 1e-6));
            for (int i = 0; i < rows; i++) {
                out[i * width + p] = (float) ((values[i * width + p] - mean) / deviation);
            }
        }
        return out;
    }
}
