package dev.fashiontrainer.cli;

import dev.fashiontrainer.ExitCodes;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;


import dev.fashiontrainer.spark.SparkApplication;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.config.BlockMomentumKind;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.EngineKind;
import dev.fashiontrainer.config.HiddenActivation;
import dev.fashiontrainer.config.LocalStepKind;
import dev.fashiontrainer.config.LossKind;
import dev.fashiontrainer.config.OptimizerKind;
import dev.fashiontrainer.config.ProgressMode;
import dev.fashiontrainer.config.RunOptions;
import dev.fashiontrainer.config.ScalingKind;
import dev.fashiontrainer.config.ScheduleKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.config.WeightInitKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fashion-trainer [flags]}: trains the seed's network on Fashion-MNIST across Spark executors; the
 * subcommands {@code evaluate} and {@code predict} use a trained {@code model.zip}.
 * Every default comes from {@code conf/trainer.properties} and the chosen recipe; flags override them.
 */
@Command(name = "fashion-trainer", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        subcommands = {EvaluateCommand.class, PredictCommand.class, ConvertCommand.class},
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

    @Option(names = "--recipe", paramLabel = "NAME",
            description = "Preset of defaults: seed (the lesson's settings) or fast (reaches ~90%% with"
                    + " several workers). Other flags override single settings. Default: ${DEFAULT-VALUE}.")
    String recipe;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Examples per local SGD step on each worker. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--learning-rate", paramLabel = "RATE", description = "SGD step size. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--workers", paramLabel = "N",
            description = "Partitions of the training set, one Spark task each. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seeds initialization, shuffling and worker order. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--layers", paramLabel = "WIDTHS",
            description = "The network's widths in MLlib's sense: input width, hidden widths, class count (e.g."
                    + " 784,512,512,10), checked against the data; auto takes the data's width and class count around"
                    + " --hidden-layers. Default: ${DEFAULT-VALUE}.")
    String layers;

    @Option(names = "--hidden-layers", paramLabel = "WIDTHS",
            description = "The hidden layers' widths when --layers is auto (none: no hidden layer)."
                    + " Default: ${DEFAULT-VALUE}.")
    String hiddenLayers;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "The hidden layers' nonlinearity: relu, sigmoid (MLlib's MultilayerPerceptronClassifier's)"
                    + " or tanh. Default: ${DEFAULT-VALUE}.")
    HiddenActivation activation;

    @Option(names = "--averaging-frequency", paramLabel = "K",
            description = "Average every K minibatches per worker; 0 averages once per epoch; auto averages"
                    + " workers/2 times per epoch (once for up to 3 workers, 4 times for 8)."
                    + " Default: ${DEFAULT-VALUE}.")
    String averagingFrequency;

    @Option(names = "--engine", paramLabel = "NAME",
            description = "spark (our loop on Spark primitives) or dl4j (DL4J's ParameterAveragingTrainingMaster)."
                    + " Default: ${DEFAULT-VALUE}.")
    EngineKind engine;

    @Option(names = "--local-step", paramLabel = "NAME",
            description = "How the spark engine's workers step: lean (our forward/backward/update on preallocated"
                    + " arrays, every optimizer and loss), dl4j (DL4J's fit per minibatch) or auto (the fastest"
                    + " that applies: lean). Default: ${DEFAULT-VALUE}.")
    LocalStepKind localStep;

    @Option(names = "--init", paramLabel = "NAME",
            description = "Weight initialization: pytorch (nn.Linear's default, uniform +-1/sqrt(fan_in)), he or"
                    + " xavier. Default: ${DEFAULT-VALUE}.")
    WeightInitKind init;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "cross-entropy (nn.CrossEntropyLoss), nll (nn.NLLLoss on log-softmax) or mse (nn.MSELoss"
                    + " on softmax vs one-hot). Default: ${DEFAULT-VALUE}.")
    LossKind loss;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd, nesterov (SGD with Nesterov momentum) or adam. Default: ${DEFAULT-VALUE}.")
    OptimizerKind optimizer;

    @Option(names = "--momentum", paramLabel = "M", description = "Momentum for nesterov. Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--block-momentum", paramLabel = "M",
            description = "Momentum of the driver's step between averagings (block momentum): the new model is the"
                    + " average plus M times the driver's previous step. Makes up for the progress lost when many"
                    + " workers are averaged; 0 takes the plain average, auto takes 1 - 1/N for N workers (0.875 for"
                    + " 8). Default: ${DEFAULT-VALUE}.")
    String blockMomentum;

    @Option(names = "--block-momentum-kind", paramLabel = "NAME",
            description = "classic (the workers start from the driver's model) or nesterov (they start from the"
                    + " average plus the momentum's next step; the driver keeps the average). Default:"
                    + " ${DEFAULT-VALUE}.")
    BlockMomentumKind blockMomentumKind;

    @Option(names = "--shift-pixels", paramLabel = "N",
            description = "Move each training image by a random 0 to N pixels along each axis as the workers fill"
                    + " their minibatches (seeded); 0 never. Default: ${DEFAULT-VALUE}.")
    int shiftPixels;

    @Option(names = "--flip", negatable = true, fallbackValue = "true",
            description = "Mirror a random half of the training images left to right (seeded). Default:"
                    + " ${DEFAULT-VALUE}.")
    boolean flip;

    @Option(names = "--label-smoothing", paramLabel = "S",
            description = "Train towards 1 - S + S/10 for the true class and S/10 for the others instead of one-hot"
                    + " labels. Default: ${DEFAULT-VALUE}.")
    double labelSmoothing;

    @Option(names = "--validation-split", paramLabel = "N",
            description = "Hold out training examples (a fraction below 1, or a count) chosen with --seed, and report"
                    + " their accuracy each epoch: choose settings on them, not on the test set. 0 trains on all."
                    + " Default: ${DEFAULT-VALUE}.")
    double validationSplit;

    @Option(names = "--shuffle", negatable = true, fallbackValue = "true",
            description = "Shuffle the training set (seeded) before partitioning it. Default: ${DEFAULT-VALUE}.")
    boolean shuffle;

    @Option(names = "--reshuffle", negatable = true, fallbackValue = "true",
            description = "Re-split the training set across the workers with a new seeded shuffle every epoch, so"
                    + " each worker sees other examples (the executors exchange the examples through Spark's shuffle,"
                    + " not through the driver). Default: ${DEFAULT-VALUE}.")
    boolean reshuffle;

    @Option(names = "--reorder", negatable = true, fallbackValue = "true",
            description = "Visit each worker's examples in a new seeded order every epoch, as PyTorch's"
                    + " DataLoader(shuffle=True) does; unlike --reshuffle, no example moves between the workers"
                    + " (--reshuffle reorders too). The lesson keeps one order. Default: ${DEFAULT-VALUE}.")
    boolean reorder;

    @Option(names = "--learning-rate-scaling", paramLabel = "NAME",
            description = "Grow the learning rate with --workers: none, linear (times N) or sqrt (times sqrt(N))."
                    + " Averaging N models that each took 1/N of the steps otherwise learns more slowly per epoch."
                    + " Default: ${DEFAULT-VALUE}.")
    ScalingKind learningRateScaling;

    @Option(names = "--warmup-epochs", paramLabel = "N",
            description = "Ramp a scaled learning rate up from the unscaled one over N epochs. Default: ${DEFAULT-VALUE}.")
    int warmupEpochs;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "constant or cosine (decay to zero over the run). Default: ${DEFAULT-VALUE}.")
    ScheduleKind schedule;

    @Option(names = "--train-limit", paramLabel = "N",
            description = "Train on the first N examples only (0: all), for quick trials. Default: ${DEFAULT-VALUE}.")
    int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "Evaluate on the first N test examples only (0: all). Default: ${DEFAULT-VALUE}.")
    int testLimit;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the training and test sets (file:, hdfs:, s3a:), each as Fashion-MNIST's"
                    + " IDX pair (.gz or plain) or as a Parquet data set train.parquet / test.parquet (see"
                    + " 'convert'); the executors read the training set themselves. Otherwise $FASHION_MNIST_DIR, data/fashion-mnist/, /usr/share/datasets/fashion-mnist/,"
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

    @Option(names = "--download-url", paramLabel = "URL",
            description = "Where to download Fashion-MNIST from when no copy is found. Default: ${DEFAULT-VALUE}.")
    URI downloadUrl;

    /** @return the training settings the flags and defaults give, validated */
    public TrainingConfig trainingConfig() {
        return TrainingConfig.defaults(recipe).epochs(epochs).batchSize(batchSize).learningRate(learningRate)
                .workers(workers).seed(seed).layers(layers).hiddenLayers(hiddenLayers).activation(activation)
                .averagingFrequency(averagingFrequency).init(init).loss(loss)
                .optimizer(optimizer).momentum(momentum).blockMomentum(blockMomentum)
                .blockMomentumKind(blockMomentumKind).shuffle(shuffle).reshuffle(reshuffle).reorder(reorder)
                .learningRateScaling(learningRateScaling).warmupEpochs(warmupEpochs).schedule(schedule)
                .engine(engine).localStep(localStep).shiftPixels(shiftPixels).flip(flip)
                .labelSmoothing(labelSmoothing).validationSplit(validationSplit).trainLimit(trainLimit)
                .testLimit(testLimit).build();
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
            return new RunOptions(data, output, verify, downloadUrl, overwrite, resume, progress, progressInterval);
        }
        String id = runId != null ? runId
                : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (!RUN_ID.matcher(id).matches()) {
            throw new ConfigException("--run-id must match " + RUN_ID.pattern() + " (letters, digits, '.', '_',"
                    + " '-'; no '/', not starting with '.'), found '" + id + "'");
        }
        return new RunOptions(data, runsRoot.replaceAll("/+$", "") + "/" + id, verify, downloadUrl, overwrite,
                resume, progress, progressInterval);
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
