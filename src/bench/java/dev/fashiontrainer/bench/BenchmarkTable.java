package dev.fashiontrainer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.fashiontrainer.model.NetworkShape;

/**
 * Collects the benchmark's measurements and writes them as one Markdown table with the ratios issue 6 asks for.
 * Times per epoch are training only (our trainer's per-epoch test evaluation is not in them); the end-to-end row
 * includes everything.
 */
final class BenchmarkTable {
    private static final int TARGET_EPOCH = 3;
    /** Minibatches per worker in the run that measures an averaging round's own cost. */
    static final int ROUND_BATCHES = 10;

    private final int workers;
    private final NetworkShape network;
    private final String started;
    private final String loadAtStart;
    private final Map<Integer, Map<String, Object>> bounds = new TreeMap<>();
    private final Map<Integer, List<TrainerRun>> trainerRuns = new TreeMap<>();
    private TrainerRun round;
    private Map<String, Object> steps;
    private Map<String, Object> dl4j;
    private Map<String, Object> mllib;
    private final Map<Integer, TrainerRun> scaled = new TreeMap<>();
    private TrainerRun fast;
    private double raceTarget;
    private TorchRun torch;
    private final List<Map<String, Object>> tabular = new ArrayList<>();

    /**
     * @param workers workers of the main comparison
     * @param network the network measured
     * @param started when the benchmark started (UTC)
     * @param loadAtStart the machine's load average then
     */
    BenchmarkTable(int workers, NetworkShape network, String started, String loadAtStart) {
        this.workers = workers;
        this.network = network;
        this.started = started;
        this.loadAtStart = loadAtStart;
    }

    void bound(int loops, Map<String, Object> result) {
        bounds.put(loops, result);
    }

    void steps(Map<String, Object> result) {
        steps = result;
    }

    void trainer(int runWorkers, TrainerRun run) {
        trainerRuns.computeIfAbsent(runWorkers, k -> new ArrayList<>()).add(run);
    }

    void round(TrainerRun run) {
        round = run;
    }

    void fast(TrainerRun run, double target) {
        fast = run;
        raceTarget = target;
    }

    void torch(TorchRun run) {
        torch = run;
    }

    void dl4j(Map<String, Object> result) {
        dl4j = result;
    }

    void scaled(int factor, TrainerRun run) {
        scaled.put(factor, run);
    }

    void mllib(Map<String, Object> result) {
        mllib = result;
    }

    void tabular(Map<String, Object> result) {
        tabular.add(result);
    }

    /** @return our test accuracy after 3 epochs with the main number of workers (median over repeats) */
    double targetAccuracy() {
        return medianOf(trainerRuns.get(workers), r -> r.accuracyAfter(TARGET_EPOCH));
    }

    /** @return the end-to-end wall time of our main run (median over repeats) */
    double wallSeconds() {
        return medianOf(trainerRuns.get(workers), TrainerRun::wallSeconds);
    }

