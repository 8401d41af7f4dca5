package dev.fashiontrainer.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import dev.fashiontrainer.data.Augmentation;
import dev.fashiontrainer.data.LabeledImages;

/**
 * Every setting that shapes the training: the hyperparameters the seed's lesson teaches (epochs, batch size,
 * learning rate) and the ones distribution adds. Immutable and serializable, so workers receive the very object the
 * driver validated. Defaults live in {@code conf/trainer.properties}; flags override them. Built with
 * {@link #defaults(String)} or {@link #toBuilder()}, whose setters check each value as it is set.
 *
 * @param epochs passes over the training set
 * @param batchSize examples per local SGD step
 * @param learningRate the step size before any scaling, warm-up or schedule
 * @param workers partitions of the training set, each trained by one Spark task
 * @param seed seeds initialization, the shuffle and every per-epoch order
 * @param layers the network's widths in MLlib's sense: input width, hidden widths, class count; empty for
 *     {@code auto}: the data's width and class count around {@code hiddenLayers}
 * @param hiddenLayers the hidden layers' widths when {@code layers} is {@code auto}
 * @param activation the hidden layers' nonlinearity
 * @param averagingFrequency minibatches per worker between two averagings; 0 averages once per epoch;
 *     {@link #AUTO_AVERAGING} averages {@code workers / 2} times per epoch (once for up to 3 workers)
 * @param init weight initialization
 * @param loss loss function
 * @param optimizer optimizer of the local steps
 * @param momentum momentum of {@link OptimizerKind#NESTEROV}
 * @param blockMomentum momentum of the driver's step from one average to the next (0: the plain average)
 * @param blockMomentumKind where the workers of the next round start when there is block momentum
 * @param shuffle shuffle the training set once before partitioning it
 * @param reshuffle re-split the training set across the workers with a new seeded shuffle every epoch
 * @param reorder visit each worker's examples in a new seeded order every epoch, without moving any between
 *     workers (implied by {@code reshuffle})
 * @param learningRateScaling how the learning rate grows with the number of workers
 * @param warmupEpochs epochs over which a scaled learning rate ramps up from the unscaled one (at most epochs - 1)
 * @param schedule how the learning rate changes after warm-up
 * @param engine which implementation trains
 * @param localStep how the Spark engine's workers compute a minibatch step
 * @param shiftPixels move each training image by up to this many pixels along each axis (0: never)
 * @param flip mirror half of the training images left to right
 * @param labelSmoothing weight moved from the true class's target to the uniform distribution (0: one-hot)
 * @param validationSplit training examples held out to choose settings on: a fraction below 1, a count from 1,
 *                        0 for none
 * @param trainLimit use only the first N training examples (0: all), for quick runs
 * @param testLimit use only the first N test examples (0: all)
 * @param recipe the preset the defaults came from ({@code seed} or {@code fast})
 */
