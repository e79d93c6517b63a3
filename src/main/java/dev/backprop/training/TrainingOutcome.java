package dev.backprop.training;

import dev.backprop.job.JobResult;
import dev.backprop.model.FinalMetrics;
import dev.backprop.nn.StopReason;

/**
 * What a training run or a search ended with.
 *
 * @param bestEpoch the epoch whose weights the model holds, or null (a search, a cancelled run)
 * @param metrics   the model's final metrics, or null (cancelled, a search without a refit)
 * @param timings   where a training job's time went, or null (a search, a cancelled run, a job that ended before jobs recorded them)
 */
public record TrainingOutcome(StopReason stopReason, Integer bestEpoch, FinalMetrics metrics, PhaseTimings timings)
        implements JobResult {

    /** An outcome without timings (a search). */
    public TrainingOutcome(StopReason stopReason, Integer bestEpoch, FinalMetrics metrics) {
        this(stopReason, bestEpoch, metrics, null);
    }

    /** A run stopped by a cancel request: no model, no metrics. */
    public static TrainingOutcome cancelled() {
        return new TrainingOutcome(StopReason.CANCELLED, null, null);
    }

    @Override
    public String stopReasonName() {
        return stopReason.name();
    }
}
