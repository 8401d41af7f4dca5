package dev.fashiontrainer.config;

/** The optimizer of the local SGD steps. */
public enum OptimizerKind implements Choice {
    /** Plain SGD, {@code torch.optim.SGD(lr=...)}: the seed's choice. */
    SGD,
    /** SGD with Nesterov momentum ({@code --momentum}); its velocity is averaged with the parameters. */
    NESTEROV,
    /** Adam; its moment estimates are averaged with the parameters. */
    ADAM
}