public record TrainingConfig(
        int epochs,
        int batchSize,
        double learningRate,
        int workers,
        long seed,
        List<Integer> layers,
        List<Integer> hiddenLayers,
        HiddenActivation activation,
        @JsonSerialize(using = AveragingFrequencyJson.Writer.class)
        @JsonDeserialize(using = AveragingFrequencyJson.Reader.class) int averagingFrequency,
        WeightInitKind init,
        LossKind loss,
        OptimizerKind optimizer,
        double momentum,
        double blockMomentum,
        BlockMomentumKind blockMomentumKind,
        boolean shuffle,
        boolean reshuffle,
        boolean reorder,
        ScalingKind learningRateScaling,
        int warmupEpochs,
        ScheduleKind schedule,
        EngineKind engine,
        LocalStepKind localStep,
        int shiftPixels,
        boolean flip,
        double labelSmoothing,
        double validationSplit,
        int trainLimit,
        int testLimit,
        String recipe) implements Serializable {
    /**
     * {@code --averaging-frequency auto}: {@code workers / 2} averagings per epoch. With 8 workers, each takes only
     * 117 minibatches per epoch and the models drift apart between averagings; 4 rounds per epoch gained 0.34 points
     * of validation accuracy for 1.10x the epoch, while 2 workers gain nothing from more rounds
     * (docs/convergence.md).
     */
    public static final int AUTO_AVERAGING = -1;

    /**
     * @param recipe a recipe name ({@code seed} or {@code fast}), or null for the default one
     * @return a builder holding the defaults of {@code conf/trainer.properties} with that recipe laid over them,
     *     the same values the command line starts from
     * @throws ConfigException when the recipe does not exist
     */
    public static Builder defaults(String recipe) {
        return new Builder().from(Defaults.load(recipe));
    }

    /** @return a builder holding these settings, to change some of them */
    public Builder toBuilder() {
        return new Builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate).workers(workers)
                .seed(seed).layers(layers).hiddenLayers(hiddenLayers).activation(activation)
                .averagingFrequency(averagingFrequency).init(init).loss(loss).optimizer(optimizer)
                .momentum(momentum).blockMomentum(blockMomentum).blockMomentumKind(blockMomentumKind).shuffle(shuffle)
                .reshuffle(reshuffle).reorder(reorder).learningRateScaling(learningRateScaling)
                .warmupEpochs(warmupEpochs).schedule(schedule).engine(engine).localStep(localStep)
                .shiftPixels(shiftPixels).flip(flip).labelSmoothing(labelSmoothing).validationSplit(validationSplit)
                .trainLimit(trainLimit).testLimit(testLimit).recipe(recipe);
    }

    /**
     * @return whether the workers use the lean step: {@code lean} and {@code auto} (it covers every optimizer and
     *         loss the trainer offers), not {@code dl4j}
     */
    public boolean usesLeanStep() {
        return localStep != LocalStepKind.DL4J;
    }

    /** @return how the workers' minibatches present the training images and labels */
    public Augmentation augmentation() {
        return new Augmentation(shiftPixels, flip, labelSmoothing);
    }

    /**
     * @param trainingExamples examples in the (possibly limited) training set
     * @return how many of them {@link #validationSplit()} holds out
     */
    public int validationCount(int trainingExamples) {
        return validationSplit < 1 ? (int) Math.round(validationSplit * trainingExamples) : (int) validationSplit;
    }

    /**
     * Checks the settings against the data they will train on.
     *
     * @param trainingExamples examples in the (possibly limited) training set, validation examples included
     * @throws ConfigException when the validation split leaves nothing to train on, or there are more workers,
     *     or more examples per minibatch, than examples left for training
     */
    public void checkAgainst(int trainingExamples) {
        int held = validationCount(trainingExamples);
        if (held >= trainingExamples) {
            throw new ConfigException("--validation-split holds out " + held + " of the "
                    + trainingExamples + " training examples, leaving none to train on; hold out fewer");
        }
        trainingExamples -= held;
        if (workers > trainingExamples) {
            throw new ConfigException("--workers " + workers + " is more than the " + trainingExamples
                    + " training examples; every worker needs at least one");
        }
        if (batchSize > trainingExamples) {
            // a larger minibatch would only be the whole set again, and its arrays would be sized by the flag
            throw new ConfigException("--batch-size " + batchSize + " is more than the " + trainingExamples
                    + " training examples; pass at most " + trainingExamples);
        }
    }

    /**
     * The learning rate of one epoch: the base rate, scaled by the number of workers when asked, ramped up
     * linearly over the warm-up epochs, then kept constant or decayed along half a cosine.
     *
     * @param epoch 1-based epoch number
     * @return the rate the local steps of that epoch use
     */
    public double learningRateAt(int epoch) {
        double peak = learningRate * learningRateScaling.factor(workers);
        int warmup = Math.min(warmupEpochs, epochs - 1); // a short run still gets epochs at the full rate
        if (epoch <= warmup) {
            return learningRate + (peak - learningRate) * (epoch - 1) / warmup;
        }
        if (schedule == ScheduleKind.COSINE) {
            double progress = (double) (epoch - 1 - warmup) / (epochs - warmup);
            return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
        return peak;
    }

    /**
     * @param shardSize examples in a worker's shard
     * @return minibatches per averaging round for that shard
     */
    public int batchesPerRound(int shardSize) {
        int batches = (shardSize + batchSize - 1) / batchSize;
        if (averagingFrequency == AUTO_AVERAGING) {
            int rounds = Math.max(1, workers / 2);
            return (batches + rounds - 1) / rounds;
        }
        return averagingFrequency == 0 ? batches : Math.min(averagingFrequency, batches);
    }

    /**
     * Collects settings one at a time; each setter checks its own value (naming the flag, what was expected and
     * what was found) and {@link #build()} checks how they combine.
     */
    public static final class Builder {
        /** How a setting's named value is spelled on the command line and in JSON. */
        static final String AUTO = "auto";

        private int epochs;
        private int batchSize;
        private double learningRate;
        private int workers;
        private long seed;
        private List<Integer> layers;
        private List<Integer> hiddenLayers;
        private HiddenActivation activation;
        private int averagingFrequency;
        private WeightInitKind init;
        private LossKind loss;
        private OptimizerKind optimizer;
        private double momentum;
        // NaN: "auto", resolved by build() from the number of workers
        private double blockMomentum;
        private BlockMomentumKind blockMomentumKind;
        private boolean shuffle;
        private boolean reshuffle;
        private boolean reorder;
        private ScalingKind learningRateScaling;
        private int warmupEpochs;
        private ScheduleKind schedule;
        private EngineKind engine;
        private LocalStepKind localStep;
        private int shiftPixels;
        private boolean flip;
        private double labelSmoothing;
        private double validationSplit;
        private int trainLimit;
        private int testLimit;
        private String recipe;

        private Builder() {
        }

        /** Takes every setting from {@code defaults} (keys are the flags' names). */
        Builder from(Defaults defaults) {
            return epochs(integer(defaults, "epochs")).batchSize(integer(defaults, "batch-size"))
                    .learningRate(number(defaults, "learning-rate")).workers(integer(defaults, "workers"))
                    .seed(Long.parseLong(text(defaults, "seed")))
                    .layers(text(defaults, "layers")).hiddenLayers(text(defaults, "hidden-layers"))
                    .activation(choice(defaults, "activation", HiddenActivation.class))
                    .averagingFrequency(text(defaults, "averaging-frequency"))
                    .init(choice(defaults, "init", WeightInitKind.class))
                    .loss(choice(defaults, "loss", LossKind.class))
                    .optimizer(choice(defaults, "optimizer", OptimizerKind.class))
                    .momentum(number(defaults, "momentum")).blockMomentum(text(defaults, "block-momentum"))
                    .blockMomentumKind(choice(defaults, "block-momentum-kind", BlockMomentumKind.class))
                    .shuffle(bool(defaults, "shuffle")).reshuffle(bool(defaults, "reshuffle"))
                    .reorder(bool(defaults, "reorder"))
                    .learningRateScaling(choice(defaults, "learning-rate-scaling", ScalingKind.class))
                    .warmupEpochs(integer(defaults, "warmup-epochs"))
                    .schedule(choice(defaults, "schedule", ScheduleKind.class))
                    .engine(choice(defaults, "engine", EngineKind.class))
                    .localStep(choice(defaults, "local-step", LocalStepKind.class))
                    .shiftPixels(integer(defaults, "shift-pixels")).flip(bool(defaults, "flip"))
                    .labelSmoothing(number(defaults, "label-smoothing"))
                    .validationSplit(number(defaults, "validation-split"))
                    .trainLimit(integer(defaults, "train-limit")).testLimit(integer(defaults, "test-limit"))
                    .recipe(text(defaults, "recipe"));
        }

        /** @param value passes over the training set, positive */
        public Builder epochs(int value) {
            this.epochs = positive("--epochs", value);
            return this;
        }

        /** @param value examples per local step, positive */
        public Builder batchSize(int value) {
            this.batchSize = positive("--batch-size", value);
            return this;
        }

        /** @param value the step size before scaling, warm-up and schedule, positive and finite */
        public Builder learningRate(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new ConfigException("--learning-rate must be a positive number, found " + value);
            }
            this.learningRate = value;
            return this;
        }

        /** @param value partitions of the training set, positive */
        public Builder workers(int value) {
            this.workers = positive("--workers", value);
            return this;
        }

        /** @param value seeds initialization, the shuffle and every per-epoch order */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param value the network's widths in MLlib's sense (input width, hidden widths, class count), at least
         *     two, each positive; empty for {@code auto}
         */
        public Builder layers(List<Integer> value) {
            if (value.size() == 1) {
                throw new ConfigException("--layers needs the input width and the class count at least (MLlib's"
                        + " meaning: input, hidden..., classes), found " + value.get(0) + "; or give auto");
            }
            this.layers = widths("--layers", value);
            return this;
        }

        /** @param value comma-separated widths, e.g. {@code 784,512,512,10}, or {@code auto} */
        public Builder layers(String value) {
            return layers(AUTO.equals(value.trim()) ? List.of() : parseWidths("--layers", value));
        }

        /** @param value the hidden layers' widths, each positive; empty for a network with no hidden layer */
        public Builder hiddenLayers(List<Integer> value) {
            this.hiddenLayers = widths("--hidden-layers", value);
            return this;
        }

        /** @param value comma-separated widths, e.g. {@code 512,512}; {@code none} for no hidden layer */
        public Builder hiddenLayers(String value) {
            return hiddenLayers("none".equals(value.trim()) ? List.of() : parseWidths("--hidden-layers", value));
        }

        /** @param value the hidden layers' nonlinearity */
        public Builder activation(HiddenActivation value) {
            this.activation = required("--activation", value);
            return this;
        }

        /**
         * @param value minibatches per worker between two averagings, 0 for once per epoch, or
         *     {@link TrainingConfig#AUTO_AVERAGING}
         */
        public Builder averagingFrequency(int value) {
            if (value < 0 && value != AUTO_AVERAGING) {
                throw new ConfigException("--averaging-frequency must be 0 (once per epoch), a positive number"
                        + " of minibatches or auto, found " + value);
            }
            this.averagingFrequency = value;
            return this;
        }

        /** @param value minibatches per worker between two averagings, 0 for once per epoch, or {@code auto} */
        public Builder averagingFrequency(String value) {
            if (AUTO.equals(value)) {
                return averagingFrequency(AUTO_AVERAGING);
            }
            try {
                int minibatches = Integer.parseInt(value);
                if (minibatches >= 0) { // auto is spelled out, never given as its sentinel
                    return averagingFrequency(minibatches);
                }
            } catch (NumberFormatException e) {
                // reported below, as a negative number is
            }
            throw new ConfigException("--averaging-frequency must be 0 (once per epoch), a positive number of"
                    + " minibatches or auto, found '" + value + "'");
        }

        /** @param value weight initialization */
        public Builder init(WeightInitKind value) {
            this.init = required("--init", value);
            return this;
        }

        /** @param value loss function */
        public Builder loss(LossKind value) {
            this.loss = required("--loss", value);
            return this;
        }

        /** @param value optimizer of the local steps */
        public Builder optimizer(OptimizerKind value) {
            this.optimizer = required("--optimizer", value);
            return this;
        }

        /** @param value Nesterov momentum, in [0, 1) */
        public Builder momentum(double value) {
            this.momentum = fraction("--momentum", value);
            return this;
        }

        /** @param value momentum of the driver's step between averagings, in [0, 1) */
        public Builder blockMomentum(double value) {
            this.blockMomentum = fraction("--block-momentum", value);
            return this;
        }

        /**
         * @param value a momentum in [0, 1), or {@code auto}: {@code 1 - 1/workers} (0 for one worker, 0.5 for
         *     two, 0.875 for eight), the block momentum Chen and Huo recommend for N workers and the best of those
         *     measured with 8 workers (docs/convergence.md)
         */
        public Builder blockMomentum(String value) {
            if (AUTO.equals(value)) {
                this.blockMomentum = Double.NaN;
                return this;
            }
            try {
                return blockMomentum(Double.parseDouble(value));
            } catch (NumberFormatException e) {
                throw new ConfigException("--block-momentum must be a number in [0, 1) or auto, found '" + value
                        + "'");
            }
        }

        /** @param value where the workers of the next round start when there is block momentum */
        public Builder blockMomentumKind(BlockMomentumKind value) {
            this.blockMomentumKind = required("--block-momentum-kind", value);
            return this;
        }

        /** @param value shuffle the training set once before partitioning it */
        public Builder shuffle(boolean value) {
            this.shuffle = value;
            return this;
        }

        /** @param value re-split the training set with a new seeded shuffle every epoch */
        public Builder reshuffle(boolean value) {
            this.reshuffle = value;
            return this;
        }

        /** @param value visit each worker's examples in a new seeded order every epoch, moving none */
        public Builder reorder(boolean value) {
            this.reorder = value;
            return this;
        }

        /** @param value how the learning rate grows with the number of workers */
        public Builder learningRateScaling(ScalingKind value) {
            this.learningRateScaling = required("--learning-rate-scaling", value);
            return this;
        }

        /** @param value epochs of warm-up, 0 or more */
        public Builder warmupEpochs(int value) {
            if (value < 0) {
                throw new ConfigException("--warmup-epochs must be 0 or positive, found " + value);
            }
            this.warmupEpochs = value;
            return this;
        }

        /** @param value how the learning rate changes after warm-up */
        public Builder schedule(ScheduleKind value) {
            this.schedule = required("--schedule", value);
            return this;
        }

        /** @param value which implementation trains */
        public Builder engine(EngineKind value) {
            this.engine = required("--engine", value);
            return this;
        }

        /** @param value how the Spark engine's workers compute a step */
        public Builder localStep(LocalStepKind value) {
            this.localStep = required("--local-step", value);
            return this;
        }

        /** @param value largest shift of a training image along each axis, 0 to 27 pixels */
        public Builder shiftPixels(int value) {
            if (value < 0 || value >= LabeledImages.SIDE) {
                throw new ConfigException("--shift-pixels must be 0 (no shifts) to " + (LabeledImages.SIDE - 1)
                        + ", found " + value);
            }
            this.shiftPixels = value;
            return this;
        }

        /** @param value mirror half of the training images left to right */
        public Builder flip(boolean value) {
            this.flip = value;
            return this;
        }

        /** @param value label smoothing, in [0, 1) */
        public Builder labelSmoothing(double value) {
            this.labelSmoothing = fraction("--label-smoothing", value);
            return this;
        }

        /** @param value a fraction in [0, 1) or a whole count of training examples to hold out */
        public Builder validationSplit(double value) {
            if (!(value >= 0) || Double.isInfinite(value) || value >= 1 && value != Math.rint(value)) {
                throw new ConfigException("--validation-split must be a fraction in [0, 1) or a whole number of"
                        + " examples, found " + value);
            }
            this.validationSplit = value;
            return this;
        }

        /** @param value train on the first N examples only, 0 for all */
        public Builder trainLimit(int value) {
            this.trainLimit = limit("--train-limit", value);
            return this;
        }

        /** @param value evaluate on the first N test examples only, 0 for all */
        public Builder testLimit(int value) {
            this.testLimit = limit("--test-limit", value);
            return this;
        }

        /** @param value the preset the defaults came from */
        public Builder recipe(String value) {
            this.recipe = required("--recipe", value);
            return this;
        }

        /**
         * @return the settings
         * @throws ConfigException when a setting is missing or two settings cannot be combined
         */
        public TrainingConfig build() {
            // the settings with no valid zero value, in case a builder never set them
            epochs(epochs).batchSize(batchSize).workers(workers).learningRate(learningRate);
            double blockMomentum = Double.isNaN(this.blockMomentum) ? 1 - 1.0 / workers : this.blockMomentum;
            TrainingConfig config = new TrainingConfig(epochs, batchSize, learningRate, workers, seed,
                    required("--layers", layers), required("--hidden-layers", hiddenLayers),
                    required("--activation", activation), averagingFrequency, required("--init", init), required("--loss", loss),
                    required("--optimizer", optimizer), momentum, blockMomentum,
                    required("--block-momentum-kind", blockMomentumKind), shuffle, reshuffle, reorder,
                    required("--learning-rate-scaling", learningRateScaling), warmupEpochs,
                    required("--schedule", schedule), required("--engine", engine),
                    required("--local-step", localStep), shiftPixels, flip, labelSmoothing, validationSplit,
                    trainLimit, testLimit, required("--recipe", recipe));
            if (engine == EngineKind.DL4J && (reshuffle || reorder)) {
                // DL4J's master orders the data on its own terms; refusing beats silently ignoring the flag.
                String flag = reshuffle ? "reshuffle" : "reorder";
                throw new ConfigException("--" + flag + " is not supported by --engine dl4j; use --engine spark or"
                        + " --no-" + flag);
            }
            if (engine == EngineKind.DL4J && blockMomentum > 0) {
                // DL4J's master replaces the model by the plain average; it has no step of its own to add to.
                throw new ConfigException("--block-momentum is not supported by --engine dl4j; use --engine"
                        + " spark or --block-momentum 0");
            }
            if (engine == EngineKind.DL4J && !config.augmentation().isNone()) {
                // DL4J's master fills its own minibatches, so the augmentation would silently not happen.
                throw new ConfigException("--shift-pixels, --flip and --label-smoothing are not supported by"
                        + " --engine dl4j; use --engine spark");
            }
            return config;
        }

        private static int positive(String flag, int value) {
            if (value <= 0) {
                throw new ConfigException(flag + " must be a positive whole number, found " + value);
            }
            return value;
        }

        private static List<Integer> widths(String flag, List<Integer> value) {
            for (int width : required(flag, value)) {
                if (width < 1) {
                    throw new ConfigException(flag + " takes positive layer widths, found " + value);
                }
            }
            return List.copyOf(value);
        }

        private static List<Integer> parseWidths(String flag, String text) {
            List<Integer> widths = new ArrayList<>();
            for (String part : text.split(",")) {
                try {
                    widths.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new ConfigException(flag + " takes comma-separated whole numbers such as 784,512,512,10,"
                            + " found '" + text + "'");
                }
            }
            return widths(flag, widths);
        }

        private static int limit(String flag, int value) {
            if (value < 0) {
                throw new ConfigException(flag + " must be 0 (all) or positive, found " + value);
            }
            return value;
        }

        private static double fraction(String flag, double value) {
            if (!(value >= 0 && value < 1)) {
                throw new ConfigException(flag + " must be in [0, 1), found " + value);
            }
            return value;
        }

        private static <T> T required(String flag, T value) {
            if (value == null) {
                throw new ConfigException(flag + " has no value; give one or restore its line in"
                        + " conf/trainer.properties");
            }
            return value;
        }

        private static String text(Defaults defaults, String key) {
            return required("--" + key, defaults.get(key)).trim();
        }

        private static int integer(Defaults defaults, String key) {
            try {
                return Integer.parseInt(text(defaults, key));
            } catch (NumberFormatException e) {
                throw new ConfigException("--" + key + " default must be a whole number, found '"
                        + defaults.get(key) + "' in conf/");
            }
        }

        private static double number(Defaults defaults, String key) {
            try {
                return Double.parseDouble(text(defaults, key));
            } catch (NumberFormatException e) {
                throw new ConfigException("--" + key + " default must be a number, found '" + defaults.get(key)
                        + "' in conf/");
            }
        }

        private static boolean bool(Defaults defaults, String key) {
            return Boolean.parseBoolean(text(defaults, key));
        }

        private static <E extends Enum<E> & Choice> E choice(Defaults defaults, String key, Class<E> type) {
            return Choice.parse(type, text(defaults, key));
        }
    }
}
