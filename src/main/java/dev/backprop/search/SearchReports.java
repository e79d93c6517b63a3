package dev.backprop.search;

import dev.backprop.job.Job;
import dev.backprop.job.JobStatus;
import dev.backprop.training.Direction;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingInputs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reads a search's outcome: its stored trials, ranked. */
@Component
public class SearchReports {

    private final TrialRepository trials;

    SearchReports(TrialRepository trials) {
        this.trials = trials;
    }

    /**
     * Estimated seconds until a running search's last trial ends: its finished trials' mean fit time
     * for each trial left, run {@code parallelism} at a time, and no later than its time budget allows
     * (the refit after the trials is not counted). Trial times rather than the time since the start:
     * a search resumed after a restart starts its clock anew with trials already done. Null unless
     * running with a trial finished.
     */
    public Long etaSeconds(Job job, Instant now) {
        if (!job.type().isSearch() || job.status() != JobStatus.RUNNING || job.trialsDone() == 0) {
            return null;
        }
        Double meanMillis = trials.meanFitMillis(job.id());
        if (meanMillis == null) {
            return null;
        }
        SearchSpec search = TrainingInputs.specOf(job).search();
        Long budgetLeft = search.maxRuntimeSeconds() == null || job.startedAt() == null ? null
                : search.maxRuntimeSeconds() - Duration.between(job.startedAt(), now).toSeconds();
        return etaSeconds(meanMillis, job.trialsTotal() - job.trialsDone(),
                search.parallelism() == null ? 1 : search.parallelism(), budgetLeft);
    }

    /**
     * Seconds for {@code trialsLeft} trials of {@code meanFitMillis} each, {@code parallelism} at a time,
     * within what is left of a budget (null for none).
     */
    static long etaSeconds(double meanFitMillis, int trialsLeft, int parallelism, Long budgetLeftSeconds) {
        int left = Math.max(0, trialsLeft);
        int parallel = Math.max(1, Math.min(parallelism, left));
        long eta = Math.round(meanFitMillis * left / parallel / 1000);
        return budgetLeftSeconds == null ? eta : Math.min(eta, Math.max(0, budgetLeftSeconds));
    }

    /** A search's trials ranked by its metric, with the best one and its history. */
    public SearchResults of(Job job) {
        SearchSpec search = TrainingInputs.specOf(job).search();
        List<TrialRecord> stored = trials.findTrials(job.id(), true);
        int[] ranks = TrialRanking.rankStandings(stored.stream().map(TrialRecord::standing).toList(), search.mode() == Direction.MAX);
        List<SearchResults.RankedTrial> ranked = new ArrayList<>();
        TrialRecord best = null;
        for (int i = 0; i < stored.size(); i++) {
            TrialRecord t = stored.get(i);
            ranked.add(new SearchResults.RankedTrial(t.index(), ranks[i], t.params(), t.status(), t.score(), t.scoreStd(),
                    t.foldScores(), t.fitMillis(), t.error(), t.seed(), t.validationLoss(), t.bestEpoch(), t.parameterCount(),
                    t.epochs(), t.stopReason()));
            if (ranks[i] == 1 && t.succeeded() && best == null) {
                best = t;
            }
        }
        ranked.sort(Comparator.comparingInt(SearchResults.RankedTrial::rank).thenComparingInt(SearchResults.RankedTrial::index));
        return new SearchResults(search.metric(), search.mode(), search.folds(), job.trialsTotal(), ranked,
                best == null ? null : best.index(), best == null ? null : best.params(), best == null ? null : best.score(),
                best == null ? null : best.history());
    }
}
