package dev.fashiontrainer.config;

/**
 * The loss functions the seed's lesson names. The output layer is chosen to fit each one, so the pairing rules of
 * PyTorch (NLL expects log-probabilities, cross-entropy expects raw scores) are handled here, not by the user.
 */
public enum LossKind implements Choice {
    /** {@code nn.CrossEntropyLoss}: softmax output, negative log-likelihood of the true class. */
    CROSS_ENTROPY,
    /** {@code nn.NLLLoss} after {@code nn.LogSoftmax}: the same quantity, written as PyTorch users pair it. */
    NLL,
    /** {@code nn.MSELoss} between the softmax probabilities and the one-hot label. */
    MSE
}
