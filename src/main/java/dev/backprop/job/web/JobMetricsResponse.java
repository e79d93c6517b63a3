package dev.backprop.job.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.job.Job;
import dev.backprop.job.JobStatus;
import dev.backprop.model.FinalMetrics;
import dev.backprop.search.SearchResults;
import dev.backprop.training.EpochRecord;
import dev.backprop.training.TrainingReport;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /jobs/{id}/metrics}: the per-epoch history (growing while the job runs), the best epoch,
 * the stop reason and, once succeeded, the model's final training and validation metrics; for a search,
 * the ranked trials with the best parameters, score and history.
 *
 * @param metric  the name of the headline metric in the history (a search's: in its best trial's): accuracy or r2
 * @param history a training job's per-epoch history; absent for a search, which has no one run of its own:
 *                {@code search.bestHistory} is its best trial's, which is not the refit model's (trained on
 *                every row, recording no history), so it is not copied here as if it were
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMetricsResponse(UUID jobId, JobStatus status, String metric, List<EpochRecord> history, Integer bestEpoch,
                                 String stopReason, FinalMetrics finalMetrics, UUID modelId, SearchResults search) {

    static JobMetricsResponse of(Job job, TrainingReport report, SearchResults search) {
        return new JobMetricsResponse(job.id(), job.status(), report.metric(), search == null ? report.history() : null,
                report.bestEpoch(), report.stopReason(), report.finalMetrics(), job.modelId(), search);
    }
}
