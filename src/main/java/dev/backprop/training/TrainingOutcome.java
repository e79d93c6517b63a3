package dev.backprop.training;

import dev.backprop.job.JobResult;
import dev.backprop.model.FinalMetrics;
import dev.backprop.nn.StopReason;

/**
 * What a training run or a search ended with.
 *
 * @param bestEpoch the epoch whose weights the model holds, or null (a search, a cancelled run)
 * @param metrics   the model's final metrics, or null (cancelled, a search without a refit)
 */
public record TrainingOutcome(StopReason stopReason, Integer bestEpoch, FinalMetrics metrics) implements JobResult {

    /** A run stopped by a cancel request: no model, no metrics. */
    public static TrainingOutcome cancelled() {
        return new TrainingOutcome(StopReason.CANCELLED, null, null);
    }

    @Override
    public String stopReasonName() {
        return stopReason.name();
    }
}
