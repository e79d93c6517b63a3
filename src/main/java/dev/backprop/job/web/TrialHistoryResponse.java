package dev.backprop.job.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.search.SearchReports;
import dev.backprop.search.TrialRecord;
import dev.backprop.training.EpochRecord;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /jobs/{id}/trials/{trial}/history}: one finished trial of a search with its per-epoch history, so
 * that trials other than the best one can be drawn and compared.
 *
 * @param trial      the trial's index in the search, from 0
 * @param metric     the headline metric of the history (accuracy or r2)
 * @param score      the search's ranking metric of the trial (mean over folds), absent when it failed
 * @param bestEpoch  the epoch whose weights scored (mean over folds, rounded)
 * @param stopReason why it trained less than its budget (median_stopping, halving), absent otherwise
 * @param history    its run's epochs (its first fold's with cross-validation); absent for a trial that failed
 *                   before its first epoch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialHistoryResponse(UUID jobId, int trial, Map<String, Object> params, String status, String metric,
                                   Double score, Integer bestEpoch, Integer epochs, String stopReason,
                                   List<EpochRecord> history) {

    static TrialHistoryResponse of(UUID jobId, SearchReports.TrialHistory found) {
        TrialRecord t = found.trial();
        return new TrialHistoryResponse(jobId, t.index(), t.params(), t.status(), found.metric(), t.score(), t.bestEpoch(),
                t.epochs(), t.stopReason(), t.history());
    }
}
