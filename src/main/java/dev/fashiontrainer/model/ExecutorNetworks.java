package dev.fashiontrainer.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.spark.PerThreadCache;

/**
 * The networks an executor's task threads build and reuse across epochs and rounds. Building a network allocates
 * its parameters natively; doing that once per thread instead of once per task keeps the per-round cost to
 * copying the broadcast parameters in. A network no longer used is {@linkplain #release released} at once rather
 * than left to the garbage collector.
 */
public final class ExecutorNetworks {
    // Keyed by a configuration's JSON (evaluating a given model): a run evaluates one, so a few per thread cover a
    // run with room for a notebook's next one.
    private static final PerThreadCache<String, MultiLayerNetwork> NETWORKS =
            new PerThreadCache<>(4, ExecutorNetworks::release);

    static {
        NativeSettings.applyToThisJvm();
    }

    private ExecutorNetworks() {
    }

    /**
     * @param config the run's settings
     * @return a new network for {@code config}, built once this JVM has the native settings (this class's first
     *     use applies them); owned by the caller, who {@linkplain #release releases} it
     */
    public static MultiLayerNetwork build(TrainingConfig config) {
        return NetworkFactory.create(config);
    }

    /**
     * @param configurationJson a network's layer configuration as {@link MultiLayerConfiguration#toJson()} wrote it
     * @return this thread's network of that shape; its parameters are whatever the last user left
     */
    public static MultiLayerNetwork forConfiguration(String configurationJson) {
        return NETWORKS.get(configurationJson, key -> {
            MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson));
            network.init();
            return network;
        });
    }

    /**
     * Frees the native memory of a network's parameters, gradients and updater state now; the network must not be
     * used afterwards. DL4J's own {@code MultiLayerNetwork.close} does the same but then forces a full
     * {@code System.gc()}, which an executor's task thread should not run for every network it drops.
     */
    public static void release(MultiLayerNetwork network) {
        close(network.params());
        close(network.getGradientsViewArray());
        if (network.getUpdater(false) != null) {
            close(network.getUpdater(false).getStateViewArray());
        }
    }

    private static void close(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
    }
}
