package dev.backprop.search;

import dev.backprop.job.Job;
import dev.backprop.job.JobEvent;
import dev.backprop.job.JobStatus;
import dev.backprop.job.JobType;
import dev.backprop.job.SearchPhase;
import dev.backprop.job.StoredEvents;
import dev.backprop.training.Direction;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.TrainingInputs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Reads a search's outcome: its stored trials, ranked, and as the events of its followers. */
@Component
public class SearchReports implements StoredEvents {

    private final TrialRepository trials;
    private final TrialQueue queue;

    SearchReports(TrialRepository trials, TrialQueue queue) {
        this.trials = trials;
        this.queue = queue;
    }

    @Override
    public java.util.Set<JobType> types() {
        return java.util.EnumSet.of(JobType.GRID_SEARCH, JobType.RANDOM_SEARCH, JobType.BAYESIAN_SEARCH, JobType.AUTO);
    }

    /** The search's trials stored after sequence {@code afterId}, in that order, each as the event its sequence is the id of. */
    @Override
    public List<JobEvent> after(Job job, long afterId) {
        return trials.findTrialsAfter(job.id(), afterId).stream().map(TrialFeed::event).toList();
    }

    /**
     * A trial running now, on any replica.
     *
     * @param epoch  the latest epoch it finished (of its current fold, with cross-validation)
     * @param epochs the epochs it trains at most (early stopping may end it sooner)
     * @param worker the runner (replica) that runs it
     */
    public record RunningTrial(int index, int epoch, int epochs, String worker) {
    }

    /**
     * The trials a running grid or random search runs now, on every replica; null for other searches (their trials
     * run on the search's replica and are not tracked as units) and for a search that is not running.
     */
    public List<RunningTrial> runningTrials(Job job, Instant now) {
        if (!job.type().isSearch() || job.status() != JobStatus.RUNNING || !TrialUnits.spreads(TrainingInputs.specOf(job).search())) {
            return null;
        }
        int epochs = TrainingInputs.specOf(job).spec().training().epochs();
        return queue.running(job.id(), now).stream().map(t -> new RunningTrial(t.index(), t.epoch(),
                t.params().get("epochs") instanceof Number n ? n.intValue() : epochs, t.owner())).toList();
    }

    /**
     * Estimated seconds until a running search's last trial ends: its finished trials' mean fit time
     * for each trial left, less the share of their epochs the running trials have done, run as many at a time as
     * run now on every replica (never more than {@code parallelism}; with none running, {@code parallelism}), and no later than its time budget allows
     * (the refit after the trials is not counted). Trial times rather than the time since the start:
     * a search resumed after a restart starts its clock anew with trials already done. Null unless
     * running with a trial finished.
     */
    public Long etaSeconds(Job job, Instant now) {
        if (job.type() == JobType.AUTO && job.status() == JobStatus.RUNNING && job.startedAt() != null) {
            return autoEtaSeconds(job, now);
        }
        if (!job.type().isSearch() || job.status() != JobStatus.RUNNING || job.trialsDone() == 0) {
            return null;
        }
        Double meanMillis = trials.meanFitMillis(job.id());
        if (meanMillis == null) {
            return null;
        }
        SearchSpec search = TrainingInputs.specOf(job).search();
        Long budgetLeft = search.budget() == null || job.startedAt() == null ? null
                : Math.round(search.budget().minus(Duration.between(job.startedAt(), now)).toMillis() / 1000.0);
        int parallelism = search.parallelism() == null ? 1 : search.parallelism();
        List<RunningTrial> running = runningTrials(job, now);
        if (running == null || running.isEmpty()) {
            return etaSeconds(meanMillis, job.trialsTotal() - job.trialsDone(), parallelism, budgetLeft);
        }
        double doneOfRunning = running.stream().mapToDouble(t -> Math.min(1, t.epoch() / (double) Math.max(1, t.epochs()))).sum();
        return etaSeconds(meanMillis, job.trialsTotal() - job.trialsDone() - doneOfRunning, running.size(),
                budgetLeft);
    }

