package dev.fashiontrainer.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.shade.protobuf.ByteString;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.fashiontrainer.model.ModelException;
import dev.fashiontrainer.model.NetworkShape;
import dev.fashiontrainer.report.Json;
import dev.fashiontrainer.rundir.RunDirectory;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * A trained network of this trainer (dense layers; ReLU, sigmoid or tanh between them; a softmax classifier or a
 * linear regression output) as an ONNX model: input {@code features} (float32, {@code [batch, width]}, any batch
 * size), outputs {@code logits} and {@code probabilities} ({@code [batch, classes]}), or {@code prediction}
 * ({@code [batch, 1]}) for a regression. Each dense layer is one {@code Gemm} with its weights ({@code [in, out]},
 * as DL4J holds them) and biases as initializers; pixel inputs pass a {@code Div} by 255 first, the division that
 * training applied to every pixel byte, so the graph computes the same floats from raw 0-255 values.
 *
 * <p>The graph declares opset {@value #OPSET} and IR version {@value #IR_VERSION}: every operator it uses has had
 * its current meaning since opset 13 (ONNX Runtime 1.7 and later run it; so does Debian's {@code python3-onnx}
 * 1.12 checker). The model's metadata ({@code metadata_props}) carry what a serving client needs: the layers, the
 * hidden activation, the input kind, the class names, and the run id and data digests when the caller knows them.
 */
public final class OnnxExport {
    /** The operator set the graph declares. */
    public static final int OPSET = 13;
    /** The ONNX IR version the file declares (IR 7 came with opset 13). */
    public static final int IR_VERSION = 7;
    /** Name of the graph's input. */
    public static final String INPUT = "features";
    /** Name of a classifier's output before the softmax. */
    public static final String LOGITS = "logits";
    /** Name of a classifier's softmax output. */
    public static final String PROBABILITIES = "probabilities";
    /** Name of a regression's output. */
    public static final String PREDICTION = "prediction";
    /** Metadata key: the widths, e.g. {@code 784-512-512-10}. */
    public static final String META_LAYERS = "layers";
    /** Metadata key: the hidden layers' nonlinearity ({@code relu}, {@code sigmoid}, {@code tanh}). */
    public static final String META_ACTIVATION = "activation";
    /** Metadata key: {@link OnnxInput#label()}. */
    public static final String META_INPUT = "input";
    /** Metadata key: the class names by label, a JSON array. */
    public static final String META_CLASS_NAMES = "class_names";
    /** Metadata key: {@code classification} or {@code regression}. */
    public static final String META_TASK = "task";
    /** Metadata key: the training run's id. */
    public static final String META_RUN_ID = "run_id";
    /** Metadata key: the SHA-256 digests of the training data's files, a JSON object. */
    public static final String META_DATA_SHA256 = "data_sha256";

    private static final String PRODUCER = "fashion-trainer";

    private final MultiLayerNetwork network;
    private final OnnxInput input;
    private final List<String> classNames;
    private final Map<String, String> provenance = new LinkedHashMap<>();

    private OnnxExport(MultiLayerNetwork network, OnnxInput input, List<String> classNames) {
        this.network = network;
        this.input = input;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * @param network a trained network of this trainer
     * @param input what its {@code features} input takes
     * @param classNames the class names by label; empty for the label numbers (or a regression)
     * @return an export of it, to which provenance can be added
     */
    public static OnnxExport of(MultiLayerNetwork network, OnnxInput input, List<String> classNames) {
        return new OnnxExport(network, input, classNames);
    }

    /**
     * @param key a metadata key, such as {@link #META_RUN_ID}
     * @param value its value; nothing is recorded for null
     * @return this export
     */
    public OnnxExport with(String key, String value) {
        if (value != null) {
            provenance.put(key, value);
        }
        return this;
    }

    /**
     * Writes the ONNX model to {@code out} (which stays open).
     *
     * @throws ModelException when the network is not one this exporter can write: other layers, another
     *     nonlinearity, NaN parameters
     */
    public void writeTo(OutputStream out) throws IOException {
        model().writeTo(out);
    }

    /**
     * Writes the ONNX model to {@code location}, whole or not at all (a hidden temporary file renamed into place).
     *
     * @param location any Hadoop path
     * @param hadoop Hadoop configuration for its file system
     * @return the file's SHA-256, in hex
     * @throws ModelException when the network cannot be exported (see {@link #writeTo})
     * @throws dev.fashiontrainer.rundir.OutputException when the location cannot be written
     */
    public String save(String location, Configuration hadoop) {
        byte[] bytes = bytes();
        Path target = new Path(location);
        String directory = target.getParent() == null ? "." : target.getParent().toString();
        RunDirectory.open(directory, hadoop).writeAtomically(target.getName(), stream -> stream.write(bytes));
        return RunExport.sha256(bytes);
    }

    /** @return the ONNX model's bytes (see {@link #writeTo}) */
    public byte[] bytes() {
        return model().toByteArray();
    }

    private ModelProto model() {
        List<Integer> widths = NetworkShape.widthsOf(requireDense(network));
        int layers = network.getnLayers();
        IActivation output = activationOf(network.getLayer(layers - 1));
        boolean regression = output instanceof ActivationIdentity;
        if (!regression && !(output instanceof ActivationSoftmax)) {
            throw refusal("its output layer's activation is " + output + "; only softmax (classification) or"
                    + " identity (regression) outputs export");
        }
        int classes = widths.get(widths.size() - 1);
        if (!regression && !classNames.isEmpty() && classNames.size() != classes) {
            throw new IllegalArgumentException("expected " + classes + " class names, found " + classNames);
        }
        String hidden = layers > 1 ? hiddenActivation(network) : "none";

        GraphProto.Builder graph = GraphProto.newBuilder().setName(PRODUCER + "-" + join(widths))
                .addInput(tensorValue(INPUT, widths.get(0)));
        String flowing = INPUT;
        if (input == OnnxInput.PIXELS) {
            graph.addInitializer(floatTensor("pixel_scale", new long[0], new float[] {255f}));
            graph.addNode(node("Div", "scale_pixels", List.of(INPUT, "pixel_scale"), "scaled"));
            flowing = "scaled";
        }
        for (int l = 0; l < layers; l++) {
            Layer layer = network.getLayer(l);
            long in = widths.get(l);
            long out = widths.get(l + 1);
            String weights = "layer" + l + ".weight";
            String biases = "layer" + l + ".bias";
            graph.addInitializer(floatTensor(weights, new long[] {in, out},
                    layer.getParam("W").dup('c').data().asFloat()));
            graph.addInitializer(floatTensor(biases, new long[] {out}, layer.getParam("b").dup('c').data().asFloat()));
            boolean last = l == layers - 1;
            String product = last ? (regression ? PREDICTION : LOGITS) : "layer" + l + ".linear";
            graph.addNode(node("Gemm", "layer" + l, List.of(flowing, weights, biases), product));
            flowing = product;
            if (!last) {
                String activated = "layer" + l + ".activation";
                graph.addNode(node(operatorOf(hidden), "layer" + l + "_" + hidden, List.of(product), activated));
                flowing = activated;
            }
        }
        if (regression) {
            graph.addOutput(tensorValue(PREDICTION, 1));
        } else {
            graph.addNode(node("Softmax", "softmax", List.of(LOGITS), PROBABILITIES).toBuilder()
                    .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                            .setI(1))
                    .build());
            graph.addOutput(tensorValue(LOGITS, classes));
            graph.addOutput(tensorValue(PROBABILITIES, classes));
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(META_TASK, regression ? "regression" : "classification");
        metadata.put(META_LAYERS, join(widths));
        metadata.put(META_ACTIVATION, hidden);
        metadata.put(META_INPUT, input.label());
        if (!regression) {
            List<String> names = classNames.isEmpty()
                    ? IntStream.range(0, classes).mapToObj(String::valueOf).toList() : classNames;
            metadata.put(META_CLASS_NAMES, compactJson(names));
        }
        metadata.putAll(provenance);
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setDocString(docString(regression, widths))
                .setGraph(graph);
        metadata.forEach((key, value) -> model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }

    private String docString(boolean regression, List<Integer> widths) {
        String takes = input == OnnxInput.PIXELS
                ? "raw 8-bit pixel values 0-255 as float32 (the graph divides by 255)"
                : "float32 features as the model was trained on them";
        return "A " + join(widths) + " network trained by " + PRODUCER + ". Input '" + INPUT + "' [batch, "
                + widths.get(0) + "]: " + takes + ". Outputs: " + (regression ? "'" + PREDICTION + "' [batch, 1]"
                : "'" + LOGITS + "' and '" + PROBABILITIES + "' [batch, " + widths.get(widths.size() - 1) + "]")
                + ".";
    }

    /** @return the network, checked to be dense layers with finite parameters */
    private static MultiLayerNetwork requireDense(MultiLayerNetwork network) {
        for (int l = 0; l < network.getnLayers(); l++) {
            Object conf = network.getLayer(l).conf().getLayer();
            boolean expected = l < network.getnLayers() - 1 ? conf instanceof DenseLayer : conf instanceof OutputLayer;
            if (!expected) {
                throw refusal("layer " + l + " is a " + conf.getClass().getSimpleName()
                        + "; only dense layers with a dense output layer export");
            }
        }
        for (float value : network.params().toFloatVector()) {
            if (!Float.isFinite(value)) {
                throw refusal("some of its parameters are NaN or infinite");
            }
        }
        return network;
    }

    /** @return the hidden layers' one nonlinearity, by its ONNX-side name */
    private static String hiddenActivation(MultiLayerNetwork network) {
        String found = null;
        for (int l = 0; l < network.getnLayers() - 1; l++) {
            IActivation activation = activationOf(network.getLayer(l));
            String name;
            if (activation.equals(new ActivationReLU())) {
                name = "relu";
            } else if (activation instanceof ActivationSigmoid) {
                name = "sigmoid";
            } else if (activation instanceof ActivationTanH) {
                name = "tanh";
            } else {
                throw refusal("hidden layer " + l + " uses " + activation + "; only relu, sigmoid and tanh export");
            }
            if (found != null && !found.equals(name)) {
                throw refusal("its hidden layers mix " + found + " and " + name + "; the trainer builds one"
                        + " nonlinearity for all of them");
            }
            found = name;
        }
        return found;
    }

    private static IActivation activationOf(Layer layer) {
        return ((BaseLayer) layer.conf().getLayer()).getActivationFn();
    }

    private static String operatorOf(String activation) {
        return switch (activation) {
            case "relu" -> "Relu";
            case "sigmoid" -> "Sigmoid";
            case "tanh" -> "Tanh";
            default -> throw new IllegalStateException("no ONNX operator for " + activation);
        };
    }

    private static ModelException refusal(String why) {
        return new ModelException("cannot export this model to ONNX: " + why);
    }

    private static NodeProto node(String operator, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(operator).setName(name).addAllInput(inputs).addOutput(output).build();
    }

    /** A float32 initializer, its values little-endian in {@code raw_data} as ONNX specifies. */
    private static TensorProto floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT).setRawData(ByteString.copyFrom(raw.array()));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    /** A float32 value of shape {@code [batch, width]}, the batch named so any size fits. */
    private static ValueInfoProto tensorValue(String name, long width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT).setShape(shape)))
                .build();
    }

    private static String join(List<Integer> widths) {
        return widths.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }

    /** @return {@code value} as one line of JSON, for a metadata value */
    static String compactJson(Object value) {
        try {
            return Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }
}