    /** @return the table, with the machine and the load averages at start and end */
    String markdown(String loadAtEnd) {
        List<TrainerRun> main = trainerRuns.get(workers);
        List<TrainerRun> single = trainerRuns.get(1);
        long examples = main.get(0).trainingExamples();
        // no DL4J peer on the Spark 4 build (DL4J's Spark module is Scala 2.12 only)
        List<Double> dl4jEpochs = dl4j == null ? List.of(Double.NaN) : Results.numbers(dl4j.get("epoch_seconds"));
        double dl4jSteady = Results.median(dl4jEpochs.subList(Math.min(1, dl4jEpochs.size() - 1), dl4jEpochs.size()));
        int epochs = main.get(0).metrics().size();
        int runs = main.size();

        StringBuilder md = header(loadAtEnd);
        boundRows(md);
        row(md, "1", f("one worker's %d minibatches, one thread", ((Number) steps.get("batches")).intValue()),
                f("products %.2f s, lean step %.2f s, DL4J fit %.2f s", number(steps, "products_seconds"),
                        number(steps, "lean_step_seconds"), number(steps, "dl4j_fit_seconds")),
                f("where a worker's time goes; median of %d interleaved repeats",
                        ((Number) steps.get("repeats")).intValue()));
        trainerRows(md, workers, main);
        trainerRows(md, 1, single);
        row(md, "2", f("this trainer, %d workers, an epoch of %d minibatches per worker", workers, ROUND_BATCHES),
                f("%.2f s", round.steadySeconds()),
                "an averaging round with almost no compute: broadcast, task launch, tree reduction, applying the"
                        + " average; median of epochs 2-" + round.metrics().size());
        row(md, "2", f("`submit/local.sh --epochs %d --workers %d`, end to end", epochs, workers),
                f("**%.1f s** wall", wallSeconds()),
                f("JVM and Spark start, data read and checksums, %d test evaluations; test accuracy %.1f%% after"
                        + " %d epochs, %.1f%% after %d (%s)", epochs, 100 * targetAccuracy(), TARGET_EPOCH,
                        100 * medianOf(main, r -> r.accuracyAfter(epochs)), epochs, repeats(runs)));
        if (dl4j == null) {
            row(md, "3", "DL4J `ParameterAveragingTrainingMaster`", "n/a",
                    "DL4J's Spark module exists for Scala 2.12 only: the Spark 3.5 build measures it");
        } else {
            row(md, "3", f("DL4J `ParameterAveragingTrainingMaster`, defaults, %d workers", workers),
                    f("**%.1f s/epoch**, %.0f examples/s; first epoch %.1f s", dl4jSteady, examples / dl4jSteady,
                            dl4jEpochs.get(0)),
                    f("Export approach, default threads and helpers, same shards, batch, averaging once per epoch;"
                            + " median of epochs 2-%d of 1 run; test accuracy after %d: %.1f%%", dl4jEpochs.size(),
                            dl4jEpochs.size(), 100 * number(dl4j, "test_accuracy")));
        }
        mllibRow(md, main);
        double ratioMllib = mllibRatio(main);
        double ours = medianOf(main, TrainerRun::steadySeconds);
        row(md, "5", "ratios",
                f("this trainer / bound **%.2f**; DL4J default / this trainer **%.1f**; MLlib / this trainer %s",
                        boundRatio(), dl4jSteady / ours,
                        Double.isNaN(ratioMllib) ? "n/a" : (mllibReached() ? "" : "> ") + f("**%.0f**", ratioMllib)),
                f("targets: at most 1.25 and at least 3; 1 worker / 1-loop bound %.2f", singleBoundRatio()));
        fastRows(md, main);
        scaleRows(md);
        return md.toString();
    }

    /** @return only the data-scale rows, with the machine and the load averages */
    String scaleMarkdown(String loadAtEnd) {
        StringBuilder md = header(loadAtEnd);
        scaleRows(md);
        return md.toString();
    }

    /** @return only the bound's rows and this trainer's seed-recipe rows, with their ratio (--trainer-only) */
    String trainerMarkdown(String loadAtEnd) {
        StringBuilder md = header(loadAtEnd);
        boundRows(md);
        trainerRows(md, workers, trainerRuns.get(workers));
        trainerRows(md, 1, trainerRuns.get(1));
        row(md, "5", "ratio", f("this trainer / bound **%.2f**", boundRatio()),
                f("target: at most 1.25; 1 worker / 1-loop bound %.2f", singleBoundRatio()));
        return md.toString();
    }

