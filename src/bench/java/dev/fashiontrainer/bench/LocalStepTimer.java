package dev.fashiontrainer.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.NativeSettings;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.NetworkShape;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.train.Dl4jFitStep;
import dev.fashiontrainer.train.LeanStep;
import dev.fashiontrainer.train.LocalStep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Where one worker's time goes, on one thread: a half epoch (469 minibatches of 64) of the network's products alone,
 * of our lean SGD step, and of DL4J's {@code fit}, interleaved so that a busy machine slows all three alike.
 */
@Command(name = "local-step-timer", mixinStandardHelpOptions = true,
        description = "Times the matrix products, the lean step and DL4J's fit on one thread.")
public final class LocalStepTimer implements Callable<Integer> {
    @Option(names = "--repeats", description = "Timed repeats of each. Default: ${DEFAULT-VALUE}.")
    int repeats = 3;

    @Unmatched
    List<String> trainerArgs = new ArrayList<>();

    /** Runs the measurement; prints a result line. */
    public static void main(String[] args) {
        BenchmarkMain.exit(new LocalStepTimer(), args);
    }

    @Override
    public Integer call() {
        NativeSettings.applyToThisJvm();
        TrainerFlags flags = TrainerFlags.parse(trainerArgs);
        TrainingConfig config = flags.config();
        LabeledImages images = flags.train(flags.data());
        int batches = (int) Math.ceil((double) MatrixProducts.EPOCH_EXAMPLES / MatrixProducts.BATCH / 2);

        MatrixProducts products = new MatrixProducts(NetworkShape.of(config).layers(),
                MatrixProducts.Layout.AS_TRAINED);
        LocalStep lean = new LeanStep(NetworkFactory.create(config));
        LocalStep fit = new Dl4jFitStep(NetworkFactory.create(config));
        ParameterSnapshot start = ParameterSnapshot.of(lean.network());
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int r = -1; r < repeats; r++) { // r = -1 warms up
            record("products", seconds, r, () -> products.run(batches));
            record("lean_step", seconds, r, () -> steps(lean, start, config, images, batches));
            record("dl4j_fit", seconds, r, () -> steps(fit, start, config, images, batches));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("batches", batches);
        result.put("repeats", repeats);
        seconds.forEach((name, values) -> result.put(name + "_seconds", Results.median(values)));
        Results.emit(result);
        return 0;
    }

    private static void steps(LocalStep step, ParameterSnapshot start, TrainingConfig config, LabeledImages images,
                              int batches) {
        step.reset(start, config.learningRate());
        int size = config.batchSize();
        int fullBatches = images.size() / size; // a limited training set is cycled through
        for (int b = 0; b < batches; b++) {
            step.fit(images, null, (b % fullBatches) * size, size);
        }
    }

    private static void record(String name, Map<String, List<Double>> seconds, int repeat, Runnable work) {
        long begin = System.nanoTime();
        work.run();
        double elapsed = (System.nanoTime() - begin) / 1e9;
        if (repeat >= 0) {
            seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(elapsed);
        }
    }
}
