package dev.backprop.job;

/**
 * The phase an auto search is in, a progress hint beside its trial counts: its trials, then the re-scores of its best
 * trials on further splits, then the refit of its ensemble's members. Each phase counts its own units of work.
 */
public enum SearchPhase {
    /** Trials of the search's space, counted by {@code trials.done}. */
    TRIALS,
    /** The best trials trained again on further splits of the rows, one unit per trial and split. */
    RESCORES,
    /** The final model's networks, one unit per member. */
    REFIT
}
