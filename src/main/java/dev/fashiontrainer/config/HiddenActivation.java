package dev.fashiontrainer.config;

/** The nonlinearity of every hidden layer; the output layer is always a softmax over the classes. */
public enum HiddenActivation implements Choice {
    /** max(0, x): the seed's network, and the fastest to train. */
    RELU,
    /** 1 / (1 + e^-x): what MLlib's {@code MultilayerPerceptronClassifier} uses, to build its network exactly. */
    SIGMOID,
    /** tanh(x). */
    TANH
}
