package dev.fashiontrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.RunOptions;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.DataDirectory;
import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.ClassNames;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.SetShape;
import dev.fashiontrainer.data.SplitPlan;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.data.TrainingSource;
import dev.fashiontrainer.epochs.EpochLoop;
import dev.fashiontrainer.epochs.LoopState;
import dev.fashiontrainer.epochs.StopReason;
import dev.fashiontrainer.epochs.StoppingRule;
import dev.fashiontrainer.eval.DistributedEvaluator;
import dev.fashiontrainer.eval.EvaluationResult;
import dev.fashiontrainer.eval.Prediction;
import dev.fashiontrainer.eval.Predictor;
import dev.fashiontrainer.export.RunExport;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.NetworkShape;
import dev.fashiontrainer.rundir.ActiveRun;
import dev.fashiontrainer.rundir.Checkpoint;
import dev.fashiontrainer.rundir.OutputException;
import dev.fashiontrainer.rundir.OutputWriteException;
import dev.fashiontrainer.rundir.Provenance;
import dev.fashiontrainer.rundir.RunLock;
import dev.fashiontrainer.rundir.SettingsDifference;
import dev.fashiontrainer.report.ConsoleReport;
import dev.fashiontrainer.report.DriverMemory;
import dev.fashiontrainer.report.EpochMetrics;
import dev.fashiontrainer.report.FinalEvaluation;
import dev.fashiontrainer.report.HtmlReport;
import dev.fashiontrainer.report.Json;
import dev.fashiontrainer.report.PredictionsCsv;
import dev.fashiontrainer.report.ProgressConsole;
import dev.fashiontrainer.progress.LiveProgress;
import dev.fashiontrainer.rundir.RunDirectory;
import dev.fashiontrainer.report.Versions;
import dev.fashiontrainer.train.DivergenceException;
import dev.fashiontrainer.train.TrainingEngine;

/**
 * One training run from data to outputs, in the order the data flows: find and check the data, split it across
 * the workers, then for every epoch train (local SGD, averaging) and evaluate on the test set, and finally write
 * the model and its provenance. Nothing that looks finished ({@code model.zip}, {@code _SUCCESS}) is written
 * before training has ended well.
 */
public final class TrainingRun {
    /** Name of the saved model, loadable with DL4J's {@code ModelSerializer}. */
    public static final String MODEL_FILE = "model.zip";
    /** Per-epoch metrics, a JSON array. */
    public static final String METRICS_FILE = "metrics.json";
    /** Settings, data digests, versions and the Spark master: what made this run. */
    public static final String MANIFEST_FILE = "run.json";
    /** The kept epoch's per-class metrics and confusion matrix. */
    public static final String EVALUATION_FILE = "evaluation.json";
    /** The final model's prediction for every test image, in {@link PredictionsCsv}'s format. */
    public static final String PREDICTIONS_FILE = "predictions.csv";
    /** A self-contained page with the curves, the confusion matrix and the settings. */
    public static final String REPORT_FILE = "report.html";

