package dev.fashiontrainer.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.report.Json;

/**
 * Loads a {@code model.zip} that a training run wrote (DL4J's {@code ModelSerializer} format, opened through
 * {@link ModelArchive}) and checks that it is a network this trainer builds (dense layers, a softmax output) with
 * finite parameters, and where the data are known, that its input width and classes are theirs, before anything
 * is computed with it.
 */
public final class SavedModel {
    private SavedModel() {
    }

    /**
     * @param location the model file (any Hadoop location)
     * @param hadoop Hadoop configuration for the file system
     * @return the network, without its optimizer state
     * @throws ModelException when the file is missing, is not a DL4J model, or has other layers
     */
    public static MultiLayerNetwork load(Path location, Configuration hadoop) {
        FileSystem fs;
        try {
            fs = location.getFileSystem(hadoop);
        } catch (IOException e) {
            throw new ModelException(location + ": no file system for it (" + e.getMessage() + ")", e);
        }
        MultiLayerNetwork network = ModelArchive.restore(location, fs, false);
        String found = shapeOf(network);
        if (!found.matches("\\d+(-\\d+)+")) {
            throw new ModelException(location + " is not a model of this network: expected dense layers, found "
                    + found);
        }
        long nonFinite = countNonFinite(network.params().toFloatVector());
        if (nonFinite > 0) {
            // a diverged model predicts "NaN" for everything: refuse it rather than write meaningless rows
            throw new ModelException(location + ": " + nonFinite + " of the model's " + network.numParams()
                    + " parameters are NaN or infinite; use the model of a run that finished without diverging");
        }
        return network;
    }

    private static long countNonFinite(float[] parameters) {
        long count = 0;
        for (float value : parameters) {
            count += Float.isFinite(value) ? 0 : 1;
        }
        return count;
    }

    /**
     * @param location the model file (any Hadoop location)
     * @param hadoop Hadoop configuration for the file system
     * @param width features per example of the data it will see
     * @param classes the data's number of classes
     * @return the network, without its optimizer state
     * @throws ModelException as {@link #load(Path, Configuration)}, and when its input width or classes are not
     *     the data's
     */
    public static MultiLayerNetwork loadFor(Path location, Configuration hadoop, int width, int classes) {
        MultiLayerNetwork network = load(location, hadoop);
        String found = shapeOf(network);
        if (!found.startsWith(width + "-") || !found.endsWith("-" + classes)) {
            throw new ModelException(location + " is not a model of this network: expected layers " + width
                    + "-...-" + classes + " (" + width + " features, " + classes + " classes), found " + found);
        }
        return network;
    }

    /**
     * @param location a {@code model.zip} a training run wrote
     * @param hadoop Hadoop configuration for the file system
     * @param width the model's input width
     * @param classes the model's classes
     * @return the class names the run's {@code run.json} beside the model records ({@code classes}); without one,
     *     Fashion-MNIST's for a 784-...-10 model, else the label numbers
     */
    public static List<String> classNames(Path location, Configuration hadoop, int width, int classes) {
        Path manifest = new Path(location.getParent(), "run.json");
        try {
            FileSystem fs = manifest.getFileSystem(hadoop);
            if (fs.exists(manifest)) {
                try (InputStream in = fs.open(manifest)) {
                    List<String> names = new ArrayList<>();
                    Json.mapper().readTree(in).path("classes").forEach(name -> names.add(name.asText()));
                    if (names.size() == classes) {
                        return names;
                    }
                }
            }
        } catch (IOException e) {
            // an unreadable record only costs the names: predictions and metrics do not depend on them
        }
        if (width == LabeledImages.PIXELS && classes == LabeledImages.CLASSES) {
            return LabeledImages.CLASS_NAMES;
        }
        return IntStream.range(0, classes).mapToObj(String::valueOf).toList();
    }

    /** @return the input width, then every layer's output width, e.g. {@code 784-512-512-10}; other layers by type */
    private static String shapeOf(MultiLayerNetwork network) {
        List<String> sizes = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            if (layer.conf().getLayer() instanceof FeedForwardLayer dense) {
                if (sizes.isEmpty()) {
                    sizes.add(String.valueOf(dense.getNIn()));
                }
                sizes.add(String.valueOf(dense.getNOut()));
            } else {
                sizes.add(layer.conf().getLayer().getClass().getSimpleName());
            }
        }
        return String.join("-", sizes);
    }
}
