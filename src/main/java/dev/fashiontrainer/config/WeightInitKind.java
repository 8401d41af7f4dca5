package dev.fashiontrainer.config;

/** How the network's weights and biases start. */
public enum WeightInitKind implements Choice {
    /** PyTorch's {@code nn.Linear} default: weights and biases uniform in +-1/sqrt(fan_in). The seed's numbers use it. */
    PYTORCH,
    /** He (Kaiming) normal: weights N(0, 2/fan_in), biases 0. Suits ReLU layers; part of the fast recipe. */
    HE,
    /** Xavier (Glorot) normal: weights N(0, 2/(fan_in+fan_out)), biases 0. */
    XAVIER
}
