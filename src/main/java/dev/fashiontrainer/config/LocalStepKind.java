package dev.fashiontrainer.config;

/** How a worker computes one local SGD step of the Spark engine. */
public enum LocalStepKind implements Choice {
    /**
     * The fastest step for the settings ({@link TrainingConfig#usesLeanStep()}): today {@code lean}, which covers
     * every optimizer and loss the trainer offers.
     */
    AUTO,
    /** DL4J's {@code MultiLayerNetwork.fit} on each minibatch: every optimizer and loss. */
    DL4J,
    /**
     * Our own forward, backward and update of the seed's network on preallocated arrays (every optimizer and
     * loss), several times less overhead per minibatch than {@code fit}.
     */
    LEAN
}
