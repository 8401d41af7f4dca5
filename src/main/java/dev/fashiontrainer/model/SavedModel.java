package dev.fashiontrainer.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Loads a {@code model.zip} that a training run wrote (DL4J's {@code ModelSerializer} format, opened through
 * {@link ModelArchive}) and checks that it is the seed's network, 784-512-512-10, with finite parameters, before
 * anything is computed with it.
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
        if (!found.equals(expectedShape())) {
            throw new ModelException(location + " is not a model of this network: expected layers " + expectedShape()
                    + ", found " + found);
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

    private static String expectedShape() {
        return Arrays.stream(NetworkFactory.LAYER_SIZES).mapToObj(String::valueOf).collect(Collectors.joining("-"));
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
