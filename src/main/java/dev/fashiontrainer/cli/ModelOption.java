package dev.fashiontrainer.cli;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.ModelException;
import dev.fashiontrainer.model.NetworkShape;
import dev.fashiontrainer.model.SavedModel;
import picocli.CommandLine.Option;

/** The {@code --model} option of the commands that use a trained model (a picocli mixin). */
final class ModelOption {
    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A model.zip written by a training run (any Hadoop location); the class names come from"
                    + " the run.json beside it.")
    String location;

    /** @return the model, of any input width and classes */
    MultiLayerNetwork load(Configuration hadoop) {
        return SavedModel.load(new Path(location), hadoop);
    }

    /** @return the model, checked to take examples of {@code width} features */
    MultiLayerNetwork loadFor(Configuration hadoop, int width) {
        MultiLayerNetwork network = load(hadoop);
        List<Integer> widths = NetworkShape.widthsOf(network);
        if (widths.get(0) != width) {
            throw new ModelException(location + " is not a model for these data: expected layers " + width
                    + "-... (" + width + " features per example, as in the data), found "
                    + widths.stream().map(String::valueOf).collect(Collectors.joining("-")));
        }
        return network;
    }

    /** @return the classes of {@code network}, the output layer's width */
    static int classesOf(MultiLayerNetwork network) {
        List<Integer> widths = NetworkShape.widthsOf(network);
        return widths.get(widths.size() - 1);
    }

    /** @return the class names of the run that trained {@code network} */
    List<String> classNames(MultiLayerNetwork network, Configuration hadoop) {
        return SavedModel.classNames(new Path(location), hadoop, NetworkShape.widthsOf(network).get(0),
                classesOf(network));
    }

    /**
     * @param examples labelled examples read for the model
     * @param source where they were read from, for messages
     * @return them as examples of the model's classes
     * @throws DataException when a label is beyond the model's classes
     */
    static LabeledImages asClassesOf(MultiLayerNetwork network, LabeledImages examples, String source) {
        int classes = classesOf(network);
        if (examples.largestLabel() >= classes) {
            throw new DataException(source + ": expected labels 0-" + (classes - 1) + " (the model's " + classes
                    + " classes), found label " + examples.largestLabel());
        }
        return examples.withClasses(classes);
    }
}
