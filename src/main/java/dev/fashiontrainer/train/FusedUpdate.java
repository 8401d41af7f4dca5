package dev.fashiontrainer.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import dev.fashiontrainer.model.ParameterSnapshot;

/**
 * Adam's or Nesterov momentum's update exactly as DL4J 1.0.0-M2 computes it (libnd4j's {@code adam_updater} and
 * {@code nesterovs_updater}, then {@code params -= update}), fused into one pass over the parameters, the gradient
 * and the optimizer state.
 *
 * <p>The state is DL4J's flat updater state (one block for the whole network: Adam's {@code [M | V]}, Nesterov's
 * {@code [V]}), kept on the heap and written back at {@link #snapshot()}, so snapshots, averages and checkpoints
 * hold what DL4J's {@code fit} would hold. The pass itself runs one of two ways:
 * <ul>
 * <li>in place, with Java's Vector API ({@link VectorUpdate}), over the network's native parameter and gradient
 * vectors, when the JVM has the module {@code jdk.incubator.vector} (our launchers and {@code conf/} add it);
 * <li>otherwise over heap copies ({@code float[]}) of both, which the JIT compiles to vector instructions: the
 * gradient is copied in and the parameters out at every step.
 * </ul>
 * Both give the same floats. Measured on one thread for the seed's 669,706 parameters (2026-11-25, AVX-512
 * machine, busy): ND4J's own Adam op and the subtraction 4.4-5 ms per step, the same pass in Java over the native
 * buffers 2 ms, over heap copies 0.4-0.6 ms (0.35 ms after the state was split in two, see {@link #state}).
 * In place, in a cache-flushing loop on 2 threads (2026-11-26): 0.49 ms against 0.77 ms with the copies.
 */
final class FusedUpdate {
    /**
     * Whether the JVM has the Vector API's module with the {@code ByteBuffer} loads and stores that
     * {@link VectorUpdate} uses: Java 17 to 19's. Java 20 replaced them with {@code MemorySegment}'s, which the
     * Java 17 build cannot call, so on Java 21 and 25 (the Spark 4 build's) the update runs over heap copies.
     */
    static final boolean VECTOR_API = vectorApiWithByteBuffers();

    private enum Rule { ADAM, NESTEROV }

    private static boolean vectorApiWithByteBuffers() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            Class.forName("jdk.incubator.vector.FloatVector").getMethod("fromByteBuffer",
                    Class.forName("jdk.incubator.vector.VectorSpecies"), ByteBuffer.class, int.class, ByteOrder.class);
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private final MultiLayerNetwork network;
    private final Rule rule;
    private final IUpdater settings;
    private final ByteBuffer nativeParameters;
    private final ByteBuffer nativeGradient;
    // the heap copies of the parameters and the gradient; null when the pass runs in place
    private final float[] parameters;
    private final float[] gradient;
    // DL4J's flat state is one block ([M | V] for Adam); each part is kept in an array of its own because C2 does
    // not vectorize a loop that writes s[i] and s[n + i] of one array (measured here, 2026-11-25: 469 Adam
    // updates of the seed's parameters 0.73 s that way, 0.10 s with separate arrays)
    private final float[][] state;

    private FusedUpdate(MultiLayerNetwork network, Rule rule, IUpdater settings, boolean inPlace) {
        this.network = network;
        this.rule = rule;
        this.settings = settings;
        int count = (int) network.numParams();
        if (network.getFlattenedGradients() == null) {
            network.initGradientsView();
        }
        this.nativeParameters = wholeBuffer(network.params(), count, "parameter vector");
        this.nativeGradient = wholeBuffer(network.getFlattenedGradients(), count, "gradient vector");
        this.parameters = inPlace ? null : new float[count];
        this.gradient = inPlace ? null : new float[count];
        int stateLength = (rule == Rule.ADAM ? 2 : 1) * count;
        INDArray stateView = network.getUpdater(true).getStateViewArray();
        int blocks = ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks().size();
        if (blocks != 1 || stateView == null || stateView.length() != stateLength) {
            throw new IllegalArgumentException("expected one updater block with " + stateLength + " values of state,"
                    + " found " + blocks + " block(s) with " + (stateView == null ? 0 : stateView.length()));
        }
        this.state = new float[stateLength / count][count];
    }

    /** The number of parameters, which is also the length of each part of the state. */
    private int count() {
        return state[0].length;
    }

    /**
     * @param network the network to update
     * @return its update, or null for plain SGD (which {@link LeanStep} accumulates straight into the parameters)
     * @throws IllegalArgumentException for an optimizer the trainer does not offer
     */
    static FusedUpdate of(MultiLayerNetwork network) {
        return of(network, VECTOR_API);
    }

