package dev.fashiontrainer.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.HiddenActivation;
import dev.fashiontrainer.config.TaskKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;

/**
 * The network every part of the trainer builds, steps, evaluates and saves: dense layers of the given widths, the
 * hidden ones with one nonlinearity, a softmax output over the classes. Its widths are MLlib's {@code layers}:
 * the input width (features per example), the hidden widths, the class count.
 *
 * @param layers input width, hidden widths, class count
 * @param activation the hidden layers' nonlinearity
 */
public record NetworkShape(List<Integer> layers, HiddenActivation activation) implements Serializable {
    /** Checks that there are an input and an output. */
    public NetworkShape {
        if (layers.size() < 2) {
            throw new IllegalArgumentException("a network needs an input width and a class count, found " + layers);
        }
        layers = List.copyOf(layers);
    }

    /**
     * @param config settings whose {@code layers} are given, or {@code auto}
     * @return the network {@code config} names; with {@code auto} layers, Fashion-MNIST's input width (784) and
     *     classes (10) around the hidden layers: the default data's shape (other data resolve {@code auto} first,
     *     with {@link #resolve})
     */
    public static NetworkShape of(TrainingConfig config) {
        if (!config.layers().isEmpty()) {
            return new NetworkShape(config.layers(), config.activation());
        }
        return around(config, LabeledImages.PIXELS, config.task() == TaskKind.REGRESSION ? 1 : LabeledImages.CLASSES);
    }

    /**
     * The settings for training on examples of {@code width} features and {@code classes} classes: {@code auto}
     * layers become that width and class count around the hidden layers; given layers must match them.
     *
     * @param width features per example
     * @param classes the number of classes, or 1 (the one output) for regression
     * @return {@code config} with its layers spelled out
     * @throws ConfigException naming what the layers expected and what the data hold
     */
    public static TrainingConfig resolve(TrainingConfig config, int width, int classes) {
        List<Integer> layers = config.layers();
        if (layers.isEmpty()) {
            return config.toBuilder().with("layers", around(config, width, classes).layers()).build();
        }
        if (layers.get(0) != width) {
            throw new ConfigException("--layers starts with an input width of " + layers.get(0) + " but the features"
                    + " have " + width + " values; pass --layers " + width + ",... or --layers auto");
        }
        int outputs = layers.get(layers.size() - 1);
        if (outputs != classes) {
            throw new ConfigException(config.task() == TaskKind.REGRESSION
                    ? "--layers ends with " + outputs + " outputs but a regression has one; pass --layers ...,1"
                    : "--layers ends with " + outputs + " classes but the labels have " + classes + "; pass --layers"
                            + " ...," + classes + " or --layers auto");
        }
        return config;
    }

    private static NetworkShape around(TrainingConfig config, int width, int classes) {
        List<Integer> layers = new ArrayList<>();
        layers.add(width);
        layers.addAll(config.hiddenLayers());
        layers.add(classes);
        return new NetworkShape(layers, config.activation());
    }

    /** @return the widths of a network of dense layers: its input width, then every layer's output width */
    public static List<Integer> widthsOf(MultiLayerNetwork network) {
        List<Integer> widths = new ArrayList<>();
        for (int l = 0; l < network.getnLayers(); l++) {
            FeedForwardLayer dense = (FeedForwardLayer) network.getLayer(l).conf().getLayer();
            if (l == 0) {
                widths.add((int) dense.getNIn());
            }
            widths.add((int) dense.getNOut());
        }
        return widths;
    }

    /** @return features per example */
    public int inputWidth() {
        return layers.get(0);
    }

    /** @return the number of classes */
    public int classes() {
        return layers.get(layers.size() - 1);
    }

    /** @return the dense layers (one fewer than the widths) */
    public int denseLayers() {
        return layers.size() - 1;
    }

    /** @return weights and biases in all */
    public long parameters() {
        long count = 0;
        for (int l = 0; l < denseLayers(); l++) {
            count += (long) layers.get(l) * layers.get(l + 1) + layers.get(l + 1);
        }
        return count;
    }

    /** @return the widths joined by dashes, e.g. {@code 784-512-512-10} */
    @Override
    public String toString() {
        return layers.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }
}
