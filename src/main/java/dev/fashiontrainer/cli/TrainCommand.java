package dev.fashiontrainer.cli;

import dev.fashiontrainer.ExitCodes;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;


import dev.fashiontrainer.spark.SparkApplication;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.DeclaredSetting;
import dev.fashiontrainer.config.ProgressMode;
import dev.fashiontrainer.config.RunOptions;
import dev.fashiontrainer.config.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fashion-trainer [flags]}: trains the seed's network on Fashion-MNIST across Spark executors; the
 * subcommands {@code evaluate} and {@code predict} use a trained {@code model.zip}.
 * Every default comes from {@code conf/trainer.properties} and the chosen recipe; flags override them.
 */
@Command(name = "fashion-trainer", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        subcommands = {EvaluateCommand.class, PredictCommand.class, ConvertCommand.class, ExportCommand.class,
                ServeCommand.class},
        description = {"Trains a dense network (by default 784-512-512-10 ReLU) on Fashion-MNIST with data-parallel SGD on Spark: "
                + "each worker runs local SGD on its partition, the parameters are averaged once per epoch "
                + "(or every --averaging-frequency minibatches), and the test set is evaluated on the executors.",
            ""},
        footer = ExitCodes.HELP)
public final class TrainCommand implements Callable<Integer> {
    /** A run id names exactly one directory under the runs root: never {@code ..}, never a path. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the training and test sets (file:, hdfs:, s3a:), each as Fashion-MNIST's"
                    + " IDX pair (.gz or plain, images of any size), as a Parquet data set train.parquet /"
                    + " test.parquet (features and label columns, or Fashion-MNIST's image and label; see 'convert'),"
                    + " or as LibSVM text train.libsvm / test.libsvm; the executors read the training set themselves."
                    + " Otherwise $FASHION_MNIST_DIR, data/fashion-mnist/, /usr/share/datasets/fashion-mnist/,"
                    + " else downloaded into data/fashion-mnist/.")
    String data;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Run directory (any Hadoop location), instead of --runs-root and --run-id."
                    + " Default: RUNS_ROOT/RUN_ID.")
    String output;

    @Option(names = "--runs-root", paramLabel = "DIR",
            description = "Where run directories are made (any Hadoop location). Default: ${DEFAULT-VALUE}.")
    String runsRoot;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Names the run directory under --runs-root, e.g. a scheduler's date: letters, digits, '.',"
                    + " '_' and '-', starting with a letter or digit. Default: a timestamp.")
    String runId;

    @Option(names = "--overwrite", negatable = true, fallbackValue = "true",
            description = "Train again even if the run directory holds a finished run (otherwise that is a no-op)."
                    + " Default: ${DEFAULT-VALUE}.")
    boolean overwrite;

    @Option(names = "--resume", negatable = true, fallbackValue = "true",
            description = "Continue an interrupted run from its last completed epoch when it has a checkpoint."
                    + " Default: ${DEFAULT-VALUE}.")
    boolean resume;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Save a checkpoint every N epochs (and after the last one); a rerun resumes from the"
                    + " latest. Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "K",
            description = "Keep the K latest checkpoints (the best epoch's weights are kept besides). Default:"
                    + " ${DEFAULT-VALUE}.")
    int keepCheckpoints;

    @Option(names = "--verify", negatable = true, fallbackValue = "true",
            description = "Check the data files against the published SHA-256 digests. Default: ${DEFAULT-VALUE}.")
    boolean verify;

    @Option(names = "--progress", paramLabel = "MODE",
            description = "How the console shows an epoch while its tasks run: bar (one line redrawn in place),"
                    + " lines (a line every --progress-interval seconds, for files and schedulers' logs), off, or"
                    + " auto (bar on a terminal, lines otherwise). Default: ${DEFAULT-VALUE}.")
    ProgressMode progress;

    @Option(names = "--progress-interval", paramLabel = "SECONDS",
            description = "Seconds between two progress lines. Default: ${DEFAULT-VALUE}.")
    int progressInterval;

    @Option(names = "--class-names", paramLabel = "NAME,...", split = ",",
            description = "The classes' names, by label (0, 1, ...), for data whose label column does not name them"
                    + " (its ML attribute metadata, a LibSVM file's labels do); their number must be the data's"
                    + " class count. Otherwise Fashion-MNIST's names for data of its shape, else the label numbers.")
    List<String> classNames;

    @Option(names = "--download-url", paramLabel = "URL",
            description = "Where to download Fashion-MNIST from when no copy is found. Default: ${DEFAULT-VALUE}.")
    URI downloadUrl;

    /**
     * Adds one option per training setting, as {@link DeclaredSetting} derives it: the flag, its placeholder, its
     * description, its type (a number, a choice, a switch with its {@code --no-} form, or text for lists and named
     * values such as {@code auto}). Their defaults come from the parser's default provider, as every option's do.
     *
     * @param spec the train command's spec
     */
    static void addSettingOptions(CommandSpec spec) {
        for (DeclaredSetting setting : DeclaredSetting.ALL) {
            if (!setting.isFlag()) {
                continue;
            }
            OptionSpec.Builder option = OptionSpec.builder(setting.flag())
                    .description(setting.doc() + " Default: ${DEFAULT-VALUE}.");
            Class<?> type = setting.type();
            if (type == boolean.class) {
                option.type(boolean.class).negatable(true).fallbackValue("true");
            } else {
                boolean text = setting.isList() || !setting.namedValue().isEmpty();
                option.type(text ? String.class : type).paramLabel(setting.label());
            }
            spec.addOption(option.build());
        }
    }

    /** @return the training settings the flags and defaults give, validated */
    public TrainingConfig trainingConfig() {
        TrainingConfig.Builder settings = TrainingConfig.defaults(spec.findOption("--recipe").getValue());
        for (DeclaredSetting setting : DeclaredSetting.ALL) {
            if (setting.isFlag()) {
                settings.with(setting.name(), spec.findOption(setting.flag()).getValue());
            }
        }
        return settings.build();
    }

    /**
     * @return where to read and write
     * @throws ConfigException when {@code --output} comes with {@code --run-id} or {@code --runs-root} (one of them
     *     would be ignored), or the run id could name anything but one directory under the runs root
     */
    public RunOptions runOptions() {
        if (output != null) {
            for (String ignored : new String[] {"--run-id", "--runs-root"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(ignored)) {
                    throw new ConfigException("--output names the run directory itself, so " + ignored + " would be"
                            + " ignored; pass either --output or --runs-root/--run-id");
                }
            }
            return new RunOptions(data, output, verify, downloadUrl, overwrite, resume, progress, progressInterval,
                    classNames, checkpointEvery, keepCheckpoints);
        }
        String id = runId != null ? runId
                : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (!RUN_ID.matcher(id).matches()) {
            throw new ConfigException("--run-id must match " + RUN_ID.pattern() + " (letters, digits, '.', '_',"
                    + " '-'; no '/', not starting with '.'), found '" + id + "'");
        }
        return new RunOptions(data, runsRoot.replaceAll("/+$", "") + "/" + id, verify, downloadUrl, overwrite,
                resume, progress, progressInterval, classNames, checkpointEvery, keepCheckpoints);
    }

    @Override
    public Integer call() {
        TrainingConfig config = trainingConfig();
        RunOptions options = runOptions();
        SparkApplication.run(config.workers(),
                spark -> new TrainingRun(spark, config, options, System.out, System.err).run());
        return ExitCodes.OK;
    }
}
