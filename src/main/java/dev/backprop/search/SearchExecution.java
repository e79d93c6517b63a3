package dev.backprop.search;

import dev.backprop.job.Job;
import dev.backprop.job.JobExecution;
import dev.backprop.job.JobType;
import dev.backprop.job.RunningJob;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.ModelProvenance;
import dev.backprop.model.ModelService;
import dev.backprop.model.TrainedModel;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.Network;
import dev.backprop.nn.Splits;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.Task;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingDivergedException;
import dev.backprop.nn.TrainingResult;
import dev.backprop.platform.ApiException;
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
import dev.backprop.model.Warning;
import dev.backprop.training.ModelEvaluation;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import dev.backprop.training.TrainingPlan;
import java.time.Clock;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed search: every trial not yet stored (so a restart resumes where it stopped), in
 * parallel on free training workers ({@link RunningJob#runInParallel}), each with a seed derived from the search seed and its
 * index; then ranks them and, with {@code refit}, trains the best parameters on all rows as the
 * search's model. With {@code strategy: halving} the trials run in rungs of {@link SuccessiveHalving};
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
    private final SearchParameters parameters;
    private final ModelService models;
    private final JsonMapper json;
    private final Clock clock;

    SearchExecution(TrainingInputs inputs, TrialRepository trials, TrialRunner trialRunner, JobSpecResolver resolver,
                    SearchResolver searches, SearchParameters parameters, ModelService models, JsonMapper json, Clock clock) {
        this.inputs = inputs;
        this.trials = trials;
        this.trialRunner = trialRunner;
        this.resolver = resolver;
        this.searches = searches;
        this.parameters = parameters;
        this.models = models;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.GRID_SEARCH, JobType.RANDOM_SEARCH, JobType.BAYESIAN_SEARCH);
    }

    /** A trial's start or end, for live followers. */
    public record TrialEvent(int index, String status, Map<String, Object> params, Double score, String error) {
    }

    @Override
    public void run(Job job, RunningJob handle) {
        UUID id = job.id();
        ResolvedTrainingJob resolved = TrainingInputs.specOf(job);
        SearchSpec search = resolved.search();
        TrainingData data;
        try {
            data = inputs.find(id);
        } catch (JobDataMissingException e) {
            handle.finish(j -> j.fail(ProblemType.TRAINING_FAILED, e.getMessage(), clock.instant()));
            return;
        }
        boolean bayesian = search.type() == SearchType.BAYESIAN_SEARCH;
        // A Bayesian search's points are proposed as trials start; the others are known before any trial runs.
        List<Map<String, Object>> points = bayesian ? new ArrayList<>(java.util.Collections.nCopies(resolved.trials(), null))
                : searches.trials(resolved);
        Task task = resolved.engineTask();
        SearchMetric metric = SearchMetric.named(search.metric());
        boolean higherIsBetter = search.mode() == Direction.MAX;
        int[] foldOfRow = search.folds() == null ? null : Splits.foldAssignment(resolver.encoded(resolved, data), search.folds(),
                task == Task.CLASSIFICATION, new SplittableRandom(search.seed()));
        Instant deadline = search.maxRuntimeSeconds() == null ? null : clock.instant().plusSeconds(search.maxRuntimeSeconds());
        // the median stopping rule compares with the completed trials' histories, so a restart reads them
        List<TrialRecord> stored = trials.findTrials(id, search.stopsAtMedian());
        SearchProgress progress = new SearchProgress(handle, higherIsBetter, search.maxConsecutiveFailures(), stored);
        BayesianProposals proposals = bayesian ? new BayesianProposals(searches.space(resolved), higherIsBetter, resolved.trials(),
                search.seed(), stored) : null;
        // the rule compares the ranking metric per epoch when the history has it (the headline), else the validation loss
        boolean headline = metric.wireName().equals(task == Task.CLASSIFICATION ? "accuracy" : "r2");
        MedianStopping median = search.stopsAtMedian() ? new MedianStopping(search.medianStoppingMinEpochs(),
                search.medianStoppingMinTrials(), headline, higherIsBetter, stored) : null;
        Trials run = new Trials(id, handle, resolved, data, metric, foldOfRow, deadline, progress, proposals, points, median);

        List<Integer> pending = new ArrayList<>();
        for (int index = 0; index < points.size(); index++) {
            if (!progress.isFinished(index)) {
                pending.add(index);
            }
        }
        if (search.halving()) {
            SuccessiveHalving halving = SuccessiveHalving.of(points.size(), resolved.spec().training().epochs(), search.halvingEta());
            halving.run(() -> trials.findTrials(id, false), (rung, rungPending, latest) -> runTrials(run, rungPending,
                            new TrialRunner.Budget(rung, halving.epochShare(rung), null),
                            // rung 0 draws the points (a Bayesian search proposes them); later rungs train the stored ones again
                            rung > 0 ? i -> latest.get(i).params() : bayesian ? proposals::propose : points::get, rung > 0 || !bayesian),
                    () -> run.interrupted(clock) || handle.isAbandoned(), higherIsBetter);
        } else {
            runTrials(run, pending, new TrialRunner.Budget(0, 1, median), bayesian ? proposals::propose : points::get, !bayesian);
        }

        if (handle.isAbandoned()) {
            log.info("Search {} abandoned (shutdown or lost lease); another runner resumes it", id);
            return;
        }
        if (handle.shouldStop()) {
            handle.finish(j -> j.cancelled(TrainingOutcome.cancelled(), clock.instant()));
            return;
        }
        List<TrialRecord> finished = trials.findTrials(id, false);
        if (progress.stopped()) {
            String detail = search.maxConsecutiveFailures() + " trials failed in a row; the last: " + progress.lastError();
            handle.finish(j -> j.fail(ProblemType.TRAINING_FAILED, detail, clock.instant()));
            return;
        }
        List<Double> scores = finished.stream().map(TrialRecord::score).toList();
        if (scores.stream().allMatch(Objects::isNull)) {
            String detail = finished.isEmpty() ? "no trial ran within the time budget" : "no trial succeeded; the last: " + progress.lastError();
            handle.finish(j -> j.fail(ProblemType.TRAINING_FAILED, detail, clock.instant()));
            return;
        }
        int[] ranks = TrialRanking.rankStandings(finished.stream().map(TrialRecord::standing).toList(), higherIsBetter);
        TrialRecord best = finished.get(indexOfRankOne(ranks));
        List<Warning> searchWarnings = tieWarning(finished, best, metric);
        boolean rungsCut = search.halving() && finished.stream().noneMatch(t -> t.succeeded() && !t.stoppedEarly());
        StopReason stopReason = finished.size() < points.size() || rungsCut ? StopReason.TIME_LIMIT : StopReason.COMPLETED;
        UUID modelId = null;
        FinalMetrics metrics = null;
        if (Boolean.TRUE.equals(search.refit())) {
            try {
                TrainedModel model = refit(id, resolved, data, best, search, handle, searchWarnings);
                if (model == null) {
                    if (handle.isAbandoned()) {
                        return;
                    }
                    handle.finish(j -> j.cancelled(TrainingOutcome.cancelled(), clock.instant()));
                    return;
                }
                models.store(model);
                modelId = model.id();
                metrics = model.metrics();
            } catch (ApiException | TrainingDivergedException e) {
                String detail = "refitting the best parameters failed: " + e.getMessage();
                handle.finish(j -> j.fail(ProblemType.TRAINING_FAILED, detail, clock.instant()));
                return;
            }
        }
        UUID finalModel = modelId;
        TrainingOutcome outcome = new TrainingOutcome(stopReason, null, metrics);
        // A cancel that landed after the last trial still wins, as for a training job; its refit model goes with it.
        Optional<Job> ended = handle.finish(j -> j.succeedUnlessCancelled(finalModel, outcome, TrainingOutcome.cancelled(),
                clock.instant()));
        if (finalModel != null && ended.map(j -> !finalModel.equals(j.modelId())).orElse(true)) {
            models.discard(finalModel);
        }
    }

    /** What every trial of one search run shares. */
    private record Trials(UUID id, RunningJob handle, ResolvedTrainingJob resolved, TrainingData data, SearchMetric metric,
                          int[] foldOfRow, Instant deadline, SearchProgress progress, BayesianProposals proposals,
                          List<Map<String, Object>> points, MedianStopping median) {

        boolean interrupted(Clock clock) {
            return handle.shouldStop() || progress.stopped() || (deadline != null && !clock.instant().isBefore(deadline));
        }
    }

    /**
     * Runs {@code pending} trials in parallel on free workers with {@code budget}; {@code pointOf} gives a
     * trial's parameters as it starts (a Bayesian proposal is made then).
     */
    private void runTrials(Trials run, List<Integer> pending, TrialRunner.Budget budget, IntFunction<Map<String, Object>> pointOf,
                           boolean longestFirst) {
        List<Integer> order = new ArrayList<>(pending);
        if (longestFirst) {
            // Longest first: a big trial started last would leave the other workers idle at the end.
            Map<Integer, Long> cost = new java.util.HashMap<>();
            order.forEach(i -> cost.put(i, trialRunner.estimatedCost(run.resolved(), pointOf.apply(i), run.data())));
            order.sort(java.util.Comparator.comparing((Integer i) -> -cost.get(i)).thenComparing(i -> i));
        }
        boolean proposing = run.proposals() != null && budget.rung() == 0;
        RunningJob handle = run.handle();
        List<Runnable> tasks = new ArrayList<>();
        for (int trial : order) {
            tasks.add(() -> {
                if (run.interrupted(clock)) {
                    return;
                }
                Map<String, Object> point = pointOf.apply(trial);
                handle.publish("trial", new TrialEvent(trial, "STARTED", point, null, null));
                TrialRecord record = trialRunner.run(trial, point, run.resolved(), run.data(), run.metric(), run.foldOfRow(),
                        run.deadline(), handle, budget);
                if (record == null) {
                    if (proposing) {
                        run.proposals().abandon(trial);
                    }
                    return;
                }
                if (budget.rung() == 0) {
                    trials.insertTrial(run.id(), record);
                } else {
                    trials.promoteTrial(run.id(), record);
                }
                run.progress().record(record);
                if (proposing) {
                    run.proposals().finish(record);
                }
                if (run.median() != null) {
                    run.median().complete(record);
                }
                handle.publish("trial", new TrialEvent(trial, record.status(), record.params(), record.score(), record.error()));
            });
        }
        handle.runInParallel(tasks, Math.max(1, run.resolved().search().parallelism()));
    }

    /** A warning when the best trials tie on the score, saying what broke the tie. */
    private static List<Warning> tieWarning(List<TrialRecord> finished, TrialRecord best, SearchMetric metric) {
        long tied = finished.stream().filter(t -> t.succeeded() && t.score().equals(best.score())).count();
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

    /**
     * Trains the best parameters once more on every row (scikit-learn's {@code refit}), for the epochs
     * the best trial's early stopping chose (its full epochs without early stopping). Null when interrupted.
     */
    private TrainedModel refit(UUID jobId, ResolvedTrainingJob search, TrainingData data, TrialRecord best, SearchSpec spec,
                               RunningJob handle, List<Warning> searchWarnings) {
        TrainingJobSpec bestSpec = parameters.apply(search.spec(), best.params(), spec.seed());
        TrainingConfig training = bestSpec.training();
        boolean earlyStopped = training.earlyStopping() != null || search.defaults().containsKey("training.earlyStopping");
        int epochs = earlyStopped && best.bestEpoch() != null ? Math.max(1, best.bestEpoch()) : training.epochs();
        ResolvedTrainingJob refit = resolver.resolve(bestSpec.withTraining(training.forRefit(epochs, spec.seed())), data);
        TrainingPlan plan = resolver.plan(refit, data);
        Network network = Network.initialize(plan.network(), plan.random());
        TrainingResult result = new Trainer().train(network, plan.trainingData(), null, plan.training(), plan.random(),
                handle::shouldStop, EpochListener.NONE);
        if (result.stopReason() == StopReason.CANCELLED) {
            return null;
        }
        plan.restoreTargetUnitsInPlace(network);
        FinalMetrics evaluated = ModelEvaluation.evaluate(network, plan, result);
        List<Warning> warnings = new ArrayList<>(evaluated.warnings());
        warnings.addAll(searchWarnings);
        ModelProvenance provenance = ModelProvenance.ofThisVersion(spec.type().wireName(), best.params(), json.valueToTree(refit.spec()),
                refit.spec().training().seed(), data.datasetId(), plan.trainingData().rows(), data.table().rowCount());
        return new TrainedModel(UUID.randomUUID(), jobId, clock.instant(), plan.task(), plan.featureNames(), plan.targetColumn(),
                plan.pipeline(), plan.labels(), network, new FinalMetrics(evaluated.training(), null, evaluated.baseline(), warnings),
                provenance);
    }
}
