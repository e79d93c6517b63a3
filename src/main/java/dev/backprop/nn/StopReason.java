package dev.backprop.nn;

/** Why a training run ended. */
public enum StopReason {
    /** Every epoch ran. */
    COMPLETED,
    /** The monitored quantity stopped improving for {@code patience} epochs. */
    EARLY_STOPPED,
    /** The cancellation token asked to stop. */
    CANCELLED,
    /** The wall-clock budget ran out. */
    TIME_LIMIT
}