    /**
     * Estimated seconds until a running auto search ends, counting every phase still ahead: the trials until their
     * share of the budget ({@link AutoSearch#TRIALS_SHARE}), the re-scores ({@link Rescore}: up to {@link Rescore#MAX_SPLITS}
     * − 1 rounds of {@link Rescore#CANDIDATES} runs, each of a trial's mean time, {@code parallelism} at a time, until
     * {@link Rescore#SHARE} of the budget), and the refit's members ({@link AutoSearch#ENSEMBLE_MEMBERS}, each estimated
     * at a trial's mean time over its folds less one: one network on every row against a trial's networks on most of
     * them), counted from the phase the job is in and its units done; never more than the budget left. The budget left
     * alone until a trial has finished. In the refit, the refit's own estimate when it recorded one ({@link Refit#endsAt}:
     * its members' measured times, within their shares of the budget), not a trial's time.
     */
    Long autoEtaSeconds(Job job, Instant now) {
        SearchSpec search = TrainingInputs.specOf(job).search();
        if (search.budget() == null) {
            return null;
        }
        double budgetMillis = search.budget().toNanos() / 1e6;
        double elapsed = Math.max(0, Duration.between(job.startedAt(), now).toMillis());
        long budgetLeft = Math.max(0, Math.round((budgetMillis - elapsed) / 1000));
        if (job.phase() == SearchPhase.REFIT && job.phaseEndsAt() != null) {
            // the refit's own estimate (its members' measured times within their shares, Refit.endsAt)
            return Math.min(budgetLeft, Math.max(0, Math.round(Duration.between(now, job.phaseEndsAt()).toMillis() / 1000.0)));
        }
        Double mean = job.trialsDone() == 0 ? null : trials.meanFitMillis(job.id());
        if (mean == null) {
            return budgetLeft;
        }
        return Math.min(budgetLeft, Math.round(autoMillisLeft(job.phase(), job.phaseDone(), job.phaseTotal(), budgetMillis, elapsed,
                mean, search.parallelism() == null ? 1 : search.parallelism(), search.folds()) / 1000));
    }

    /**
     * The milliseconds an auto search in {@code phase} ({@code done} of {@code total} of its units) still takes, by
     * {@link #autoEtaSeconds}'s estimate; a null phase is the trials' (a search that has not reported one).
     *
     * @param folds the search's folds, or null without (then it re-scores nothing)
     */
    static double autoMillisLeft(SearchPhase phase, int done, int total, double budgetMillis, double elapsed,
                                 double meanFitMillis, int parallelism, Integer folds) {
        int parallel = Math.max(1, parallelism);
        double member = meanFitMillis / Math.max(1, folds == null ? 1 : folds - 1);
        double refit = AutoSearch.ENSEMBLE_MEMBERS * member;
        double rescoresMost = folds == null ? 0 : (Rescore.MAX_SPLITS - 1) * Rescore.CANDIDATES * meanFitMillis / parallel;
        double rescoreShare = folds == null ? 0 : (Rescore.SHARE - AutoSearch.TRIALS_SHARE) * budgetMillis;
        if (phase == null || phase == SearchPhase.TRIALS) {
            double trialsLeft = Math.max(0, AutoSearch.TRIALS_SHARE * budgetMillis - elapsed);
            return trialsLeft + Math.min(rescoreShare, rescoresMost) + refit;
        }
        if (phase == SearchPhase.RESCORES) {
            double untilShare = Math.max(0, Rescore.SHARE * budgetMillis - elapsed);
            double runsLeft = (Rescore.MAX_SPLITS - 1) * Rescore.CANDIDATES - done;
            return Math.min(untilShare, Math.max(0, runsLeft) * meanFitMillis / parallel) + refit;
        }
        return Math.max(0, total - done) * member;
    }