    /**
     * @return MLlib's perceptron against this trainer's estimator on each generated tabular set
     *     (--mlpc-peer-only): the time each needed to our test accuracy
     */
    String tabularMarkdown(String loadAtEnd) {
        StringBuilder md = header(loadAtEnd, "Data: generated tabular sets (QuadraticClassRows, MlpcDropInTest's)");
        for (Map<String, Object> set : tabular) {
            String data = f("%,d training rows x %d columns, %d classes (%,d held out), layers %s",
                    ((Number) set.get("train_rows")).intValue(), ((Number) set.get("columns")).intValue(),
                    ((Number) set.get("classes")).intValue(), ((Number) set.get("test_rows")).intValue(),
                    set.get("layers"));
            double ours = number(set, "ours_seconds");
            double target = number(set, "ours_accuracy");
            row(md, "8", "this trainer's estimator, " + data,
                    f("**%.1f s** to %.1f%% (%s epochs)", ours, 100 * target, set.get("max_iter")),
                    f("`DistributedMlpClassifier` with MLlib's setter calls (setLayers, setMaxIter(%s),"
                                    + " setBlockSize(%s), setStepSize(%s), setSeed(11)): solver %s, %s hidden layer, %s"
                                    + " workers, %s; the fit's wall time, the features standardized beforehand",
                            set.get("max_iter"), set.get("block_size"), set.get("step_size"), set.get("ours_solver"),
                            set.get("ours_activation"), set.get("ours_workers"), set.get("spark_master")));
            List<?> checkpoints = (List<?>) set.get("checkpoints");
            Map<?, ?> last = (Map<?, ?>) checkpoints.get(checkpoints.size() - 1);
            double theirs = ((Number) last.get("seconds")).doubleValue();
            boolean reached = ((Number) last.get("test_accuracy")).doubleValue() >= target;
            row(md, "8", "MLlib `MultilayerPerceptronClassifier`, " + data,
                    reached ? f("**%.1f s** to %.1f%% (maxIter %s): **%.1fx** ours", theirs,
                            100 * ((Number) last.get("test_accuracy")).doubleValue(), last.get("max_iter"),
                            theirs / ours)
                            : f("did not reach %.1f%%: its best **%.1f%%** in %.1f s (maxIter %s); the last fit"
                                    + " %.1f%% in %.1f s (maxIter %s, %s iterations run)", 100 * target,
                                    100 * number(best(checkpoints), "test_accuracy"),
                                    number(best(checkpoints), "seconds"), best(checkpoints).get("max_iter"),
                                    100 * ((Number) last.get("test_accuracy")).doubleValue(), theirs,
                                    last.get("max_iter"), last.get("iterations")),
                    f("the same setter calls; its L-BFGS, sigmoid hidden layer, BLAS %s; trained from scratch with"
                                    + " 1, 2, 4, ... iterations until it reaches our accuracy, converges (tol) or its"
                                    + " next fit would pass %.0f s: %s", set.get("blas"), number(set, "budget_seconds"),
                            trail(checkpoints, 1)));
        }
        return md.toString();
    }

    /** @return the checkpoint of MLlib's perceptron with the highest test accuracy */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> best(List<?> checkpoints) {
        Map<String, Object> best = null;
        for (Object o : checkpoints) {
            Map<String, Object> c = (Map<String, Object>) o;
            if (best == null || number(c, "test_accuracy") > number(best, "test_accuracy")) {
                best = c;
            }
        }
        return best;
    }

    /** The machine and the network measured, the load averages, and the table's head. */
    private StringBuilder header(String loadAtEnd) {
        return header(loadAtEnd, f("Network %s, %s hidden layers, %,d parameters", network,
                network.activation().cliName(), network.parameters()));
    }