    /**
     * @param inPlace whether the pass runs with the Vector API over the native vectors (only when
     *        {@link #VECTOR_API}) or over heap copies of them
     */
    static FusedUpdate of(MultiLayerNetwork network, boolean inPlace) {
        if (inPlace && !VECTOR_API) {
            throw new IllegalArgumentException("expected the module jdk.incubator.vector of Java 17-19 for an update"
                    + " in place, found Java " + Runtime.version().feature() + " without it or without its ByteBuffer"
                    + " loads (add --add-modules=jdk.incubator.vector, or update over heap copies)");
        }
        IUpdater settings = ((BaseLayer) network.getLayer(0).conf().getLayer()).getIUpdater();
        if (settings instanceof Sgd) {
            return null;
        }
        if (settings instanceof Adam) {
            return new FusedUpdate(network, Rule.ADAM, settings, inPlace);
        }
        if (settings instanceof Nesterovs nesterovs && nesterovs.getMomentumSchedule() == null) {
            return new FusedUpdate(network, Rule.NESTEROV, settings, inPlace);
        }
        throw new IllegalArgumentException("expected Sgd, Adam or Nesterovs without a schedule, found " + settings);
    }

    /** Takes the parameters and the state the following steps start from. */
    void load(ParameterSnapshot start) {
        if (parameters != null) {
            System.arraycopy(start.parameters(), 0, parameters, 0, parameters.length);
        }
        float[] flat = start.updaterState();
        for (int part = 0; part < state.length; part++) {
            System.arraycopy(flat, part * count(), state[part], 0, count());
        }
    }

    /**
     * Applies the update for the gradient the step left in the network's flat gradient vector.
     *
     * @param learningRate this step's rate
     * @param iteration the network's iteration count before this step (Adam's bias correction reads it)
     */
    void apply(double learningRate, int iteration) {
        if (parameters != null) {
            nativeGradient.asFloatBuffer().get(0, gradient);
        }
        if (rule == Rule.ADAM) {
            adam((Adam) settings, learningRate, iteration);
        } else {
            nesterov(((Nesterovs) settings).getMomentum(), learningRate);
        }
        if (parameters != null) {
            nativeParameters.asFloatBuffer().put(0, parameters);
        }
    }

    // libnd4j's adamUpdater_, in float as it computes for a float network.
    private void adam(Adam adam, double learningRate, int iteration) {
        float beta1 = (float) adam.getBeta1();
        float beta2 = (float) adam.getBeta2();
        float epsilon = (float) adam.getEpsilon();
        float beta1T = (float) Math.pow(beta1, iteration + 1);
        float beta2T = (float) Math.pow(beta2, iteration + 1);
        float stepSize = (float) ((float) learningRate * Math.sqrt(1.0 - beta2T) / (1.0 - beta1T));
        if (!Float.isFinite(stepSize) || stepSize == 0) {
            stepSize = epsilon; // what libnd4j falls back to
        }
        float[] m = state[0];
        float[] v = state[1];
        if (parameters == null) {
            VectorUpdate.adam(nativeParameters, nativeGradient, m, v, beta1, beta2, epsilon, stepSize);
            return;
        }
        float[] p = parameters;
        float[] g = gradient;
        for (int i = 0; i < p.length; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + gi * (1 - beta1);
            float vi = beta2 * v[i] + gi * gi * (1 - beta2);
            m[i] = mi;
            v[i] = vi;
            p[i] -= (mi * stepSize) / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    // libnd4j's nesterovsUpdater_: v = mu v - lr g; update = mu v_prev - (1 + mu) v; params -= update.
    private void nesterov(double momentum, double learningRate) {
        float mu = (float) momentum;
        float rate = (float) learningRate;
        float momentumT = -mu - 1;
        float[] v = state[0];
        if (parameters == null) {
            VectorUpdate.nesterov(nativeParameters, nativeGradient, v, mu, rate, momentumT);
            return;
        }
        float[] p = parameters;
        float[] g = gradient;
        for (int i = 0; i < p.length; i++) {
            float previous = mu * v[i];
            v[i] = previous - rate * g[i];
            p[i] -= previous + momentumT * v[i];
        }
    }

    /** @return a copy of the parameters and state reached; the network's own updater state is set to the same */
    ParameterSnapshot snapshot() {
        float[] flat = new float[state.length * count()];
        for (int part = 0; part < state.length; part++) {
            System.arraycopy(state[part], 0, flat, part * count(), count());
        }
        INDArray stateView = network.getUpdater(true).getStateViewArray();
        wholeBuffer(stateView, flat.length, "updater state").asFloatBuffer().put(0, flat);
        // the network's own vector holds the parameters reached either way (the heap pass refreshes it every step)
        float[] reached = new float[count()];
        nativeParameters.asFloatBuffer().get(0, reached);
        return new ParameterSnapshot(reached, flat);
    }

    /** The native storage of {@code array}, which must be all of it (no view into a larger buffer). */
    private static ByteBuffer wholeBuffer(INDArray array, int length, String what) {
        if (array.length() != length || array.data().length() != length || array.offset() != 0) {
            throw new IllegalArgumentException("expected the network's " + what + " as one array of " + length
                    + " floats, found " + array.length() + " in a buffer of " + array.data().length());
        }
        return array.data().asNio().order(ByteOrder.nativeOrder());
    }
}
