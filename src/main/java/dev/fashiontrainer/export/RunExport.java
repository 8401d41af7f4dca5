package dev.fashiontrainer.export;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.ModelException;
import dev.fashiontrainer.model.NetworkShape;
import dev.fashiontrainer.model.SavedModel;
import dev.fashiontrainer.report.Json;
import dev.fashiontrainer.rundir.RunDirectory;

/**
 * The ONNX file of a training run: every finished run writes {@value #FILE} beside {@code model.zip} and lists it
 * in {@code run.json} with its SHA-256; {@code export} rebuilds the same file from a {@code model.zip} and the
 * {@code run.json} beside it.
 */
public final class RunExport {
    /** The run directory's ONNX model. */
    public static final String FILE = "model.onnx";
    /** Where {@code run.json} lists it. */
    public static final String MANIFEST_KEY = "onnx";

    // the run's record beside model.zip, and the estimator's files in a saved model's directory (ml/ModelFiles)
    private static final String MANIFEST = "run.json";
    private static final String ESTIMATOR_NETWORK = "data/model.zip";
    private static final String ESTIMATOR_TRAINING = "data/training.json";

    private RunExport() {
    }

    /**
     * Writes {@value #FILE} into the run directory (whole or not at all) and records it in {@code manifest}
     * under {@value #MANIFEST_KEY}: file name, SHA-256, input kind, opset.
     *
     * @param outputs the run directory
     * @param model the trained network
     * @param trainedOn any set the model was trained or tested on: its kind (pixels or features) decides the input
     * @param classNames the class names by label
     * @param manifest the run's {@code run.json} content: its data digests and run directory go into the metadata
     */
    public static void writeBeside(RunDirectory outputs, MultiLayerNetwork model, LabeledImages trainedOn,
                                   List<String> classNames, Map<String, Object> manifest) {
        OnnxInput input = OnnxInput.of(trainedOn);
        byte[] bytes = describedBy(Json.mapper().valueToTree(manifest), model, input, classNames).bytes();
        outputs.writeAtomically(FILE, stream -> stream.write(bytes));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", FILE);
        entry.put("sha256", sha256(bytes));
        entry.put("input", input.label());
        entry.put("opset", OnnxExport.OPSET);
        manifest.put(MANIFEST_KEY, entry);
    }

    /**
     * @param runJson the {@code run.json} of the run that trained {@code model}, or null when there is none
     * @param model the trained network
     * @param input what the graph takes, or null to take it from {@code runJson} (or, with no record, pixels for a
     *     network of Fashion-MNIST's shape)
     * @param classNames class names by label, or null to take them from {@code runJson}
     * @return the export, with the run's id and data digests as metadata when {@code runJson} has them
     * @throws ModelException when the input kind cannot be decided
     */
    public static OnnxExport describedBy(JsonNode runJson, MultiLayerNetwork model, OnnxInput input,
                                         List<String> classNames) {
        JsonNode run = runJson == null ? Json.mapper().createObjectNode() : runJson;
        List<Integer> widths = NetworkShape.widthsOf(model);
        boolean fashionShaped = widths.get(0) == LabeledImages.PIXELS
                && widths.get(widths.size() - 1) == LabeledImages.CLASSES;
        OnnxInput kind = input;
        if (kind == null) {
            kind = OnnxInput.ofLabel(run.path(MANIFEST_KEY).path("input").asText());
        }
        if (kind == null && fashionShaped) {
            kind = OnnxInput.PIXELS;
        }
        if (kind == null) {
            throw new ModelException("cannot tell whether the " + NetworkShape.widthsOf(model).get(0) + " inputs of"
                    + " this model are 8-bit pixels or features (no run.json beside it says); pass --input pixels"
                    + " or --input features");
        }
        List<String> recorded = new ArrayList<>();
        run.path("classes").forEach(name -> recorded.add(name.asText()));
        List<String> names = classNames != null ? classNames : recorded;
        if (names.isEmpty() && fashionShaped) {
            names = LabeledImages.CLASS_NAMES;
        }
        JsonNode digests = run.path("data").path("sha256");
        String output = run.path("output").asText("");
        return OnnxExport.of(model, kind, names)
                .with(OnnxExport.META_RUN_ID, output.isEmpty() ? null : output.substring(output.lastIndexOf('/') + 1))
                .with(OnnxExport.META_DATA_SHA256, digests.isObject() ? OnnxExport.compactJson(digests) : null);
    }

    /**
     * The export of a saved model: a run's {@code model.zip} (its input kind, class names, run id and data digests
     * from the {@code run.json} beside it), or the directory an estimator's model was saved to (features; class
     * names from its {@code data/training.json}).
     *
     * @param model a {@code model.zip}, or a saved {@code DistributedMlpClassificationModel}'s directory
     * @param hadoop Hadoop configuration for the file system
     * @param input what the graph takes, or null to decide as {@link #describedBy} does
     * @param classNames class names by label, or null for the recorded ones
     * @return the export
     * @throws ModelException naming the file when it is not a model this trainer saved, or cannot be exported
     */
    public static OnnxExport forSavedModel(Path model, Configuration hadoop, OnnxInput input, List<String> classNames) {
        try {
            FileSystem fs = model.getFileSystem(hadoop);
            if (fs.isDirectory(model)) {
                Path zip = new Path(model, ESTIMATOR_NETWORK);
                if (!fs.exists(zip)) {
                    throw new ModelException(model + ": a directory without " + ESTIMATOR_NETWORK + ", so not a model"
                            + " the estimator saved; pass a run's model.zip, or a saved model stage's directory (in a"
                            + " PipelineModel: stages/K_distributedMlpModel_...)");
                }
                JsonNode training = readJson(fs, new Path(model, ESTIMATOR_TRAINING));
                List<String> names = new ArrayList<>();
                (training == null ? Json.mapper().createObjectNode() : training).path("class_names")
                        .forEach(name -> names.add(name.asText()));
                ObjectNode run = Json.mapper().createObjectNode();
                run.set("classes", Json.mapper().valueToTree(names));
                run.putObject(MANIFEST_KEY).put("input", OnnxInput.FEATURES.label());
                return describedBy(run, SavedModel.load(zip, hadoop), input, classNames);
            }
            JsonNode run = readJson(fs, new Path(model.getParent(), MANIFEST));
            return describedBy(run, SavedModel.load(model, hadoop), input, classNames);
        } catch (IOException e) {
            throw new ModelException(model + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** @return the JSON file's content, or null when there is no such file */
    private static JsonNode readJson(FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) {
            return null;
        }
        try (InputStream in = fs.open(file)) {
            return Json.mapper().readTree(in);
        }
    }

    /** @return the SHA-256 of {@code bytes}, in hex */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
