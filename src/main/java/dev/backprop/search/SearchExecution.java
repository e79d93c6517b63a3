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
import java.util.SplittableRandom;
import java.util.UUID;
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
 * search's model.
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
        List<TrialRecord> stored = trials.findTrials(id, false);
        Progress progress = new Progress(handle, higherIsBetter, search.maxConsecutiveFailures(), stored);
        BayesianProposals proposals = bayesian ? new BayesianProposals(searches.space(resolved), higherIsBetter, resolved.trials(),
                search.seed(), stored) : null;

        List<Integer> pending = new ArrayList<>();
        for (int index = 0; index < points.size(); index++) {
            if (!progress.isFinished(index)) {
                pending.add(index);
            }
        }
        if (!bayesian) {
            // Longest first: a big trial started last would leave the other workers idle at the end.
            Map<Integer, Long> cost = new java.util.HashMap<>();
            pending.forEach(i -> cost.put(i, trialRunner.estimatedCost(resolved, points.get(i), data)));
            pending.sort(java.util.Comparator.comparing((Integer i) -> -cost.get(i)).thenComparing(i -> i));
        }
        List<Runnable> tasks = new ArrayList<>();
        for (int trial : pending) {
            tasks.add(() -> {
                if (handle.shouldStop() || progress.stopped() || (deadline != null && !clock.instant().isBefore(deadline))) {
                    return;
                }
                Map<String, Object> point = bayesian ? proposals.propose(trial) : points.get(trial);
                handle.publish("trial", new TrialEvent(trial, "STARTED", point, null, null));
                TrialRecord record = trialRunner.run(trial, point, resolved, data, metric, foldOfRow, deadline, handle);
                if (record == null) {
                    if (bayesian) {
                        proposals.abandon(trial);
                    }
                    return;
                }
                trials.insertTrial(id, record);
                progress.record(record);
                if (bayesian) {
                    proposals.finish(record);
                }
                handle.publish("trial", new TrialEvent(trial, record.status(), record.params(), record.score(), record.error()));
            });
        }
        handle.runInParallel(tasks, Math.max(1, search.parallelism()));

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
        StopReason stopReason = finished.size() < points.size() ? StopReason.TIME_LIMIT : StopReason.COMPLETED;
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
        handle.finish(j -> j.succeed(finalModel, outcome, clock.instant()));
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

    /** Counters of a running search, shared by its trial threads. */
    private final class Progress {
        private final RunningJob handle;
        private final boolean higherIsBetter;
        private final int maxConsecutiveFailures;
        private final java.util.Set<Integer> finished = new java.util.HashSet<>();
        private int done;
        private int failed;
        private int consecutiveFailures;
        private Double best;
        private String lastError;
        private volatile boolean stopped;

        Progress(RunningJob handle, boolean higherIsBetter, int maxConsecutiveFailures, List<TrialRecord> stored) {
            this.handle = handle;
            this.higherIsBetter = higherIsBetter;
            this.maxConsecutiveFailures = maxConsecutiveFailures;
            stored.forEach(this::count);
            if (!stored.isEmpty()) {
                handle.recordTrials(done, failed, best);
            }
        }

        boolean isFinished(int index) {
            return finished.contains(index);
        }

        boolean stopped() {
            return stopped;
        }

        synchronized String lastError() {
            return lastError;
        }

        synchronized void record(TrialRecord trial) {
            count(trial);
            handle.recordTrials(done, failed, best);
        }

        private void count(TrialRecord trial) {
            finished.add(trial.index());
            done++;
            if (trial.succeeded()) {
                consecutiveFailures = 0;
                if (best == null || (higherIsBetter ? trial.score() > best : trial.score() < best)) {
                    best = trial.score();
                }
            } else {
                failed++;
                lastError = trial.error();
                if (++consecutiveFailures >= maxConsecutiveFailures) {
                    stopped = true;
                }
            }
        }
    }
}
