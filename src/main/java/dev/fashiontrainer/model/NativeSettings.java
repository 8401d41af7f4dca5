package dev.fashiontrainer.model;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Native-library settings every computing JVM needs. Each Spark task core runs one single-threaded training loop,
 * so ND4J's own thread pools would only oversubscribe the cores (measured: 2 threads per process made the matrix
 * products 4x slower). DL4J's oneDNN helpers are turned off because for these small dense layers they cost more
 * than they save (measured: 4.9-5.8 s versus 2.8-3.5 s for 469 minibatches).
 */
public final class NativeSettings {
    private static volatile boolean applied;

    private NativeSettings() {
    }

    /** Applies the settings once per JVM; later calls do nothing. */
    public static synchronized void applyToThisJvm() {
        if (applied) {
            return;
        }
        Nd4j.getEnvironment().allowHelpers(false);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        applied = true;
    }
}