    /** The machine and what was measured, the load averages, and the table's head. */
    private StringBuilder header(String loadAtEnd, String measured) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Machine: %s, %d cores, OPENBLAS_CORETYPE=%s, Java %s. %s. Run %s"
                        + " UTC; load average (1, 5, 15 min) %s at start, %s at end.%n%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getenv("OPENBLAS_CORETYPE"),
                System.getProperty("java.version"), measured, started, loadAtStart, loadAtEnd));
        md.append("| part | measurement | result | how |\n| --- | --- | --- | --- |\n");
        return md;
    }

    /** MLlib's checkpoints as {@code 1 it: 19 s, 16.0%; 2 it: ...}, seconds to {@code decimals} places. */
    private static String trail(List<?> checkpoints, int decimals) {
        StringBuilder trail = new StringBuilder();
        for (Object o : checkpoints) {
            Map<?, ?> c = (Map<?, ?>) o;
            trail.append(f("%s it: %." + decimals + "f s, %.1f%%; ", c.get("max_iter"),
                    ((Number) c.get("seconds")).doubleValue(),
                    100 * ((Number) c.get("test_accuracy")).doubleValue()));
        }
        return trail.toString().trim();
    }

    private void boundRows(StringBuilder md) {
        for (Map.Entry<Integer, Map<String, Object>> b : bounds.entrySet()) {
            Map<String, Object> r = b.getValue();
            row(md, "1", "bound, " + b.getKey() + " concurrent single-threaded loop(s)",
                    f("**%.2f s/epoch** (%.0f GFLOP/s aggregate)", number(r, "bound_seconds"),
                            number(r, "best_gflops")),
                    f("the %d products of a step, %.3g flop/epoch; best of %d repeats of 2 layouts, %s fastest"
                            + " (its median %.0f GFLOP/s)", ((Number) r.get("products")).intValue(),
                            number(r, "flops_per_epoch"), ((Number) r.get("repeats")).intValue(), r.get("layout"),
                            number(r, "median_gflops")));
        }
    }

    /** @return our steady epoch with the main number of workers over the bound of as many loops */
    private double boundRatio() {
        List<TrainerRun> main = trainerRuns.get(workers);
        return medianOf(main, TrainerRun::steadySeconds) / boundFor(workers, main.get(0).trainingExamples());
    }

    /** @return our steady epoch with one worker over the one-loop bound */
    private double singleBoundRatio() {
        List<TrainerRun> single = trainerRuns.get(1);
        return medianOf(single, TrainerRun::steadySeconds) / boundFor(1, single.get(0).trainingExamples());
    }

    /** Examples per second and the driver's memory for 1x and k-times the training set, one row each. */
    private void scaleRows(StringBuilder md) {
        for (Map.Entry<Integer, TrainerRun> entry : scaled.entrySet()) {
            TrainerRun run = entry.getValue();
            Map<?, ?> memory = (Map<?, ?>) run.manifest().get("memory");
            Map<?, ?> driver = (Map<?, ?>) memory.get("driver");
            List<Map<String, Object>> epochs = run.metrics();
            row(md, "7", f("this trainer, %d workers, %dx the training set (%,d examples, plain IDX)", workers,
                            entry.getKey(), run.trainingExamples()),
                    f("**%.0f examples/s** (epoch %d); epoch 1 %.0f examples/s", number(epochs.get(epochs.size() - 1),
                                    "examples_per_second"), epochs.size(), number(epochs.get(0),
                                    "examples_per_second")),
                    f("epoch 1 includes the executors' reading and routing of the data; driver: heap peak %.0f MB"
                                    + " (in use after a collection: at most %.0f MB), RSS peak %.0f MB; executors"
                                    + " cache %.0f MB",
                            ((Number) driver.get("heap_peak_bytes")).doubleValue() / 1e6,
                            ((Number) driver.get("heap_live_peak_bytes")).doubleValue() / 1e6,
                            driver.get("rss_peak_bytes") instanceof Number n ? n.doubleValue() / 1e6 : Double.NaN,
                            ((Number) memory.get("executors_cached_training_bytes")).doubleValue() / 1e6));
        }
    }

    /**
     * The fast recipe's steady epoch beside the seed recipe's (both training plus evaluation, epochs 3 on), its
     * evaluation and reshuffle shares, and the race to the target accuracy against the PyTorch peer.
     */
    private void fastRows(StringBuilder md, List<TrainerRun> seedRuns) {
        int from = Math.min(3, fast.metrics().size());
        int last = fast.metrics().size();
        double fastEpoch = fast.median("seconds", from);
        double seedEpoch = medianOf(seedRuns, r -> r.median("seconds", from));
        double evaluation = fast.median("evaluation_seconds", from);
        double reshuffle = fast.median("reshuffle_seconds", from);
        row(md, "6", f("this trainer `--recipe fast`, %d workers, steady epoch", workers),
                f("**%.2f s/epoch** (evaluation %.3f s, reshuffle %.2f s = %.0f%%); seed recipe %.2f s/epoch"
                                + " (evaluation %.3f s)", fastEpoch, evaluation, reshuffle, 100 * reshuffle / fastEpoch,
                        seedEpoch, medianOf(seedRuns, r -> r.median("evaluation_seconds", from))),
                f("median of epochs %d-%d, training plus test evaluation (metrics.json `seconds`); the settings of"
                        + " conf/recipes/fast.properties; with `--reshuffle`, the new split of each epoch is built on"
                        + " the executors before its first round (`reshuffle_seconds`)", from, last));
        int reached = fast.firstEpochReaching(raceTarget);
        String ours = reached == 0 ? f("did not reach %.0f%% in %d epochs", 100 * raceTarget, last)
                : f("**%.1f s** of epochs (%d epochs), %.1f s end to end", fast.secondsUntil(reached), reached,
                        fast.epochEnds().get(reached - 1));
        row(md, "6", f("time to %.0f%% test accuracy: this trainer `--recipe fast`, %d workers", 100 * raceTarget,
                workers), ours, "sum of the epochs' seconds (training plus test evaluation) until the first epoch at"
                + " the target; end to end: from the launcher's start (JVM, Spark, data read and checksums) to that"
                + " epoch's last line");
        String theirs;
        String how;
        double ratio = Double.NaN;
        if (torch.skipped() != null) {
            theirs = "skipped";
            how = torch.skipped();
        } else {
            int torchReached = torch.reachedEpoch();
            int ran = torch.epochs().size();
            theirs = torchReached == 0 ? f("did not reach %.0f%% in %d epochs", 100 * raceTarget, ran)
                    : f("**%.1f s** of epochs (%d epochs), %.1f s end to end", torch.secondsUntil(torchReached),
                            torchReached, torch.endToEndUntil(torchReached));
            if (torchReached > 0 && reached > 0) {
                ratio = fast.secondsUntil(reached) / torch.secondsUntil(torchReached);
            }
            how = f("PyTorch %s, one process, %d thread(s) (the fastest of 1-%d, %.1f s of calibration left out),"
                            + " seed network, Adam 1e-3, batch 64, data preloaded as tensors, reshuffled every epoch;"
                            + " median epoch %.2f s (training plus test)", torch.result().get("torch"),
                    (int) torch.number("threads"), Runtime.getRuntime().availableProcessors(),
                    torch.number("calibration_seconds"), torch.medianEpochSeconds());
        }
        row(md, "6", f("time to %.0f%% test accuracy: PyTorch peer (`submit/torch_peer.py`)", 100 * raceTarget),
                theirs, how);
        row(md, "6", "ratios (issue 14)",
                f("fast / seed recipe epoch **%.2f**; time to %.0f%%, this trainer / PyTorch **%s**; evaluation"
                                + " **%.3f s/epoch**", fastEpoch / seedEpoch, 100 * raceTarget,
                        Double.isNaN(ratio) ? "n/a" : f("%.2f", ratio), evaluation),
                "targets: at most 1.3, at most 0.5, at most 0.1 s");
    }

    private void trainerRows(StringBuilder md, int runWorkers, List<TrainerRun> runs) {
        double steady = medianOf(runs, TrainerRun::steadySeconds);
        double first = medianOf(runs, r -> r.trainSeconds().get(0));
        long examples = runs.get(0).trainingExamples();
        row(md, "2", f("this trainer, %d worker(s), steady state", runWorkers),
                f("**%.2f s/epoch**, %.0f examples/s", steady, examples / steady),
                f("training time of epochs 2-%d (evaluation excluded), median (fastest %.2f s); %s",
                        runs.get(0).metrics().size(), medianOf(runs, r -> Collections.min(r.trainSeconds())),
                        repeats(runs.size())));
        row(md, "2", f("this trainer, %d worker(s), first epoch", runWorkers),
                f("%.2f s (%+.2f s over steady)", first, first - steady),
                "Spark jobs' first tasks, JIT and native warm-up (the data is loaded before the first epoch)");
    }

    private void mllibRow(StringBuilder md, List<TrainerRun> main) {
        List<?> checkpoints = (List<?>) mllib.get("checkpoints");
        String result;
        Map<?, ?> last = (Map<?, ?>) checkpoints.get(checkpoints.size() - 1);
        if (mllibReached()) {
            result = f("**%.0f s** to reach %.1f%% (maxIter %s)", ((Number) last.get("seconds")).doubleValue(),
                    100 * targetAccuracy(), last.get("max_iter"));
        } else {
            Map<?, ?> within = withinBudget(checkpoints);
            result = within == null
                    ? f("did not reach %.1f%%; its first checkpoint already took longer than our %.0f s",
                            100 * targetAccuracy(), wallSeconds())
                    : f("did not reach %.1f%%; **%.1f%%** within our %.0f s wall time", 100 * targetAccuracy(),
                            100 * ((Number) within.get("test_accuracy")).doubleValue(), wallSeconds());
        }
        row(md, "4", "MLlib `MultilayerPerceptronClassifier` " + network, result,
                f("sigmoid hidden layers, L-BFGS, block 128, %d partitions, BLAS %s; trained from scratch per"
                        + " checkpoint, training time only: %s", workers, mllib.get("blas"), trail(checkpoints, 0)));
    }

    private boolean mllibReached() {
        List<?> checkpoints = (List<?>) mllib.get("checkpoints");
        Map<?, ?> last = (Map<?, ?>) checkpoints.get(checkpoints.size() - 1);
        return ((Number) last.get("test_accuracy")).doubleValue() >= targetAccuracy();
    }

    /** MLlib's time to our 3-epoch accuracy over ours (a lower bound when it never got there), or NaN. */
    private double mllibRatio(List<TrainerRun> main) {
        List<?> checkpoints = (List<?>) mllib.get("checkpoints");
        Map<?, ?> last = (Map<?, ?>) checkpoints.get(checkpoints.size() - 1);
        return ((Number) last.get("seconds")).doubleValue() / medianOf(main, r -> r.secondsUntil(TARGET_EPOCH));
    }

    private Map<?, ?> withinBudget(List<?> checkpoints) {
        Map<?, ?> within = null;
        for (Object o : checkpoints) {
            Map<?, ?> c = (Map<?, ?>) o;
            if (((Number) c.get("seconds")).doubleValue() <= wallSeconds()) {
                within = c;
            }
        }
        return within;
    }

    /** The bound for an epoch of {@code examples} (the measured one is for 60,000). */
    private double boundFor(int loops, long examples) {
        return number(bounds.get(loops), "bound_seconds") * examples / MatrixProducts.EPOCH_EXAMPLES;
    }

    private static String repeats(int runs) {
        return runs + (runs == 1 ? " run" : " runs, median of their medians");
    }

    private static void row(StringBuilder md, String part, String what, String result, String how) {
        md.append("| ").append(part).append(" | ").append(what).append(" | ").append(result).append(" | ")
                .append(how).append(" |\n");
    }

    private static double medianOf(List<TrainerRun> runs, java.util.function.ToDoubleFunction<TrainerRun> value) {
        List<Double> values = new ArrayList<>();
        for (TrainerRun run : runs) {
            values.add(value.applyAsDouble(run));
        }
        return Results.median(values);
    }

    private static double number(Map<String, Object> values, String key) {
        return ((Number) values.get(key)).doubleValue();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
