package dev.fashiontrainer.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.SavedModel;
import picocli.CommandLine.Option;

/** The {@code --model} option of the commands that use a trained model (a picocli mixin). */
final class ModelOption {
    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A model.zip written by a training run (any Hadoop location).")
    String location;

    /** @return the model, checked to take Fashion-MNIST's 28x28 images and give its 10 classes */
    MultiLayerNetwork load(Configuration hadoop) {
        return SavedModel.loadFor(new Path(location), hadoop, LabeledImages.PIXELS, LabeledImages.CLASSES);
    }
}