    private final JavaSparkContext spark;
    private final TrainingConfig config;
    private final RunOptions options;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param spark the application's context (its master decides where the work runs)
     * @param config validated training settings
     * @param options where to read and write
     * @param out where the seed-style log goes
     * @param err where notes and progress go
     */
    public TrainingRun(JavaSparkContext spark, TrainingConfig config, RunOptions options, PrintStream out,
                       PrintStream err) {
        this.spark = spark;
        this.config = config;
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the training, or continues it from its checkpoint, or does nothing when the run directory already holds
     * a run that finished with the same settings (unless {@code options.overwrite()}). Holds the run directory's
     * {@link RunLock} throughout.
     *
     * @return the final test evaluation, or empty when the run had already finished
     * @throws ConfigException when the directory holds a finished run or a checkpoint of other settings
     * @throws dev.fashiontrainer.rundir.OutputException when another process holds the run directory
     * @throws OutputWriteException when a file of the run directory cannot be written (a full disk), saying which
     *     epoch a rerun resumes from
     */
    public Optional<EvaluationResult> run() {
        RunDirectory outputs = RunDirectory.open(options.output(), spark.hadoopConfiguration());
        try (RunLock lock = RunLock.acquire(outputs, spark.sc().applicationId())) {
            return run(outputs, lock);
        } catch (OutputWriteException e) { // a full disk, a lost store: say what a rerun will do
            String advice = ActiveRun.rerunAdvice();
            throw advice.isEmpty() ? e : e.withAdvice(advice);
        } finally {
            ActiveRun.ended();
        }
    }

    private Optional<EvaluationResult> run(RunDirectory outputs, RunLock lock) {
        Configuration hadoop = spark.hadoopConfiguration();
        if (outputs.exists(RunDirectory.SUCCESS)) {
            if (!options.overwrite()) {
                requireSameSettingsAsFinished(outputs);
                err.println("Run " + outputs.path() + " already finished; nothing to do (pass --overwrite to train"
                        + " it again)");
                return Optional.empty();
            }
            err.println("Run " + outputs.path() + " already finished; --overwrite: training it again");
        }
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();

        // check the data: the training set stays where it is, for the executors to read; the driver keeps the test set
        DriverMemory.watch();
        Path dataDirectory = new DataLocator(hadoop, System.getenv(), options.downloadUrl(), err)
                .locate(options.data());
        DataDirectory data = new DataDirectory(spark, dataDirectory, options.verifyChecksums());
        TrainingSource train = data.training(config.trainLimit());
        LabeledImages testAsRead = data.test(config.testLimit());
        config.checkAgainst(train.size());
        if (testAsRead.size() == 0) {
            throw new DataException(data.directory() + ": the test set holds no images; every epoch is evaluated"
                    + " on it, so give a data set with test images");
        }
        String testSource = data.testName();
        List<String> classNames = ClassNames.decide(train.shape(), train.location(), SetShape.of(testAsRead),
                new Path(dataDirectory, testSource).toString(), options.classNames());
        LabeledImages test = testAsRead.withClasses(classNames.size());
        err.printf("Data: %d features per example, %d classes (%s)%n", test.width(), classNames.size(),
                String.join(", ", classNames));
        try {
            test.augmented(config.augmentation(), config.seed());
        } catch (IllegalArgumentException e) { // else every training task would fail with it
            throw new ConfigException("--shift-pixels and --flip: " + e.getMessage());
        }
        // the network's settings: auto layers spelled out for these data; the run's record keeps them as given
        TrainingConfig networkConfig = NetworkShape.resolve(config, test.width(), test.classes());
        NetworkShape network = NetworkShape.of(networkConfig);
        int held = config.validationCount(train.size());
        TrainingData trainingData;
        LabeledImages validation = null;
        if (held == 0) {
            trainingData = train.split(SplitPlan.of(train.size(), config), classNames.size());
            err.printf("Data: %s (%d training images, read by the executors from %s; %d test images)%n",
                    dataDirectory, train.size(), train.location(), test.size());
        } else {
            // the held-out sample is picked on the driver, so the driver reads the training set this once
            List<LabeledImages> parts = Partitioner.holdOut(
                    data.trainingOnDriver(config.trainLimit()).withClasses(classNames.size()), held, config.seed());
            validation = parts.get(1);
            trainingData = TrainingData.fromDriver(spark, parts.get(0), SplitPlan.of(parts.get(0).size(), config));
            err.printf("Data: %s (%d training images, %d of them held out for validation; %d test images)%n",
                    dataDirectory, train.size(), held, test.size());
        }

        // early stopping needs validation examples: said before any training
        StoppingRule stopping = StoppingRule.of(config, 0, validation != null,
                "pass --validation-split (a fraction such as 0.1, or a count of examples)");

        Map<String, String> versions = Versions.of(spark.version());
        Provenance provenance = Provenance.of(data.digests(), versions);
        Checkpoint checkpoint = options.resume() && !options.overwrite() ? Checkpoint.latest(outputs) : null;
        if (checkpoint == null) {
            clearEarlierOutputs(outputs);
        } else {
            checkpoint.checkResumableWith(outputs, config, provenance);
        }
        ActiveRun.started(checkpoint == null ? 1 : checkpoint.epoch() + 1, config.epochs(), lock);
        Map<String, Object> manifest = manifest(data, train, held, test.size(), outputs, started, versions);
        manifest.put("classes", classNames);
        manifest.put("network", Map.of("layers", network.layers(), "activation", network.activation(),
                "parameters", network.parameters()));
        outputs.writeText(MANIFEST_FILE, Json.write(manifest));

        // split across the workers on the executors, build the network (or take it from the checkpoint)
        MultiLayerNetwork model = NetworkFactory.create(networkConfig);
        LoopState start = LoopState.START;
        if (checkpoint != null) {
            checkpoint.restoreInto(outputs, model);
            start = checkpoint.loopState(outputs);
            err.println("Resuming from the checkpoint of epoch " + checkpoint.epoch() + " in " + outputs.path());
        }
        ConsoleReport report = new ConsoleReport(out, config.workers());
        ProgressConsole display = new ProgressConsole(
                options.progress().resolve(err == System.err && ProgressConsole.standardErrorIsTerminal()),
                options.progressInterval(), err, config.epochs(), train.size());
        EpochLoop.Outcome outcome;
        EvaluationResult finalEvaluation;
        long cachedTrainingBytes;
        Optional<Map<String, Object>> averagingChoice; // what --averaging-frequency auto chose, for run.json

        try (LiveProgress progress = new LiveProgress(spark.sc(), runName(outputs), config.epochs(), display);
             TrainingEngine engine = TrainingEngine.create(spark, networkConfig,
                     trainingData, progress);
             DistributedEvaluator evaluator = new DistributedEvaluator(spark, model.getLayerWiseConfigurations(), test,
                     config.workers());
             DistributedEvaluator validator = validation == null ? null
                     : new DistributedEvaluator(spark, model.getLayerWiseConfigurations(), validation,
                             config.workers())) {
            if (checkpoint != null) {
                engine.restoreCarriedState(checkpoint.engineState(outputs));
            }
            // the data goes into executor memory before the first epoch, so that every epoch's time is training
            long loadStart = System.nanoTime();
            spark.setJobDescription("loading the training and test sets into executor memory");
            String shardsBuilt = trainingData.load();
            evaluator.load();
            if (validator != null) {
                validator.load();
            }
            err.printf("Data: loaded in %.2f s: %s; the %d test images cached on the executors%n",
                    (System.nanoTime() - loadStart) / 1e9, shardsBuilt, test.size());
            RunEpochs epochs = new RunEpochs(report, display, progress, engine, err, lock, checkpoint,
                    (state, saved) -> {
                        outputs.writeText(METRICS_FILE, Json.write(state.metrics()));
                        return Checkpoint.save(outputs, saved, model, engine.carriedState(), config, provenance,
                                state, options.keepCheckpoints());
                    }, options.checkpointEvery());
            EpochLoop loop = new EpochLoop(spark, networkConfig, engine, validator, evaluator, stopping, epochs);
            try {
                outcome = loop.run(model, start, startedNanos);
            } catch (DivergenceException e) {
                int kept = epochs.lastCheckpoint();
                throw new DivergenceException(e.epoch(), e.getMessage() + "; " + (kept == 0
                        ? "no epoch was checkpointed, so there is no checkpoint"
                        : "the checkpoint of epoch " + kept + " is kept in " + outputs.path()));
            }
            // the kept epoch's test evaluation, evaluated again when an earlier attempt trained that epoch
            finalEvaluation = outcome.keptTest().orElseGet(() -> evaluator.evaluate(model));
            cachedTrainingBytes = epochs.cachedTrainingBytes();
            averagingChoice = epochs.averagingChoice();
        }
        if (outcome.reason() != StopReason.EPOCHS_DONE || outcome.keptEpoch() != outcome.metrics().size()) {
            report.note("Training " + outcome.explanation());
        }

        // outputs: the model, the final evaluation, provenance, and the success marker last
        report.finalEvaluation(finalEvaluation, classNames);
        FinalEvaluation evaluation = FinalEvaluation.of(outcome.keptEpoch(), finalEvaluation, classNames);
        Map<String, Object> memoryFigures = new LinkedHashMap<>();
        memoryFigures.put("driver", DriverMemory.figures());
        memoryFigures.put("executors_cached_training_bytes", cachedTrainingBytes);
        Map<String, Object> ending = new LinkedHashMap<>();
        ending.put("stop_reason", outcome.reason());
        ending.put("epochs_trained", outcome.metrics().size());
        ending.put("kept_epoch", outcome.keptEpoch());
        ending.put("explanation", outcome.explanation());
        List<EpochMetrics> metrics = outcome.metrics();
        ActiveRun.finish(() -> {
            lock.checkHeld();
            outputs.writeAtomically(MODEL_FILE, stream -> ModelSerializer.writeModel(model, stream, true));
            outputs.writeText(EVALUATION_FILE, Json.write(evaluation));
            outputs.writeText(METRICS_FILE, Json.write(metrics));
            manifest.put("finished", Instant.now().toString());
            manifest.put("training", ending);
            manifest.put("final_test_accuracy", finalEvaluation.accuracy());
            manifest.put("final_test_loss", finalEvaluation.averageLoss());
            manifest.put("memory", memoryFigures);
            averagingChoice.ifPresent(choice -> manifest.put("averaging_choice", choice));
            RunExport.writeBeside(outputs, model, test, classNames, manifest);
            outputs.writeText(MANIFEST_FILE, Json.write(manifest));
            writeResultsForPeople(outputs, model, testSource, test, metrics, evaluation, classNames, manifest);
            lock.checkHeld();
            outputs.markSuccess();
            Checkpoint.deleteAll(outputs);
        });
        report.note("Done! Outputs in " + outputs.path());
        return Optional.of(finalEvaluation);
    }

    /** @return the run's name in Spark's job descriptions: the run directory's last part (its run id) */
    private static String runName(RunDirectory outputs) {
        return outputs.path().getName();
    }

    /**
     * A finished run is a no-op for a retry with the same settings; with other settings the caller most likely
     * meant another run, and training nothing while exiting 0 would hide that.
     */
    private void requireSameSettingsAsFinished(RunDirectory outputs) {
        JsonNode finished;
        try {
            finished = Json.mapper().readTree(outputs.readText(MANIFEST_FILE)).get("settings");
        } catch (IOException e) {
            throw new OutputException(outputs.path() + ": finished, but its " + MANIFEST_FILE + " is unreadable ("
                    + e.getMessage() + "); pass --overwrite to train it again", e);
        }
        List<String> differences = SettingsDifference.between(finished, config);
        if (!differences.isEmpty()) {
            throw new ConfigException("run " + outputs.path() + " already finished with other settings ("
                    + String.join("; ", differences) + "); pass --overwrite to train it again with these, or use"
                    + " another --run-id");
        }
    }

    /**
     * A run that starts from scratch first removes what an earlier run left, the success marker first: a new run
     * that fails must not leave an old model looking like its own.
     */
    private static void clearEarlierOutputs(RunDirectory outputs) {
        for (String name : List.of(RunDirectory.SUCCESS, MODEL_FILE, RunExport.FILE, EVALUATION_FILE,
                PREDICTIONS_FILE, REPORT_FILE, METRICS_FILE, MANIFEST_FILE)) {
            outputs.delete(name);
        }
        Checkpoint.deleteAll(outputs);
    }

    /** The test set's predictions (notebooks show the mistakes from them) and the report page. */
    private static void writeResultsForPeople(RunDirectory outputs, MultiLayerNetwork model, String testSource,
                                              LabeledImages test, List<EpochMetrics> metrics,
                                              FinalEvaluation evaluation, List<String> classNames,
                                              Map<String, Object> manifest) {
        List<Prediction> predictions = Predictor.predict(model, test);
        outputs.writeAtomically(PREDICTIONS_FILE,
                stream -> PredictionsCsv.write(stream, testSource, test, predictions, classNames));
        outputs.writeText(REPORT_FILE, HtmlReport.render(manifest, metrics, evaluation));
    }

    private Map<String, Object> manifest(DataDirectory data, TrainingSource train, int validationSize, int testSize,
                                         RunDirectory outputs, Instant started, Map<String, String> versions) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("started", started.toString());
        manifest.put("settings", config);
        manifest.put("options", options);
        Map<String, Object> dataInfo = new LinkedHashMap<>();
        dataInfo.put("directory", data.directory().toString());
        dataInfo.put("training_set", train.location());
        dataInfo.put("training_examples", train.size() - validationSize);
        dataInfo.put("validation_examples", validationSize);
        dataInfo.put("test_examples", testSize);
        dataInfo.put("sha256", data.digests());
        manifest.put("data", dataInfo);
        manifest.put("spark_master", spark.master());
        manifest.put("spark_application_id", spark.sc().applicationId());
        manifest.put("versions", versions);
        manifest.put("output", outputs.path().toString());
        return manifest;
    }
}
