package dev.fashiontrainer.bench;

import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.RunOptions;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.FashionMnist;
import dev.fashiontrainer.data.LabeledImages;
import picocli.CommandLine;

/**
 * The trainer's own flags over its defaults from {@code conf/}, parsed by its own parser: every peer trains the
 * same network, batch size, seed, partitioning and averaging period as the trainer it is compared with.
 *
 * @param config the training settings
 * @param options where the data is
 */
record TrainerFlags(TrainingConfig config, RunOptions options) {

    /** @param args trainer flags, e.g. {@code --workers 2 --epochs 3} */
    static TrainerFlags parse(List<String> args) {
        String[] array = args.toArray(String[]::new);
        // --recipe decides the defaults the other flags are laid over, as in the trainer itself
        CommandLine commandLine = FashionTrainer.commandLine(FashionTrainer.recipeIn(array));
        commandLine.parseArgs(array);
        TrainCommand command = commandLine.getCommand();
        return new TrainerFlags(command.trainingConfig(), command.runOptions());
    }

    /** @return the training images, as many as {@code --train-limit} allows */
    LabeledImages train(FashionMnist data) {
        return config.trainLimit() > 0 ? data.train().head(config.trainLimit()) : data.train();
    }

    /** @return the test images, as many as {@code --test-limit} allows */
    LabeledImages test(FashionMnist data) {
        return config.testLimit() > 0 ? data.test().head(config.testLimit()) : data.test();
    }

    /** @return Fashion-MNIST, found where the trainer would find it (checksums not re-verified) */
    FashionMnist data() {
        return FashionMnist.read(dataDirectory(), new Configuration(), false);
    }

    /** @return the directory the trainer would read Fashion-MNIST from */
    Path dataDirectory() {
        return new DataLocator(new Configuration(), System.getenv(), options.downloadUrl(), System.err)
                .locate(options.data());
    }
}
