package dev.fashiontrainer.config;

/** Which implementation runs the local SGD and the averaging. */
public enum EngineKind implements Choice {
    /** Our loop on Spark primitives: cached compact shards, local SGD per partition, tree-aggregated average. */
    SPARK,
    /** DL4J Spark's {@code ParameterAveragingTrainingMaster} in Direct mode: the reference implementation. */
    DL4J
}
