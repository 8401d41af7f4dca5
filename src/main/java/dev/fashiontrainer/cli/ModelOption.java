package dev.fashiontrainer.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.model.SavedModel;
import picocli.CommandLine.Option;

/** The {@code --model} option of the commands that use a trained model (a picocli mixin). */
final class ModelOption {
    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A model.zip written by a training run (any Hadoop location).")
    String location;

    /** @return the model, checked to be the seed's 784-512-512-10 network */
    MultiLayerNetwork load(Configuration hadoop) {
        return SavedModel.load(new Path(location), hadoop);
    }
}
