package dev.fashiontrainer.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.spark.PerThreadCache;

/**
 * The networks an executor's task threads reuse across epochs and rounds. Building a network allocates its
 * parameters and workspaces; doing that once per thread instead of once per task keeps the per-round cost to
 * copying the broadcast parameters in.
 */
public final class ExecutorNetworks {
    // Keyed by a TrainingConfig (training) or a configuration's JSON (evaluating a given model); a run uses one
    // of each, so a few per thread cover a run and its evaluation with room for a notebook's next run.
    private static final PerThreadCache<Object, MultiLayerNetwork> NETWORKS = new PerThreadCache<>(4);

    static {
        NativeSettings.applyToThisJvm();
    }

    private ExecutorNetworks() {
    }

    /**
     * @param config the run's settings
     * @return this thread's network for {@code config}; its parameters are whatever the last user left
     */
    public static MultiLayerNetwork forConfig(TrainingConfig config) {
        return NETWORKS.get(config, key -> NetworkFactory.create(config));
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
}
