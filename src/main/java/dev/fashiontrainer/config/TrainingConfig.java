package dev.fashiontrainer.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import dev.fashiontrainer.data.Augmentation;
import dev.fashiontrainer.data.LabeledImages;

/**
 * Every setting that shapes the training: the hyperparameters the seed's lesson teaches (epochs, batch size,
 * learning rate), the network, and the settings distribution adds. Immutable and serializable, so workers receive
 * the very object the driver validated. Each component declares its setting once, with {@link Setting}: the
 * command line's flags, the estimator's params, the defaults' parsing and the builder derive from it
 * ({@link DeclaredSetting}). Defaults live in {@code conf/trainer.properties}; flags and params override them.
 * Built with {@link #defaults(String)} or {@link #toBuilder()}.
 */
public record TrainingConfig(
        @Setting(label = "N", min = 1, doc = "Passes over the training set.")
        int epochs,
        @Setting(label = "N", min = 1, doc = "Examples per local SGD step on each worker.")
        int batchSize,
        @Setting(label = "RATE", min = 0, minExclusive = true, doc = "The step size before any scaling, warm-up"
                + " or schedule.")
        double learningRate,
        @Setting(label = "N", min = 1, doc = "Partitions of the training set, one Spark task each.")
        int workers,
        @Setting(label = "N", doc = "Seeds initialization, shuffling and every per-epoch order.")
        long seed,
        @Setting(label = "WIDTHS", named = "auto", doc = "The network's widths in MLlib's sense: input width, hidden"
                + " widths, class count (e.g. 784,512,512,10), checked against the data; auto takes the data's width"
                + " and class count around --hidden-layers.")
        List<Integer> layers,
        @Setting(label = "WIDTHS", named = "none", doc = "The hidden layers' widths when --layers is auto (none: no"
                + " hidden layer).")
        List<Integer> hiddenLayers,
        @Setting(label = "NAME", doc = "The hidden layers' nonlinearity: relu, sigmoid (MLlib's"
                + " MultilayerPerceptronClassifier's) or tanh.")
        HiddenActivation activation,
        @Setting(param = false, flag = false, doc = "What the network predicts: classification (a softmax over the"
                + " classes) or regression (one linear output, mean squared error); the estimator's class decides.")
        TaskKind task,
        @Setting(label = "K", min = 0, named = "auto,half-workers", doc = "Average every K minibatches per worker;"
                + " 0 averages once per epoch; auto measures a minibatch's compute and a round's cost in epoch 1 and"
                + " then averages as often as keeps communication under --communication-share of the epoch, choosing"
                + " --reduction too (docs/scaling.md); half-workers averages workers/2 times per epoch (once for up"
                + " to 3 workers, 4 times for 8).")
        @JsonSerialize(using = NamedValueJson.Writer.class)
        @JsonDeserialize(using = NamedValueJson.IntReader.class)
        int averagingFrequency,
        @Setting(label = "NAME", doc = "How each averaging round's results reach the driver: direct (every worker's"
                + " to the driver), tree (summed in groups of about sqrt(N) on the executors first) or auto (direct"
                + " up to 16 workers); the sum's order is fixed either way (docs/scaling.md).")
        ReductionKind reduction,
        @Setting(label = "S", min = 0, max = 1, minExclusive = true, maxExclusive = true, doc = "With"
                + " --averaging-frequency auto: the share of the epoch that averaging rounds may take.")
        double communicationShare,
        @Setting(label = "NAME", doc = "Weight initialization: pytorch (nn.Linear's default, uniform"
                + " +-1/sqrt(fan_in)), he or xavier.")
        WeightInitKind init,
        @Setting(label = "NAME", doc = "cross-entropy (nn.CrossEntropyLoss), nll (nn.NLLLoss on log-softmax) or mse"
                + " (nn.MSELoss on softmax vs one-hot).")
        LossKind loss,
        @Setting(label = "NAME", doc = "sgd, nesterov (SGD with Nesterov momentum) or adam.")
        OptimizerKind optimizer,
        @Setting(label = "M", min = 0, max = 1, maxExclusive = true, doc = "Momentum for nesterov.")
        double momentum,
        @Setting(label = "M", min = 0, max = 1, maxExclusive = true, named = "auto", doc = "Momentum of the driver's"
                + " step between averagings (block momentum): the new model is the average plus M times the driver's"
                + " previous step. Makes up for the progress lost when many workers are averaged; 0 takes the plain"
                + " average, auto takes 1 - 1/N for N workers (0.875 for 8).")
        @JsonSerialize(using = NamedValueJson.Writer.class)
        @JsonDeserialize(using = NamedValueJson.DoubleReader.class)
        double blockMomentum,
        @Setting(label = "NAME", doc = "classic (the workers start from the driver's model) or nesterov (they start"
                + " from the average plus the momentum's next step; the driver keeps the average).")
        BlockMomentumKind blockMomentumKind,
        @Setting(doc = "Shuffle the training set (seeded) before partitioning it.")
        boolean shuffle,
        @Setting(doc = "Re-split the training set across the workers with a new seeded shuffle every epoch, so each"
                + " worker sees other examples (the executors exchange the examples through Spark's shuffle, not"
                + " through the driver).")
        boolean reshuffle,
        @Setting(doc = "Visit each worker's examples in a new seeded order every epoch, as PyTorch's"
                + " DataLoader(shuffle=True) does; unlike --reshuffle, no example moves between the workers"
                + " (--reshuffle reorders too). The lesson keeps one order.")
        boolean reorder,
        @Setting(label = "NAME", doc = "Grow the learning rate with --workers: none, linear (times N) or sqrt (times"
                + " sqrt(N)). Averaging N models that each took 1/N of the steps otherwise learns more slowly per"
                + " epoch.")
        ScalingKind learningRateScaling,
        @Setting(label = "N", min = 0, doc = "Ramp a scaled learning rate up from the unscaled one over N epochs.")
        int warmupEpochs,
        @Setting(label = "NAME", doc = "constant or cosine (decay to zero over the run).")
        ScheduleKind schedule,
        @Setting(label = "NAME", doc = "spark (our loop on Spark primitives) or dl4j (DL4J's"
                + " ParameterAveragingTrainingMaster; the Spark 3.5 build only).")
        EngineKind engine,
        @Setting(label = "NAME", doc = "How the spark engine's workers step: lean (our forward/backward/update on"
                + " preallocated arrays, every optimizer and loss), dl4j (DL4J's fit per minibatch) or auto (the"
                + " fastest that applies: lean).")
        LocalStepKind localStep,
        @Setting(label = "N", min = 0, max = LabeledImages.SIDE - 1, doc = "Move each training image by a random 0"
                + " to N pixels along each axis as the workers fill their minibatches (seeded); 0 never.")
        int shiftPixels,
        @Setting(doc = "Mirror a random half of the training images left to right (seeded).")
        boolean flip,
        @Setting(label = "S", min = 0, max = 1, maxExclusive = true, doc = "Train towards 1 - S + S/K for the true"
                + " class and S/K for the others (K classes) instead of one-hot labels.")
        double labelSmoothing,
        @Setting(label = "N", min = 0, param = false, doc = "Hold out training examples (a fraction below 1, or a"
                + " count) chosen with --seed, and report their accuracy each epoch: choose settings on them, not on"
                + " the test set. 0 trains on all.")
        double validationSplit,
        @Setting(label = "N", min = 0, doc = "Stop once N epochs in a row have not improved"
                + " --early-stopping-metric by --min-delta (0: train every epoch). Needs validation examples.")
        int earlyStoppingRounds,
        @Setting(label = "NAME", doc = "What early stopping and the best epoch are judged on: validation_loss or"
                + " validation_accuracy.")
        EarlyStoppingMetric earlyStoppingMetric,
        @Setting(label = "D", min = 0, doc = "The least change of --early-stopping-metric that counts as an"
                + " improvement (a loss, or a fraction of examples for the accuracy).")
        double minDelta,
        @Setting(label = "NAME", doc = "Which epoch's network is written and returned: best (by"
                + " --early-stopping-metric on the validation examples; the last epoch without them) or last.")
        KeptModel keepModel,
        @Setting(label = "TIME", named = "none", doc = "End training after the epoch during which this much time"
                + " has passed since the run started (e.g. 20m, 1h30m, 90s; a resumed run counts the epochs done"
                + " before), then write the outputs as a finished run.")
        @JsonSerialize(using = DurationText.Writer.class)
        @JsonDeserialize(using = DurationText.Reader.class)
        Duration maxTime,
        @Setting(label = "N", min = 0, param = false, doc = "Train on the first N examples only (0: all), for quick"
                + " trials.")
        int trainLimit,
        @Setting(label = "N", min = 0, param = false, doc = "Evaluate on the first N test examples only (0: all).")
        int testLimit,
        @Setting(label = "NAME", param = false, doc = "Preset of defaults: seed (the lesson's settings) or fast"
                + " (reaches ~90%% with several workers). Other flags override single settings.")
        String recipe) implements Serializable {
    /**
     * {@code --averaging-frequency auto}: the engine measures epoch 1's rounds and chooses the rounds per epoch and
     * the reduction path from them ({@code train/AveragingChoice}, docs/scaling.md).
     */
    public static final int AUTO_AVERAGING = -1;

    /**
     * {@code --averaging-frequency half-workers}: {@code workers / 2} averagings per epoch. With 8 workers, each
     * takes only 117 minibatches per epoch and the models drift apart between averagings; 4 rounds per epoch gained
     * 0.34 points of validation accuracy for 1.10x the epoch, while 2 workers gain nothing from more rounds
     * (docs/convergence.md). Until 2026-12-03 this was {@code auto}.
     */
    public static final int HALF_WORKERS_AVERAGING = -2;

    /**
     * @param recipe a recipe name ({@code seed} or {@code fast}), or null for the default one
     * @return a builder holding the defaults of {@code conf/trainer.properties} with that recipe laid over them,
     *     the same values the command line starts from
     * @throws ConfigException when the recipe does not exist or a default is not a valid value
     */
    public static Builder defaults(String recipe) {
        return new Builder().from(Defaults.load(recipe));
    }

    /** @return a builder holding these settings, to change some of them */
    public Builder toBuilder() {
        Builder builder = new Builder();
        for (DeclaredSetting setting : DeclaredSetting.ALL) {
            builder.values.put(setting.name(), setting.valueIn(this));
        }
        return builder;
    }

    /**
     * @return the block momentum training uses: the setting's number, or for {@code auto} (kept as NaN, so that a
     *     copy with other workers follows them) {@code 1 - 1/workers}: 0 for one worker, 0.5 for two, 0.875 for
     *     eight, as Chen and Huo recommend
     */
    public double effectiveBlockMomentum() {
        return Double.isNaN(blockMomentum) ? 1 - 1.0 / workers : blockMomentum;
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
     * @return minibatches per averaging round for that shard; with {@code auto}, whose rounds the engine plans,
     *     all of them (once per epoch)
     */
    public int batchesPerRound(int shardSize) {
        int batches = (shardSize + batchSize - 1) / batchSize;
        if (averagingFrequency == AUTO_AVERAGING) {
            return batches;
        }
        if (averagingFrequency == HALF_WORKERS_AVERAGING) {
            int rounds = Math.max(1, workers / 2);
            return (batches + rounds - 1) / rounds;
        }
        return averagingFrequency == 0 ? batches : Math.min(averagingFrequency, batches);
    }

    /**
     * Collects settings one at a time; each value is checked as it is set (naming the flag, what was expected and
     * what was found), and {@link #build()} checks how they combine.
     */
    public static final class Builder {
        /** How a setting's named value is spelled on the command line and in JSON. */
        static final String AUTO = "auto";
        /** How {@link #HALF_WORKERS_AVERAGING} is spelled. */
        static final String HALF_WORKERS = "half-workers";
        /** How a duration's named value, no limit, is spelled on the command line and in JSON. */
        static final String NONE = "none";

        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        /** Takes every setting from {@code defaults} (keys are the flags' names), each parsed strictly. */
        Builder from(Defaults defaults) {
            for (DeclaredSetting setting : DeclaredSetting.ALL) {
                String text = defaults.get(setting.key());
                if (text == null) {
                    throw new ConfigException(setting.flag() + " has no default; restore its line in"
                            + " conf/trainer.properties");
                }
                try {
                    values.put(setting.name(), setting.parse(text));
                } catch (ConfigException e) {
                    throw new ConfigException(e.getMessage() + " (the default in conf/)");
                }
            }
            return this;
        }

        /**
         * @param name the setting's name, as {@link TrainingConfig}'s component (and the estimator's param) has it
         * @param value a value of its type, or its spelling on the command line
         * @return this builder
         * @throws ConfigException naming the flag, what was expected and what was found
         * @throws IllegalArgumentException when no setting has that name
         */
        public Builder with(String name, Object value) {
            DeclaredSetting setting = DeclaredSetting.named(name);
            values.put(name, setting.check(value));
            return this;
        }

        /**
         * @return the settings
         * @throws ConfigException when two settings cannot be combined
         */
        public TrainingConfig build() {
            double validationSplit = (double) values.get("validationSplit");
            if (validationSplit >= 1 && validationSplit != Math.rint(validationSplit)) {
                throw new ConfigException("--validation-split must be a fraction in [0, 1) or a whole number of"
                        + " examples, found " + validationSplit);
            }
            @SuppressWarnings("unchecked")
            List<Integer> layers = (List<Integer>) values.get("layers");
            if (layers.size() == 1) {
                throw new ConfigException("--layers needs the input width and the class count at least (MLlib's"
                        + " meaning: input, hidden..., classes), found " + layers.get(0) + "; or give auto");
            }
            TrainingConfig config = DeclaredSetting.construct(values);
            EngineKind engine = config.engine();
            if (engine == EngineKind.DL4J && (config.reshuffle() || config.reorder())) {
                // DL4J's master orders the data on its own terms; refusing beats silently ignoring the flag.
                String flag = config.reshuffle() ? "reshuffle" : "reorder";
                throw new ConfigException("--" + flag + " is not supported by --engine dl4j; use --engine spark or"
                        + " --no-" + flag);
            }
            if (engine == EngineKind.DL4J && config.averagingFrequency() == AUTO_AVERAGING) {
                // the measured choice plans our engine's rounds; DL4J's master takes one fixed frequency
                throw new ConfigException("--averaging-frequency auto is not supported by --engine dl4j; use"
                        + " --engine spark, a number or half-workers");
            }
            if (engine == EngineKind.DL4J && config.effectiveBlockMomentum() > 0) {
                // DL4J's master replaces the model by the plain average; it has no step of its own to add to.
                throw new ConfigException("--block-momentum is not supported by --engine dl4j; use --engine"
                        + " spark or --block-momentum 0");
            }
            if (engine == EngineKind.DL4J && !config.augmentation().isNone()) {
                // DL4J's master fills its own minibatches, so the augmentation would silently not happen.
                throw new ConfigException("--shift-pixels, --flip and --label-smoothing are not supported by"
                        + " --engine dl4j; use --engine spark");
            }
            engine.requireAvailable();
            return config;
        }
    }
}
