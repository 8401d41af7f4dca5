package dev.fashiontrainer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestRuns;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.export.OnnxScorer;
import dev.fashiontrainer.export.RunExport;
import dev.fashiontrainer.report.Json;

/**
 * {@code serve}'s endpoint on a real socket, with the model.onnx a training run wrote: real HTTP requests get the
 * classes {@code predict} gives for the same images (as vectors of raw pixels and as PNGs); an oversized body gets
 * 413, malformed ones 400 with what is wrong, and the server answers normally afterwards.
 */
class ScoringServerTest {
    private static final int IMAGES = 50;
    private static final long LIMIT = 1 << 20;

    private static ScoringServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        byte[] onnx = Files.readAllBytes(TestRuns.small().resolve(RunExport.FILE));
        server = ScoringServer.start(OnnxScorer.open(onnx, "model.onnx", 1), "127.0.0.1", 0, LIMIT, 2);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/predict")).POST(body)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return post(HttpRequest.BodyPublishers.ofString(body));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static List<Integer> classes(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        List<Integer> classes = new ArrayList<>();
        for (JsonNode prediction : Json.mapper().readTree(response.body()).get("predictions")) {
            classes.add(prediction.get("class").asInt());
            assertEquals(LabeledImages.CLASS_NAMES.get(prediction.get("class").asInt()),
                    prediction.get("class_name").asText());
            assertEquals(10, prediction.get("probabilities").size());
        }
        return classes;
    }

    /** The predicted classes of the first {@value #IMAGES} test images, from the {@code predict} command. */
    private static List<Integer> predictCommandClasses() {
        CommandRun predicted = CommandRun.of(List.of("predict", "--model",
                TestRuns.small().resolve(TrainingRun.MODEL_FILE).toString(),
                "--images", TestData.directory() + "/t10k-images-idx3-ubyte.gz"));
        assertEquals(0, predicted.code(), predicted.stderr());
        return predicted.stdout().lines().skip(1).limit(IMAGES).map(row -> Integer.parseInt(row.split(",")[3]))
                .toList();
    }

    private static String vectors(LabeledImages test, int count) {
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] pixels = test.imageBytes(i);
            int[] row = new int[pixels.length];
            for (int p = 0; p < pixels.length; p++) {
                row[p] = pixels[p] & 0xFF;
            }
            rows.add(row);
        }
        return Json.write(Map.of(PredictRequest.INSTANCES, rows));
    }

    @Test
    void realRequestsGetTheClassesOfPredictAsVectorsAndAsPngs() throws Exception {
        LabeledImages test = TestData.fashionMnist().test();
        List<Integer> expected = predictCommandClasses();
        assertEquals(expected, classes(post(vectors(test, IMAGES))));

        List<String> pngs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, 28, 28, test.imageBytes(i));
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            pngs.add(Base64.getEncoder().encodeToString(png.toByteArray()));
        }
        assertEquals(expected.subList(0, 5), classes(post(Json.write(Map.of(PredictRequest.IMAGES, pngs)))));

        HttpResponse<String> health = client.send(HttpRequest.newBuilder(uri("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("784-512-512-10", Json.mapper().readTree(health.body()).get("layers").asText());
    }

    /** A short body can name many examples: the batch is refused by its count before anything is decoded. */
    @Test
    void aBatchOfTooManyValuesIsRefusedBeforeDecoding() {
        int images = (int) (PredictRequest.MAX_VALUES / 784) + 1;
        String body = "{\"images\": [" + "\"x\",".repeat(images - 1) + "\"x\"]}";
        BadRequest refused = org.junit.jupiter.api.Assertions.assertThrows(BadRequest.class,
                () -> PredictRequest.parse(body.getBytes(), dev.fashiontrainer.export.OnnxInput.PIXELS, 784));
        assertEquals(413, refused.status());
        assertTrue(refused.getMessage().startsWith(images + " examples of 784 values are over the limit"),
                refused.getMessage());
    }

    @Test
    void oversizedAndMalformedBodiesAreRefusedAndTheServerStaysUp() throws Exception {
        byte[] huge = new byte[(int) LIMIT + 1];
        HttpResponse<String> declared = post(HttpRequest.BodyPublishers.ofByteArray(huge));
        assertEquals(413, declared.statusCode(), declared.body());
        assertTrue(declared.body().contains("over the limit of " + LIMIT + " bytes"), declared.body());
        // chunked: no length declared, so the server counts while it reads
        HttpResponse<String> chunked = post(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(huge)));
        assertEquals(413, chunked.statusCode(), chunked.body());

        Map<String, String> malformed = Map.of(
                "{\"instances\": [[1, 2", "the body is not JSON",
                "[1, 2, 3]", "expected a JSON object with one key",
                "{\"instances\": [[1, 2, 3]]}", "instance 0: expected an array of 784 numbers (the model's input"
                        + " width), found one of 3",
                "{\"images\": [\"not base64!\"]}", "image 0: not base64",
                "{\"images\": [\"" + Base64.getEncoder().encodeToString("no png".getBytes()) + "\"]}",
                "image 0: expected a PNG image");
        for (Map.Entry<String, String> body : malformed.entrySet()) {
            HttpResponse<String> refused = post(body.getKey());
            assertEquals(400, refused.statusCode(), body.getKey() + " -> " + refused.body());
            assertTrue(Json.mapper().readTree(refused.body()).get("error").asText().contains(body.getValue()),
                    refused.body());
        }
        int[] tooBright = new int[784];
        tooBright[0] = 256;
        HttpResponse<String> outOfRange = post(Json.write(Map.of(PredictRequest.INSTANCES, List.of(tooBright))));
        assertEquals(400, outOfRange.statusCode(), outOfRange.body());
        assertTrue(outOfRange.body().contains("raw pixel values 0-255"), outOfRange.body());
        HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(uri("/predict")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, wrongMethod.statusCode());

        // still up, and still right
        assertEquals(predictCommandClasses().subList(0, 3), classes(post(vectors(TestData.fashionMnist().test(), 3))));
    }
}
