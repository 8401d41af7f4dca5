package dev.fashiontrainer.config;

/** How a worker computes one local SGD step of the Spark engine. */
public enum LocalStepKind implements Choice {
    /** {@code lean} where it applies ({@link TrainingConfig#usesLeanStep()}), DL4J's {@code fit} otherwise. */
    AUTO,
    /** DL4J's {@code MultiLayerNetwork.fit} on each minibatch: every optimizer and loss. */
    DL4J,
    /**
     * Our own forward, backward and update of the seed's network on preallocated arrays: plain SGD with
     * cross-entropy or NLL only, several times less overhead per minibatch than {@code fit}.
     */
    LEAN
}
