package dev.fashiontrainer.model;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Loads a {@code model.zip} that a training run wrote (DL4J's {@link ModelSerializer} format) and checks that it
 * is the seed's network, 784-512-512-10, before anything is computed with it.
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
        MultiLayerNetwork network;
        try (InputStream in = location.getFileSystem(hadoop).open(location)) {
            network = ModelSerializer.restoreMultiLayerNetwork(in, false);
        } catch (FileNotFoundException e) {
            throw new ModelException(location + ": file not found; pass --model with a run's model.zip", e);
        } catch (IOException | RuntimeException e) {
            // DL4J reports a non-zip, a zip without its entries or a foreign configuration in many ways.
            throw new ModelException(location + " is not a model of this network: expected a DL4J model.zip of a"
                    + " " + expectedShape() + " network, found a file DL4J cannot read (" + e.getMessage() + ")", e);
        }
        String found = shapeOf(network);
        if (!found.equals(expectedShape())) {
            throw new ModelException(location + " is not a model of this network: expected layers " + expectedShape()
                    + ", found " + found);
        }
        return network;
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
