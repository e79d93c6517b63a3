package dev.backprop.search;

import dev.backprop.job.Job;
import dev.backprop.job.JobExecution;
import dev.backprop.job.JobType;
import dev.backprop.job.RunningJob;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.ModelService;
import dev.backprop.model.TrainedModel;
import dev.backprop.nn.Splits;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.Task;
import dev.backprop.nn.TrainingDivergedException;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.DatabaseOutages;
import dev.backprop.platform.FailureEpisode;
import dev.backprop.platform.ProblemType;
import dev.backprop.training.Direction;
import dev.backprop.training.JobDataMissingException;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.SearchType;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingInputs;
import dev.backprop.training.TrainingOutcome;
import dev.backprop.training.PreparedFolds;
import dev.backprop.model.Warning;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed search: every trial not yet stored (so a restart resumes where it stopped), in
 * parallel on free training workers — of every replica for a grid or random search ({@link TrialUnits}), of this
 * one otherwise ({@link RunningJob#runInParallel}) —, each with a seed derived from the search seed and its
 * index; then ranks them and, with {@code refit}, trains the best parameters once more as the search's model
 * ({@link Refit}). With {@code strategy: halving} the trials run in rungs of {@link SuccessiveHalving} (with
 * {@code hyperband}, in several brackets of them: {@link Hyperband});
 * with {@code medianStopping} each is watched by the {@link MedianStopping} rule.
 */
@Component
class SearchExecution implements JobExecution {

    private static final Logger log = LoggerFactory.getLogger(SearchExecution.class);

    private final TrainingInputs inputs;
    private final TrialRepository trials;
    private final TrialRunner trialRunner;
    private final JobSpecResolver resolver;
    private final SearchResolver searches;
    private final ModelService models;
    private final Clock clock;
    private final TrialUnits units;
    private final Duration retryInterval;
    private final Refit refit;

    SearchExecution(TrainingInputs inputs, TrialRepository trials, TrialRunner trialRunner, JobSpecResolver resolver,
                    SearchResolver searches, ModelService models, Clock clock, TrialUnits units, Refit refit,
                    BackpropProperties properties) {
        this.retryInterval = properties.history().retryInterval();
        this.units = units;
        this.inputs = inputs;
        this.trials = trials;
        this.trialRunner = trialRunner;
        this.resolver = resolver;
        this.searches = searches;
        this.models = models;
        this.clock = clock;
        this.refit = refit;
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.GRID_SEARCH, JobType.RANDOM_SEARCH, JobType.BAYESIAN_SEARCH, JobType.AUTO);
    }

    /** A trial's start (an event without id: not stored) or end (its id the trial's sequence), for live followers. */
    public record TrialEvent(int index, String status, Map<String, Object> params, Double score, String error) {
    }

    @Override
    public void run(Job job, RunningJob handle) {
        UUID id = job.id();
        ResolvedTrainingJob resolved = TrainingInputs.specOf(job);
        SearchSpec search = resolved.search();
        TrainingData data;
        try {
            // through an outage, as the trials' reads: a claim just before one must not run the search twice
            Optional<TrainingData> read = persist(handle, "Reading the data", () -> inputs.find(id));
            if (read.isEmpty()) {
                return;  // given up while the database was away; its lease runs out and another runner takes it
            }
            data = read.get();
        } catch (JobDataMissingException e) {
            finish(handle, j -> j.fail(ProblemType.TRAINING_FAILED, e.getMessage(), clock.instant()));
            return;
        }
        boolean bayesian = search.type().proposes();
        boolean auto = search.type() == SearchType.AUTO;
        // A Bayesian search's points are proposed as trials start; the others are known before any trial runs.
        List<Map<String, Object>> points = bayesian ? new ArrayList<>(java.util.Collections.nCopies(resolved.trials(), null))
                : searches.trials(resolved);
        Task task = resolved.engineTask();
        SearchMetric metric = SearchMetric.named(search.metric());
        boolean higherIsBetter = search.mode() == Direction.MAX;
        int[] foldOfRow = search.folds() == null ? null : Splits.foldAssignment(resolver.encoded(resolved, data), search.folds(),
                task == Task.CLASSIFICATION, new SplittableRandom(search.seed()));
        // an auto search's budget counts from the claim (loading the data is inside it)
        Instant start = auto && job.startedAt() != null ? job.startedAt() : clock.instant();
        Instant deadline = search.budget() == null ? null : start.plus(search.budget());
        // an auto search's refit is inside its budget: the trials get their share of it, the refit the rest
        Instant trialsDeadline = auto ? AutoSearch.trialsDeadline(start, search.budget()) : deadline;
        // read before the trials: one stored in between is both counted and told, never neither
        TrialFeed feed = new TrialFeed(trials, handle, trials.lastSequence(id));
        // the median stopping rule compares with the completed trials' histories, so a restart reads them
        List<TrialRecord> stored = trials.findTrials(id, search.stopsAtMedian());
        Hyperband rungs = search.halving() ? SearchResolver.rungs(search, points.size(), resolved.spec().training().epochs()) : null;
        SearchProgress progress = new SearchProgress(handle, higherIsBetter, search.maxConsecutiveFailures(), stored,
                rungs == null ? t -> 1 : rungs::runsSoFar);
        BayesianProposals proposals = bayesian ? new BayesianProposals(searches.space(resolved), higherIsBetter, resolved.trials(),
                search.seed(), stored) : null;
        // the rule compares the ranking metric per epoch when the history has it (the headline), else the validation loss
        boolean headline = metric.wireName().equals(task == Task.CLASSIFICATION ? "accuracy" : "r2");
        MedianStopping median = search.stopsAtMedian() ? new MedianStopping(search.medianStoppingMinEpochs(),
                search.medianStoppingMinTrials(), headline, higherIsBetter, stored) : null;
        Trials run = new Trials(id, handle, resolved, data, new PreparedFolds(), metric, foldOfRow, trialsDeadline, progress, proposals, points, median,
                auto, feed, auto ? AutoSearch.STALL_TRIALS : 0);
        IntFunction<Map<String, Object>> propose = proposer(proposals, auto ? AutoSearch.firstTrial(resolved) : null);

        List<Integer> pending = new ArrayList<>();
        for (int index = 0; index < points.size(); index++) {
            if (!progress.isFinished(index)) {
                pending.add(index);
            }
        }
        TrialUnits.Outcome spread = TrialUnits.Outcome.FINISHED;
        if (rungs != null) {
            rungs.run(() -> trials.findTrials(id, false), (rung, firstRun, rungPending, latest) -> runTrials(run, rungPending,
                            new TrialRunner.Budget(rung, rungs.epochShare(rung), null),
                            // a first run draws the points (a Bayesian search proposes them); later rungs train the stored ones again
                            !firstRun ? i -> latest.get(i).params() : bayesian ? propose : points::get, firstRun,
                            !firstRun || !bayesian),
                    () -> run.interrupted(clock) || handle.isAbandoned(), higherIsBetter);
        } else if (TrialUnits.spreads(search)) {
            spread = units.coordinate(job, handle, claimOrder(run, pending, points::get, true), points::get, trialsDeadline, progress,
                    feed);
        } else {
            runTrials(run, pending, new TrialRunner.Budget(0, 1, median), bayesian ? propose : points::get, true, !bayesian);
        }

        if (handle.isAbandoned() || spread == TrialUnits.Outcome.LOST) {
            log.info("Search {} abandoned (shutdown or lost lease); another runner resumes it", id);
            return;
        }
        if (handle.shouldStop() || spread == TrialUnits.Outcome.CANCEL_REQUESTED) {
            finish(handle, j -> j.cancelled(TrainingOutcome.cancelled(), clock.instant()));
            return;
        }
        // the writes from here wait for a database that went away, as a training job's end does
        if (persist(handle, "Writing the progress", () -> {
            progress.write();
            return Boolean.TRUE;
        }).isEmpty()) {
            return;
        }
        List<TrialRecord> finished = persist(handle, "Reading the trials", () -> trials.findTrials(id, false)).orElse(null);
        if (finished == null) {
            return;
        }
        if (progress.stopped()) {
            String detail = search.maxConsecutiveFailures() + " trials failed in a row; the last: " + progress.lastError();
            finish(handle, j -> j.fail(ProblemType.TRAINING_FAILED, detail, clock.instant()));
            return;
        }
        List<Double> scores = finished.stream().map(TrialRecord::score).toList();
        if (scores.stream().allMatch(Objects::isNull)) {
            String detail = finished.isEmpty() ? "no trial ran within the time budget" : "no trial succeeded; the last: " + progress.lastError();
            finish(handle, j -> j.fail(ProblemType.TRAINING_FAILED, detail, clock.instant()));
            return;
        }
        int[] ranks = TrialRanking.rankStandings(finished.stream().map(TrialRecord::standing).toList(), higherIsBetter);
        if (auto && foldOfRow != null && deadline != null) {
            List<TrialRecord> rescored = rescore(run, finished, ranks, start);
            if (handle.isAbandoned()) {
                return;
            }
            if (handle.shouldStop()) {
                finish(handle, j -> j.cancelled(TrainingOutcome.cancelled(), clock.instant()));
                return;
            }
            if (!rescored.isEmpty()) {
                if (persist(handle, "Storing the re-scores", () -> {
                    rescored.forEach(t -> trials.rescoreTrial(id, t));
                    return Boolean.TRUE;
                }).isEmpty()) {
                    return;
                }
                finished = persist(handle, "Reading the trials", () -> trials.findTrials(id, false)).orElse(null);
                if (finished == null) {
                    return;
                }
                ranks = TrialRanking.rankStandings(finished.stream().map(TrialRecord::standing).toList(), higherIsBetter);
            }
        }
        // an auto search's re-scored trials: the most regularised within a standard error of the best (Rescore)
        TrialRecord best = finished.get(auto ? Rescore.oneStandardError(finished, ranks, higherIsBetter) : indexOfRankOne(ranks));
        List<Warning> searchWarnings = tieWarning(finished, best, metric);
        boolean rungsCut = search.halving() && finished.stream().noneMatch(t -> t.succeeded() && !t.stoppedEarly());
        StopReason stopReason = run.stalled() ? StopReason.EARLY_STOPPED
                : finished.size() < points.size() || rungsCut ? StopReason.TIME_LIMIT : StopReason.COMPLETED;
        UUID modelId = null;
        FinalMetrics metrics = null;
        if (Boolean.TRUE.equals(search.refit())) {
            try {
                TrainedModel model = refit.train(id, resolved, data, best, Refit.ruleOf(resolved),
                        auto ? AutoSearch.ENSEMBLE_MEMBERS : 1, handle, searchWarnings,
                        auto ? deadline : null);
                if (model == null) {
                    if (handle.isAbandoned()) {
                        return;
                    }
                    finish(handle, j -> j.cancelled(TrainingOutcome.cancelled(), clock.instant()));
                    return;
                }
                if (persist(handle, "Storing the refit model", () -> {
                    models.store(model);
                    return Boolean.TRUE;
                }).isEmpty()) {
                    return;
                }
                modelId = model.id();
                metrics = model.metrics();
            } catch (ApiException | TrainingDivergedException e) {
                String detail = "refitting the best parameters failed: " + e.getMessage();
                finish(handle, j -> j.fail(ProblemType.TRAINING_FAILED, detail, clock.instant()));
                return;
            }
        }
        UUID finalModel = modelId;
        TrainingOutcome outcome = new TrainingOutcome(stopReason, null, metrics);
        // A cancel that landed after the last trial still wins, as for a training job; its refit model goes with it.
        Optional<Job> ended = finish(handle, j -> j.succeedUnlessCancelled(finalModel, outcome, TrainingOutcome.cancelled(),
                clock.instant()));
        if (finalModel != null && ended.map(j -> !finalModel.equals(j.modelId())).orElse(true)) {
            persist(handle, "Discarding the refit model", () -> {
                models.discard(finalModel);
                return Boolean.TRUE;
            });
        }
    }

    /**
     * An auto search's re-scores ({@link Rescore}): the first ranking's best trials trained again on a second,
     * differently seeded split into as many folds, in rank order on free workers while one of a trial's measured time
     * still ends by {@link Rescore#SHARE} of the budget; then, while a whole round of them is expected to end by then,
     * on a third split and more, up to {@link Rescore#MAX_SPLITS}; each combined with its first scores. Empty when the
     * first-ranked trial or every other was not re-scored in whole on the second split: then the first ranking stands.
     */
    private List<TrialRecord> rescore(Trials run, List<TrialRecord> finished, int[] ranks, Instant start) {
        ResolvedTrainingJob resolved = run.resolved();
        SearchSpec search = resolved.search();
        List<TrialRecord> candidates = Rescore.candidates(finished, ranks);
        if (candidates.size() < 2) {
            return List.of();
        }
        Instant until = start.plus(AutoSearch.share(search.budget(), Rescore.SHARE));
        int parallelism = Math.max(1, search.parallelism());
        RescoreProgress progress = new RescoreProgress(run.handle(), candidates.size());
        TrialRecord[] second = rescoreRound(run, candidates, 1, until, progress);
        List<TrialRecord> kept = new ArrayList<>();
        List<List<TrialRecord>> again = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            if (Rescore.whole(second[c], search.folds())) {
                kept.add(candidates.get(c));
                again.add(new ArrayList<>(List.of(second[c])));
            }
        }
        boolean firstRescored = Rescore.whole(second[0], search.folds());
        if (!firstRescored || kept.size() < 2) {
            return List.of();
        }
        for (int repeat = 2; repeat < Rescore.MAX_SPLITS; repeat++) {
            // the last round's own times, one run per worker at a time: a round that would end after the share is not begun
            long lastRound = again.stream().mapToLong(splits -> splits.get(splits.size() - 1).fitMillis()).sum();
            if (run.handle().shouldStop() || clock.instant().plusMillis(lastRound / parallelism).isAfter(until)) {
                break;
            }
            progress.plan(kept.size());
            TrialRecord[] round = rescoreRound(run, kept, repeat, until, progress);
            boolean whole = java.util.Arrays.stream(round).allMatch(t -> Rescore.whole(t, search.folds()));
            if (!whole) {
                // a round some candidate missed would measure them on different splits: it does not count
                break;
            }
            for (int c = 0; c < kept.size(); c++) {
                again.get(c).add(round[c]);
            }
        }
        List<TrialRecord> combined = new ArrayList<>();
        for (int c = 0; c < kept.size(); c++) {
            combined.add(Rescore.combined(kept.get(c), again.get(c)));
        }
        return combined;
    }

    /**
     * One round of re-scores: each of {@code trials} trained on re-score split {@code repeat}, in order on free workers,
     * each started only while one of its last measured times still ends by {@code until} and cut there; a slot is null
     * for a trial not started or stopped.
     */
    private TrialRecord[] rescoreRound(Trials run, List<TrialRecord> trials, int repeat, Instant until, RescoreProgress progress) {
        ResolvedTrainingJob resolved = run.resolved();
        SearchSpec search = resolved.search();
        int[] split = Splits.foldAssignment(resolver.encoded(resolved, run.data()), search.folds(),
                resolved.engineTask() == Task.CLASSIFICATION, Rescore.splitRandom(search.seed(), repeat));
        // its own preparations: a fold of another split is other rows than the same-numbered fold of the first
        PreparedFolds prepared = new PreparedFolds();
        TrialRecord[] again = new TrialRecord[trials.size()];
        List<Runnable> tasks = new ArrayList<>();
        for (int c = 0; c < trials.size(); c++) {
            int slot = c;
            TrialRecord first = trials.get(c);
            tasks.add(() -> {
                if (run.handle().shouldStop() || clock.instant().plusMillis(first.fitMillis()).isAfter(until)) {
                    progress.skipped(first.index(), repeat + 1);
                    return;
                }
                progress.started(first.index(), repeat + 1);
                // bounded by the re-scores' share, not the budget: a run that overruns its estimate under load is cut there
                // (and its round does not count) rather than eat the refit's time; one run to the budget's end left a
                // friedman1 refit no time for an epoch (bench/NOTES.md)
                again[slot] = trialRunner.run(first.index(), first.params(), resolved, run.data(), prepared, run.metric(), split,
                        until, run.handle(), new TrialRunner.Budget(1, 1, null));
                progress.ended(first.index(), repeat + 1, again[slot], search.folds());
            });
        }
        run.handle().runInParallel(tasks, Math.max(1, search.parallelism()));
        return again;
    }

    /**
     * Runs a write of this search, trying again every {@code backprop.history.retry-interval} while the database is
     * unreachable; empty once this replica gave the search up (its lease was lost, or the service stops).
     */
    private <T> Optional<T> persist(RunningJob handle, String what, java.util.function.Supplier<T> write) {
        return DatabaseOutages.retry(write, retryInterval, handle::pauseBeforeRetry,
                new FailureEpisode(log, what + " of search " + handle.id()));
    }

    /** Ends the search with {@code transition}, through a short outage; empty when this runner did not store it. */
    private Optional<Job> finish(RunningJob handle, java.util.function.Consumer<Job> transition) {
        return persist(handle, "Ending", () -> handle.finish(transition)).flatMap(ended -> ended);
    }

    /** A Bayesian search's points as trials start (an auto search's first is {@code first}); null for other searches. */
    private static IntFunction<Map<String, Object>> proposer(BayesianProposals proposals, Map<String, Object> first) {
        if (proposals == null) {
            return null;
        }
        return first == null ? proposals::propose : i -> i == 0 ? proposals.enqueue(0, first) : proposals.propose(i);
    }

    /**
     * What every trial of one search run shares.
     *
     * @param deadline        when the trials must end (an auto search's share of its budget), or null
     * @param onlyWholeTrials start a trial only when a trial of the mean time so far still ends before the deadline
     *                        (auto: a trial cut by the budget is time spent on a score that compares with nothing)
     * @param feed            tells followers of each trial stored, in the order stored
     * @param stallTrials     start no more trials once this many in a row found no better score (auto), or 0
     */
    private record Trials(UUID id, RunningJob handle, ResolvedTrainingJob resolved, TrainingData data, PreparedFolds folds,
                          SearchMetric metric,
                          int[] foldOfRow, Instant deadline, SearchProgress progress, BayesianProposals proposals,
                          List<Map<String, Object>> points, MedianStopping median, boolean onlyWholeTrials, TrialFeed feed,
                          int stallTrials) {

        boolean interrupted(Clock clock) {
            return handle.shouldStop() || progress.stopped() || (deadline != null && !clock.instant().isBefore(deadline));
        }

        boolean tooLateToStart(Clock clock) {
            return stalled() || onlyWholeTrials && deadline != null
                    && clock.instant().plusMillis(Math.round(progress.meanFitMillis())).isAfter(deadline);
        }

        boolean stalled() {
            return stallTrials > 0 && progress.trialsSinceImprovement() >= stallTrials;
        }
    }

    /**
     * Runs {@code pending} trials in parallel on free workers with {@code budget}; {@code pointOf} gives a
     * trial's parameters as it starts (a Bayesian proposal is made then); {@code firstRun} says these trials have
     * no stored record yet (a halving rung after their first replaces it).
     */
    private void runTrials(Trials run, List<Integer> pending, TrialRunner.Budget budget, IntFunction<Map<String, Object>> pointOf,
                           boolean firstRun, boolean longestFirst) {
        List<Integer> order = claimOrder(run, pending, pointOf, longestFirst);
        boolean proposing = run.proposals() != null && firstRun;
        RunningJob handle = run.handle();
        List<Runnable> tasks = new ArrayList<>();
        for (int trial : order) {
            tasks.add(() -> {
                if (run.interrupted(clock) || run.tooLateToStart(clock)) {
                    return;
                }
                Map<String, Object> point = pointOf.apply(trial);
                handle.publish("trial", new TrialEvent(trial, "STARTED", point, null, null));
                TrialRecord record = trialRunner.run(trial, point, run.resolved(), run.data(), run.folds(), run.metric(), run.foldOfRow(),
                        run.deadline(), handle, budget);
                if (record == null) {
                    if (proposing) {
                        run.proposals().abandon(trial);
                    }
                    return;
                }
                // idempotent, so a store retried after an outage stores the trial once
                Optional<Long> stored = persist(handle, "Storing trial " + trial, () -> firstRun ? trials.insertTrial(run.id(), record)
                        : trials.promoteTrial(run.id(), record));
                if (stored.isEmpty()) {
                    return;
                }
                long sequence = stored.get();
                run.progress().record(record);
                if (proposing) {
                    run.proposals().finish(record);
                }
                if (run.median() != null) {
                    run.median().complete(record);
                }
                run.feed().stored(sequence, record);
            });
        }
        handle.runInParallel(tasks, Math.max(1, run.resolved().search().parallelism()));
    }

    /** The order trials start in: longest first, since a big trial started last would leave the other workers idle at the end. */
    private List<Integer> claimOrder(Trials run, List<Integer> pending, IntFunction<Map<String, Object>> pointOf, boolean longestFirst) {
        List<Integer> order = new ArrayList<>(pending);
        if (longestFirst) {
            Map<Integer, Long> cost = new java.util.HashMap<>();
            order.forEach(i -> cost.put(i, trialRunner.estimatedCost(run.resolved(), pointOf.apply(i), run.data())));
            order.sort(java.util.Comparator.comparing((Integer i) -> -cost.get(i)).thenComparing(i -> i));
        }
        return order;
    }

    /**
     * A warning when the best trials tie on the score, saying what broke the tie. Only trials that trained as far
     * as the best count: a trial stopped early (median rule, halving's lower rungs) with the same score is no tie,
     * it already ranks below.
     */
    static List<Warning> tieWarning(List<TrialRecord> finished, TrialRecord best, SearchMetric metric) {
        long tied = finished.stream().filter(t -> t.succeeded() && t.score().equals(best.score())
                && t.standing().stage() == best.standing().stage()).count();
        if (tied < 2) {
            return List.of();
        }
        return List.of(new Warning(Warning.TIED_TRIALS, tied + " trials tie at " + metric.wireName() + " " + best.score()
                + "; the lower validation loss (then the fewer parameters) picked trial " + best.index() + ". More validation "
                + "rows or search.folds tell such trials apart by their score."));
    }

    private static int indexOfRankOne(int[] ranks) {
        for (int i = 0; i < ranks.length; i++) {
            if (ranks[i] == 1) {
                return i;
            }
        }
        throw new IllegalStateException("no trial ranked first");
    }
}
