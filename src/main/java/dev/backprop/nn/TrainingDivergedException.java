package dev.backprop.nn;

import java.util.List;

/**
 * Training produced a non-finite loss or gradient. The network keeps the last finite weights: the
 * offending batch's update is never applied.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;
    private final int batch;
    private final transient List<EpochMetrics> history;

    TrainingDivergedException(String quantity, int epoch, int batch, List<EpochMetrics> history) {
        super("training diverged: non-finite " + quantity + " in epoch " + epoch + ", batch " + batch
                + "; try a smaller learning rate or gradient clipping");
        this.epoch = epoch;
        this.batch = batch;
        this.history = List.copyOf(history);
    }

    /** The epoch of the offending batch, numbered from 1. */
    public int epoch() {
        return epoch;
    }

    /** The offending batch within its epoch, numbered from 1. */
    public int batch() {
        return batch;
    }

    /** The epochs that finished before the divergence. */
    public List<EpochMetrics> history() {
        return history;
    }
}
