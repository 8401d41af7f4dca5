package dev.fashiontrainer.export;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.fashiontrainer.model.ModelException;
import dev.fashiontrainer.report.Json;

/**
 * An exported classifier run by ONNX Runtime in this process: what {@code serve} scores with. It reads the graph's
 * metadata (input kind, width, class names) so a caller can check requests before scoring them. Thread-safe: ONNX
 * Runtime's sessions take concurrent {@code run} calls.
 */
public final class OnnxScorer implements AutoCloseable {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final OnnxInput input;
    private final int width;
    private final List<String> classNames;
    private final String layers;

    private OnnxScorer(OrtEnvironment environment, OrtSession session, OnnxInput input, int width,
                       List<String> classNames, String layers) {
        this.environment = environment;
        this.session = session;
        this.input = input;
        this.width = width;
        this.classNames = classNames;
        this.layers = layers;
    }

    /**
     * @param model the bytes of a {@code model.onnx} this trainer exported
     * @param source where they came from, for messages
     * @param threads ONNX Runtime's threads per scoring call
     * @return a scorer for it
     * @throws ModelException when the bytes are not an ONNX model, or not a classifier this trainer exported
     */
    public static OnnxScorer open(byte[] model, String source, int threads) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            session = environment.createSession(model, options);
        } catch (OrtException e) {
            throw new ModelException(source + ": not an ONNX model ONNX Runtime can load (" + e.getMessage()
                    + "); pass a model.onnx written by a training run or by 'export'", e);
        }
        try {
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            OnnxInput input = OnnxInput.ofLabel(metadata.getOrDefault(OnnxExport.META_INPUT, ""));
            String layers = metadata.getOrDefault(OnnxExport.META_LAYERS, "");
            if (input == null || !layers.matches("\\d+(-\\d+)+") || !metadata.containsKey(OnnxExport.META_CLASS_NAMES)
                    || !session.getOutputNames().contains(OnnxExport.PROBABILITIES)) {
                throw new ModelException(source + ": not a classifier exported by this trainer (its metadata lack"
                        + " input, layers or class_names, or it has no '" + OnnxExport.PROBABILITIES + "' output);"
                        + " pass a model.onnx written by a training run or by 'export'");
            }
            List<String> names = Json.mapper().readValue(metadata.get(OnnxExport.META_CLASS_NAMES),
                    new TypeReference<List<String>>() { });
            int width = Integer.parseInt(layers.substring(0, layers.indexOf('-')));
            return new OnnxScorer(environment, session, input, width, List.copyOf(names), layers);
        } catch (OrtException | java.io.IOException e) {
            closeQuietly(session);
            throw new ModelException(source + ": unreadable metadata (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** @return what the {@code features} input takes */
    public OnnxInput input() {
        return input;
    }

    /** @return features per example */
    public int width() {
        return width;
    }

    /** @return the class names by label */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the layers, e.g. {@code 784-512-512-10} */
    public String layers() {
        return layers;
    }

    /**
     * @param features {@code rows * width()} values, example after example, as {@link #input()} says
     * @param rows the number of examples
     * @return each example's probabilities by class
     */
    public List<float[]> probabilities(float[] features, int rows) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(features),
                new long[] {rows, width});
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, tensor),
                     java.util.Set.of(OnnxExport.PROBABILITIES))) {
            float[][] values = (float[][]) result.get(0).getValue();
            return new ArrayList<>(List.of(values));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to score " + rows + " examples: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing to recover: the session's native memory is released or lost with the process
        }
    }
}
