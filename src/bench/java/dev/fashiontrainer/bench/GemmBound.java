package dev.fashiontrainer.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;

import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.model.NativeSettings;
import dev.fashiontrainer.model.NetworkShape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The matrix-multiply bound: {@code --loops} threads (as many as training runs tasks) each run the products of a
 * minibatch step of the network the trainer flags name ({@link MatrixProducts}), single-threaded, for their share of an epoch's minibatches, all at once, in both storage
 * layouts. The bound is one epoch's products divided by the best aggregate throughput seen. Run it in a JVM whose
 * environment picks the BLAS kernels (submit/native-env.sh): OpenBLAS reads {@code OPENBLAS_CORETYPE} only when it
 * loads.
 */
@Command(name = "gemm-bound", mixinStandardHelpOptions = true,
        description = "Measures the best throughput of the network's matrix products with concurrent loops; takes"
                + " trainer flags (--layers, --hidden-layers) for the network.")
public final class GemmBound implements Callable<Integer> {
    @Option(names = "--loops", description = "Concurrent single-threaded loops. Default: ${DEFAULT-VALUE}.")
    int loops = 2;

    @Option(names = "--repeats", description = "Timed repeats after one warm-up. Default: ${DEFAULT-VALUE}.")
    int repeats = 5;

    @Unmatched
    List<String> trainerArgs = new ArrayList<>();

    /** Runs the measurement; prints a result line. */
    public static void main(String[] args) {
        BenchmarkMain.exit(new GemmBound(), args);
    }

    @Override
    public Integer call() throws Exception {
        NativeSettings.applyToThisJvm();
        NetworkShape network = NetworkShape.of(TrainerFlags.parse(trainerArgs).config());
        int batches = (int) Math.ceil((double) MatrixProducts.EPOCH_EXAMPLES / MatrixProducts.BATCH / loops);
        Map<MatrixProducts.Layout, List<MatrixProducts>> products = new EnumMap<>(MatrixProducts.Layout.class);
        Map<MatrixProducts.Layout, List<Double>> seconds = new EnumMap<>(MatrixProducts.Layout.class);
        for (MatrixProducts.Layout layout : MatrixProducts.Layout.values()) {
            List<MatrixProducts> perLoop = new ArrayList<>();
            for (int i = 0; i < loops; i++) {
                perLoop.add(new MatrixProducts(network.layers(), layout));
            }
            products.put(layout, perLoop);
            seconds.put(layout, new ArrayList<>());
            run(perLoop, batches); // warm-up: JIT, native library, caches
        }
        // the layouts alternate, so that a busy moment of the machine does not favour one
        for (int r = 0; r < repeats; r++) {
            for (MatrixProducts.Layout layout : MatrixProducts.Layout.values()) {
                seconds.get(layout).add(run(products.get(layout), batches));
            }
        }
        double flops = MatrixProducts.flopsPerBatch(network.layers()) * batches * loops;
        MatrixProducts.Layout fastest = MatrixProducts.Layout.PLAIN;
        for (MatrixProducts.Layout layout : MatrixProducts.Layout.values()) {
            if (Collections.min(seconds.get(layout)) < Collections.min(seconds.get(fastest))) {
                fastest = layout;
            }
        }
        double best = Collections.min(seconds.get(fastest));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("network", network.toString());
        result.put("products", MatrixProducts.count(network.layers()));
        result.put("loops", loops);
        result.put("batches_per_loop", batches);
        result.put("repeats", repeats);
        result.put("seconds", seconds);
        result.put("layout", fastest.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        result.put("best_gflops", flops / best / 1e9);
        result.put("median_gflops", flops / Results.median(seconds.get(fastest)) / 1e9);
        double flopsPerEpoch = MatrixProducts.flopsPerEpoch(network.layers());
        result.put("flops_per_epoch", flopsPerEpoch);
        result.put("bound_seconds", flopsPerEpoch / (flops / best));
        result.put("blas", Nd4j.getBlasWrapper().getClass().getSimpleName());
        result.put("openblas_coretype", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
        Results.emit(result);
        return 0;
    }

    /** @return wall seconds from the common start until the last loop finished */
    private static double run(List<MatrixProducts> products, int batches) throws Exception {
        CyclicBarrier start = new CyclicBarrier(products.size() + 1);
        List<Thread> threads = new ArrayList<>();
        for (MatrixProducts p : products) {
            Thread t = new Thread(() -> {
                await(start);
                p.run(batches);
            });
            t.start();
            threads.add(t);
        }
        start.await();
        long begin = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        return (System.nanoTime() - begin) / 1e9;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException("a loop could not start with the others", e);
        }
    }
}
