package dev.fashiontrainer.config;

/** How the learning rate changes over epochs (after any warm-up). */
public enum ScheduleKind implements Choice {
    /** The same rate every epoch: the seed's choice. */
    CONSTANT,
    /** Half a cosine from the full rate down to zero over the run. */
    COSINE
}
