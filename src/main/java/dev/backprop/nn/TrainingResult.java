package dev.backprop.nn;

import java.util.List;

/**
 * The outcome of a training run. The trained weights are in the network that was passed in.
 *
 * @param history          one record per finished epoch
 * @param stopReason       why the run ended
 * @param bestEpoch        the epoch whose weights the network holds when early stopping is on (the
 *                         best by its monitor); otherwise the last finished epoch; 0 if none finished
 * @param batchesCompleted mini-batch updates applied over the whole run
 */
public record TrainingResult(List<EpochMetrics> history, StopReason stopReason, int bestEpoch, long batchesCompleted) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
