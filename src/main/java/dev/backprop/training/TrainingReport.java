package dev.backprop.training;

import dev.backprop.model.FinalMetrics;
import java.util.List;

/**
 * What a training job (or a search's refit) measured: the per-epoch history (growing while the job
 * runs), the best epoch, why it stopped, and the final metrics once it succeeded.
 *
 * @param metric       the headline metric of the history: accuracy or r2
 * @param bestEpoch    the epoch whose weights the model holds, once ended
 * @param stopReason   COMPLETED, EARLY_STOPPED, TIME_LIMIT or CANCELLED, once ended
 * @param finalMetrics training and validation metrics of the model, once succeeded
 */
public record TrainingReport(String metric, List<EpochRecord> history, Integer bestEpoch, String stopReason,
                             FinalMetrics finalMetrics) {
}
