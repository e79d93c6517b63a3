package dev.backprop.nn;

/** Told about every finished epoch, on the training thread. */
@FunctionalInterface
public interface EpochListener {

    /** A listener that ignores everything. */
    EpochListener NONE = epoch -> {
    };

    /** Called after each epoch with what it measured. */
    void onEpoch(EpochMetrics epoch);
}
