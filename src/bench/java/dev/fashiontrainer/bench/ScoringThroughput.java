package dev.fashiontrainer.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.file.Files;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.FashionMnist;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.export.OnnxScorer;
import dev.fashiontrainer.model.SavedModel;
import dev.fashiontrainer.report.Json;
import dev.fashiontrainer.serve.ScoringServer;

/**
 * Scoring speed of a run's model: DL4J's {@code output} on {@code model.zip} against ONNX Runtime on
 * {@code model.onnx}, one thread each (run the JVM with {@code OMP_NUM_THREADS=1}), over the 10,000 test images in
 * batches of 1,000, best of five passes after a warm-up; then the latency of one {@code serve} request of one image
 * over HTTP on 127.0.0.1 (median and 95th percentile of 200).
 *
 * <p>{@code java ... dev.fashiontrainer.bench.ScoringThroughput RUN_DIR}
 */
public final class ScoringThroughput {
    private static final int BATCH = 1000;

    private ScoringThroughput() {
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Path run = java.nio.file.Path.of(args[0]);
        LabeledImages test = FashionMnist.read(new Path(DataLocator.DEBIAN_DIRECTORY), new Configuration(), false)
                .test();
        int n = test.size();
        float[] scaled = new float[n * 784];
        test.fill(null, 0, n, scaled, new float[n * test.classes()]);
        float[] raw = new float[n * 784];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = Math.round(scaled[i] * 255f);
        }

        MultiLayerNetwork network = SavedModel.load(new Path(run.resolve("model.zip").toUri()), new Configuration());
        double dl4j = best(() -> {
            for (int from = 0; from < n; from += BATCH) {
                float[] batch = Arrays.copyOfRange(scaled, from * 784, (from + BATCH) * 784);
                network.output(Nd4j.create(batch, new long[] {BATCH, 784}, 'c'), false);
            }
        });

        byte[] onnx = Files.readAllBytes(run.resolve("model.onnx"));
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        try (OrtSession session = environment.createSession(onnx, options)) {
            double ort = best(() -> {
                for (int from = 0; from < n; from += BATCH) {
                    FloatBuffer batch = FloatBuffer.wrap(raw, from * 784, BATCH * 784).slice();
                    try (OnnxTensor input = OnnxTensor.createTensor(environment, batch, new long[] {BATCH, 784});
                         OrtSession.Result result = session.run(Map.of("features", input))) {
                        result.get(0);
                    }
                }
            });
            System.out.printf("CPU: %s%n", cpu());
            System.out.printf("DL4J output(), one thread:   %.0f images/s (%.3f s for %d)%n", n / dl4j, dl4j, n);
            System.out.printf("ONNX Runtime, one thread:    %.0f images/s (%.3f s for %d)%n", n / ort, ort, n);
        }

        try (ScoringServer server = ScoringServer.start(OnnxScorer.open(onnx, "model.onnx", 1), "127.0.0.1", 0,
                1 << 22, 1)) {
            int[] pixels = new int[784];
            for (int p = 0; p < 784; p++) {
                pixels[p] = Math.round(raw[p]);
            }
            String body = Json.write(Map.of("instances", List.of(pixels)));
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            for (int i = 0; i < 50; i++) {
                client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            long[] nanos = new long[200];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                nanos[i] = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(response.body());
                }
            }
            Arrays.sort(nanos);
            System.out.printf("serve, one image per request: median %.2f ms, 95th percentile %.2f ms"
                    + " (%d bytes of JSON)%n",
                    nanos[100] / 1e6, nanos[190] / 1e6, body.length());
        }
    }

    /** One pass over the test images. */
    private interface Pass {
        void run() throws Exception;
    }

    private static double best(Pass pass) throws Exception {
        pass.run();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long start = System.nanoTime();
            pass.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private static String cpu() throws Exception {
        return Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst().map(line -> line.split(":\\s*", 2)[1])
                .orElse("unknown");
    }
}
