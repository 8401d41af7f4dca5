package dev.fashiontrainer.config;

/** Where the workers of the next averaging round start when the driver's step carries block momentum. */
public enum BlockMomentumKind implements Choice {
    /** From the driver's model: the average plus the momentum times the previous step (Chen and Huo's BMUF). */
    CLASSIC,
    /**
     * From the plain average moved on by the momentum's next step, as Nesterov's momentum looks ahead; the model
     * the driver keeps, evaluates and saves is the plain average.
     */
    NESTEROV
}
