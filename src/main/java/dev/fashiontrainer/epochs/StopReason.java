package dev.fashiontrainer.epochs;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why training ended, as {@code run.json} records it for a scheduler to read. */
public enum StopReason {
    /** Every epoch asked for was trained. */
    EPOCHS_DONE,
    /** The validation metric stopped improving for {@code --early-stopping-rounds} epochs. */
    EARLY_STOPPING,
    /** The {@code --max-time} budget ran out during the last epoch. */
    TIME_BUDGET,
    /** MLlib's {@code tol}: the last epoch lowered the training loss by less than that share. */
    CONVERGED;

    /** @return {@code epochs_done}, {@code early_stopping}, {@code time_budget} or {@code converged} */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
