package dev.fashiontrainer.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FusedUpdate}'s passes written with Java's incubating Vector API, which reads and writes the network's
 * native parameter and gradient vectors in place: no copy of either to the heap and back, about a third less memory
 * traffic per step. The arithmetic is the heap passes' own, operation by operation (no fused multiply-add), so both
 * give the same floats bit for bit.
 *
 * <p>Loaded only when the JVM was started with {@code --add-modules jdk.incubator.vector}
 * ({@link FusedUpdate#VECTOR_API}): without the module, loading this class fails.
 */
final class VectorUpdate {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorUpdate() {
    }

    /** libnd4j's adamUpdater_ and {@code params -= update}, as {@link FusedUpdate}'s heap pass computes it. */
    static void adam(ByteBuffer parameters, ByteBuffer gradient, float[] m, float[] v, float beta1, float beta2,
            float epsilon, float stepSize) {
        int count = m.length;
        int i = 0;
        for (int bound = SPECIES.loopBound(count); i < bound; i += SPECIES.length()) {
            FloatVector g = FloatVector.fromByteBuffer(SPECIES, gradient, 4 * i, ORDER);
            FloatVector mi = FloatVector.fromArray(SPECIES, m, i).mul(beta1).add(g.mul(1 - beta1));
            FloatVector vi = FloatVector.fromArray(SPECIES, v, i).mul(beta2).add(g.mul(g).mul(1 - beta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector p = FloatVector.fromByteBuffer(SPECIES, parameters, 4 * i, ORDER);
            p.sub(mi.mul(stepSize).div(vi.sqrt().add(epsilon))).intoByteBuffer(parameters, 4 * i, ORDER);
        }
        for (; i < count; i++) {
            float g = gradient.getFloat(4 * i);
            float mi = beta1 * m[i] + g * (1 - beta1);
            float vi = beta2 * v[i] + g * g * (1 - beta2);
            m[i] = mi;
            v[i] = vi;
            float p = parameters.getFloat(4 * i);
            parameters.putFloat(4 * i, p - (mi * stepSize) / ((float) Math.sqrt(vi) + epsilon));
        }
    }

    /** libnd4j's nesterovsUpdater_ and {@code params -= update}, as {@link FusedUpdate}'s heap pass computes it. */
    static void nesterov(ByteBuffer parameters, ByteBuffer gradient, float[] v, float mu, float rate,
            float momentumT) {
        int count = v.length;
        int i = 0;
        for (int bound = SPECIES.loopBound(count); i < bound; i += SPECIES.length()) {
            FloatVector previous = FloatVector.fromArray(SPECIES, v, i).mul(mu);
            FloatVector vi = previous.sub(FloatVector.fromByteBuffer(SPECIES, gradient, 4 * i, ORDER).mul(rate));
            vi.intoArray(v, i);
            FloatVector p = FloatVector.fromByteBuffer(SPECIES, parameters, 4 * i, ORDER);
            p.sub(previous.add(vi.mul(momentumT))).intoByteBuffer(parameters, 4 * i, ORDER);
        }
        for (; i < count; i++) {
            float previous = mu * v[i];
            v[i] = previous - rate * gradient.getFloat(4 * i);
            parameters.putFloat(4 * i, parameters.getFloat(4 * i) - (previous + momentumT * v[i]));
        }
    }
}