    /**
     * Seconds for {@code trialsLeft} trials of {@code meanFitMillis} each, {@code parallelism} at a time,
     * within what is left of a budget (null for none).
     */
    static long etaSeconds(double meanFitMillis, double trialsLeft, int parallelism, Long budgetLeftSeconds) {
        double left = Math.max(0, trialsLeft);
        double parallel = Math.max(1, Math.min(parallelism, Math.ceil(left)));
        long eta = Math.round(meanFitMillis * left / parallel / 1000);
        return budgetLeftSeconds == null ? eta : Math.min(eta, Math.max(0, budgetLeftSeconds));
    }

    /**
     * One finished trial of a search with its per-epoch history, in the terms of its metric; empty when the job
     * is not a search or has no finished trial of that index.
     *
     * @param metric the headline metric of the history (accuracy or r2), not necessarily the search's ranking metric
     */
    public record TrialHistory(TrialRecord trial, String metric) {
    }

    public java.util.Optional<TrialHistory> trialHistory(Job job, int index) {
        if (!job.type().isSearch()) {
            return java.util.Optional.empty();
        }
        String metric = TrainingInputs.specOf(job).engineTask().headlineMetricName();
        return trials.findTrial(job.id(), index).map(t -> new TrialHistory(t, metric));
    }

    /** A search's trials ranked by its metric, with the best one and its history. */
    public SearchResults of(Job job) {
        SearchSpec search = TrainingInputs.specOf(job).search();
        List<TrialRecord> stored = trials.findTrials(job.id(), true);
        Map<Integer, String> workers = trials.workers(job.id());
        int[] ranks = TrialRanking.rankStandings(stored.stream().map(TrialRecord::standing).toList(), search.mode() == Direction.MAX);
        List<SearchResults.RankedTrial> ranked = new ArrayList<>();
        TrialRecord best = null;
        // an auto search has no halving: its rung-1 trials are its re-scored ones (Rescore)
        boolean auto = job.type() == JobType.AUTO;
        int rescored = 0;
        for (int i = 0; i < stored.size(); i++) {
            TrialRecord t = stored.get(i);
            boolean again = auto && t.rung() >= 1 && t.foldScores() != null && search.folds() != null;
            rescored += again ? 1 : 0;
            Double firstScore = again ? t.foldScores().stream().limit(search.folds()).mapToDouble(Double::doubleValue).average()
                    .orElseThrow() : null;
            ranked.add(new SearchResults.RankedTrial(t.index(), ranks[i], t.params(), t.status(), t.score(), t.scoreStd(),
                    t.foldScores(), t.fitMillis(), t.error(), t.seed(), t.validationLoss(), t.bestEpoch(), t.parameterCount(),
                    t.epochs(), t.stopReason(), workers.get(t.index()), again ? Boolean.TRUE : null, firstScore));
            if (ranks[i] == 1 && t.succeeded() && best == null) {
                best = t;
            }
        }
        ranked.sort(Comparator.comparingInt(SearchResults.RankedTrial::rank).thenComparingInt(SearchResults.RankedTrial::index));
        String chosenBy = null;
        if (auto && best != null) {
            // as the search chose its refit (SearchExecution): the one-standard-error rule among the re-scored trials
            TrialRecord first = best;
            best = stored.get(Rescore.oneStandardError(stored, ranks, search.mode() == Direction.MAX));
            chosenBy = rescored < 2 ? Rescore.BY_FIRST_RANKING : best != first ? Rescore.BY_ONE_STANDARD_ERROR : Rescore.BY_RESCORED_MEAN;
        }
        return new SearchResults(search.metric(), search.mode(), search.folds(), job.trialsTotal(), ranked,
                best == null ? null : best.index(), best == null ? null : best.params(), best == null ? null : best.score(),
                best == null ? null : best.history(),
                chosenBy);
    }
}
