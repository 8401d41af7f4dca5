package dev.fashiontrainer.config;

/** What the network predicts, which decides its output layer and loss. */
public enum TaskKind implements Choice {
    /** One of K classes: a softmax output of K units and the {@code loss} setting. */
    CLASSIFICATION,
    /** A real number: one linear output unit and the mean squared error, whatever the {@code loss} setting. */
    REGRESSION
}
