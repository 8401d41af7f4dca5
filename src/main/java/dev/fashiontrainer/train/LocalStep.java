package dev.fashiontrainer.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.ExecutorNetworks;
import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * One worker's optimizer step on one minibatch: forward, loss, backward and update of a DL4J network. Both
 * implementations leave their result in the same {@link MultiLayerNetwork}, so averaging, model files and
 * evaluation do not depend on which one trained. A step owns its network and arrays: {@link #close} frees their
 * native memory.
 */
public interface LocalStep extends AutoCloseable {

    /**
     * @param config the run's settings; {@link TrainingConfig#usesLeanStep()} picks the implementation
     * @return a step on a new network for {@code config}
     */
    static LocalStep create(TrainingConfig config) {
        MultiLayerNetwork network = ExecutorNetworks.build(config);
        return config.usesLeanStep() ? new LeanStep(network) : new Dl4jFitStep(network);
    }

    /** Sets the parameters, updater state and learning rate the following steps start from. */
    void reset(ParameterSnapshot start, double learningRate);

    /**
     * Takes one step on images {@code order[from]...order[from + size - 1]} (or {@code from...} when
     * {@code order} is null).
     *
     * @return the minibatch's mean loss before the step
     */
    double fit(LabeledImages images, int[] order, int from, int size);

    /** @return the network the steps update */
    MultiLayerNetwork network();

    /** Frees the native memory of the network and of the step's arrays; the step must not be used afterwards. */
    @Override
    void close();

    /** @return a copy of the parameters and updater state the steps have reached */
    default ParameterSnapshot snapshot() {
        return ParameterSnapshot.of(network());
    }
}
