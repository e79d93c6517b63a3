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
 * the ranked trials with the best parameters and score.
 *
 * @param metric the name of the headline metric in the history: accuracy or r2
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMetricsResponse(UUID jobId, JobStatus status, String metric, List<EpochRecord> history, Integer bestEpoch,
                                 String stopReason, FinalMetrics finalMetrics, UUID modelId, SearchResults search) {

    static JobMetricsResponse of(Job job, TrainingReport report, SearchResults search) {
        return new JobMetricsResponse(job.id(), job.status(), report.metric(), report.history(), report.bestEpoch(),
                report.stopReason(), report.finalMetrics(), job.modelId(), search);
    }
}
