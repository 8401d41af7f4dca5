package dev.fashiontrainer.model;

import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TrainingConfig;

/**
 * The networks an executor's task threads reuse across epochs and rounds. Building a network allocates its
 * parameters and workspaces; doing that once per thread instead of once per task keeps the per-round cost to
 * copying the broadcast parameters in.
 */
public final class ExecutorNetworks {
    private static final ThreadLocal<Map<TrainingConfig, MultiLayerNetwork>> NETWORKS =
            ThreadLocal.withInitial(HashMap::new);

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
        return NETWORKS.get().computeIfAbsent(config, NetworkFactory::create);
    }
}
