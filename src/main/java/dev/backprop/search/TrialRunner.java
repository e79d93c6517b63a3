package dev.backprop.search;

import dev.backprop.job.RunningJob;
import dev.backprop.model.MetricsReport;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Metrics;
import dev.backprop.nn.Network;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingDivergedException;
import dev.backprop.nn.TrainingResult;
import dev.backprop.nn.TrainingSpec;
import dev.backprop.platform.ApiException;
import dev.backprop.training.Direction;
import dev.backprop.training.EpochRecord;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.PreparedFolds;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchType;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import dev.backprop.training.TrainingPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one trial of a search: the base request with the trial's values and seed, trained on its holdout
 * or on each cross-validation fold, scored in the target's units, with what breaks ties (validation loss,
 * parameter count) and what a refit needs (the best epoch).
 */
@Component
class TrialRunner {

    private static final Logger log = LoggerFactory.getLogger(TrialRunner.class);

    private final JobSpecResolver resolver;
    private final SearchParameters parameters;
    private final Clock clock;

    TrialRunner(JobSpecResolver resolver, SearchParameters parameters, Clock clock) {
        this.resolver = resolver;
        this.parameters = parameters;
        this.clock = clock;
    }

    /** Early stopping of trials whose request left it out: the validation loss, patience 10, best weights kept. */
    private static final EarlyStoppingConfig TRIAL_EARLY_STOPPING = new EarlyStoppingConfig("val_loss", Direction.MIN, 10, 0.0);

    /**
     * How a search's trials stop early: unless the request chose its own (null for not at all), {@link #TRIAL_EARLY_STOPPING},
     * and for an auto search the rule its refit trains by, the training loss ({@link EarlyStoppingConfig#onTrainingLoss}).
     *
     * <p>Why an auto search differs. A trial stopped on its validation fold's loss keeps the weights of the epoch that
     * fold liked best, so its score measures "train, and stop where the scored rows say": a procedure the refit cannot
     * follow, since it trains on every row and stops on its training loss. Cross-validation estimates the error of the
     * procedure it runs, so it must run the one that is deployed, every step included (Hastie, Tibshirani &amp; Friedman,
     * "The Elements of Statistical Learning", 2009, §7.10.2; Varma &amp; Simon, "Bias in error estimation when using
     * cross-validation for model selection", BMC Bioinformatics 7, 2006; Cawley &amp; Talbot, JMLR 11, 2010). The
     * mismatch is not neutral: stopping on the scored rows is itself a regulariser and a fit to those rows, so it
     * favours weak L2 and high rates, whose refit then trains on to its training loss's plateau without that stop.
     * That is what the benchmark showed on iris's hard outer fold (bench/NOTES.md, the twelfth session's auto7
     * section): trials early-stopped at 5–30 epochs scored 0.96–0.97 in CV with l2 1e-5–2e-4, and their refits, at
     * 200 epochs, 0.80–0.87 on the test rows, where scikit-learn's CV, whose MLP trains by the same training-loss rule in
     * its folds as in its refit, chose alpha 0.15–3.3 and scored 0.90–0.97. The other searches keep the validation rule:
     * their refit trains at least the best trial's best epochs, and their benchmarks were measured with it.
     */
    static EarlyStoppingConfig trialEarlyStopping(ResolvedTrainingJob search, TrainingConfig training) {
        if (!search.defaults().containsKey("training.earlyStopping")) {
            return training.earlyStopping();
        }
        return search.search() != null && search.search().type() == SearchType.AUTO ? EarlyStoppingConfig.onTrainingLoss()
                : TRIAL_EARLY_STOPPING;
    }

    /** The seed of trial {@code index}: the same whatever the parallelism or the order trials run in. */
    static long trialSeed(long searchSeed, int index) {
        return new SplittableRandom(searchSeed + index * 0x9E3779B97F4A7C15L).nextLong();
    }

    /** Relative cost of a trial: parameters × epochs; 0 for a combination that does not resolve. */
    long estimatedCost(ResolvedTrainingJob search, Map<String, Object> params, TrainingData data) {
        try {
            ResolvedTrainingJob trial = resolver.resolve(parameters.apply(search.spec(), params, 0), data);
            return trial.parameterCount() * trial.spec().training().epochs();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * How long a trial trains.
     *
     * @param rung       its successive-halving rung (0 without halving)
     * @param epochShare the share of its epochs it trains (1 but in halving's rungs before the last)
     * @param median     the median stopping rule watching it, or null
     */
    record Budget(int rung, double epochShare, MedianStopping median) {

        /** Every epoch, without the median stopping rule. */
        static final Budget FULL = new Budget(0, 1, null);
    }

    /** Runs one trial; null when it was interrupted (cancel or shutdown) and must not be recorded. */
    TrialRecord run(int index, Map<String, Object> params, ResolvedTrainingJob search, TrainingData data, PreparedFolds prepared,
                    SearchMetric metric, int[] foldOfRow, Instant deadline, RunningJob handle, Budget budget) {
        return run(index, params, search, data, prepared, metric, foldOfRow, deadline, handle::shouldStop, epoch -> { }, budget);
    }

    /**
     * Runs one trial, asking {@code shouldStop} between mini-batches and telling {@code epochDone} each epoch
     * of each fold; null when it was stopped that way and must not be recorded.
     *
     * @param prepared the search's preparations, which its trials share (each fold is encoded once, not per trial)
     */
    TrialRecord run(int index, Map<String, Object> params, ResolvedTrainingJob search, TrainingData data, PreparedFolds prepared,
                    SearchMetric metric,
                    int[] foldOfRow, Instant deadline, BooleanSupplier shouldStop, IntConsumer epochDone, Budget budget) {
        long seed = trialSeed(search.search().seed(), index);
        long start = System.nanoTime();
        int rung = budget.rung();
        try {
            TrainingJobSpec spec = trialSpec(search, params, seed, deadline, budget.epochShare());
            List<Double> scores = new ArrayList<>();
            Double holdoutSpread = null;
            double validationLossSum = 0;
            double bestEpochSum = 0;
            long parameterCount = 0;
            List<EpochRecord> history = null;
            boolean medianStopped = false;
            int folds = foldOfRow == null ? 1 : search.search().folds();
            for (int fold = 0; fold < folds && !medianStopped; fold++) {
                TrainingPlan plan = foldOfRow == null ? resolver.resolveAndPlan(spec, data, search.search().seed(), prepared)
                        : resolver.planFold(spec, data, foldOfRow, fold, prepared);
                List<EpochRecord> epochs = new ArrayList<>();
                Network network = Network.initialize(plan.network(), plan.random());
                // the rule watches the first fold only: its history is the one kept
                MedianStopping.Watch watch = fold == 0 && budget.median() != null ? budget.median().watch() : null;
                EpochListener listener = fold != 0 ? e -> epochDone.accept(e.epoch()) : e -> {
                    epochDone.accept(e.epoch());
                    epochs.add(EpochRecord.of(e));
                    if (watch != null) {
                        watch.onEpoch(e);
                    }
                };
                TrainingResult result = new Trainer().train(network, plan.trainingData(), plan.validation(), withinBudget(plan, deadline),
                        plan.random(), () -> shouldStop.getAsBoolean() || (watch != null && watch.isCancellationRequested()), listener);
                if (result.stopReason() == StopReason.CANCELLED) {
                    if (shouldStop.getAsBoolean() || watch == null || !watch.isCancellationRequested()) {
                        return null;
                    }
                    // stopped by the rule: scored as it stands, on this fold alone
                    medianStopped = true;
                    folds = 1;
                }
                if (result.history().isEmpty()) {
                    // the search's budget ended before this fold's first epoch: nothing to score, the folds before it stand
                    if (fold == 0) {
                        return null;
                    }
                    folds = fold;
                    break;
                }
                if (fold == 0) {
                    history = epochs;
                }
                plan.restoreTargetUnitsInPlace(network);
                Double score = metric.valueIn(report(network, plan.validationInTargetUnits(), plan));
                if (foldOfRow == null) {
                    LabeledData validation = plan.validationInTargetUnits();
                    holdoutSpread = HoldoutSpread.of(metric, validation.predictedBy(network), validation,
                            plan.task(), plan.labels() == null ? null : plan.labels().labels(), seed);
                }
                Double validationLoss = result.history().get(result.bestEpoch() - 1).validationLoss();
                validationLossSum += validationLoss == null ? Double.NaN : validationLoss;
                bestEpochSum += result.bestEpoch();
                parameterCount = plan.network().parameterCount();
                if (score == null || !Double.isFinite(score)) {
                    return failed(index, params, seed, start, rung, metric.wireName() + " is undefined on fold " + (fold + 1)
                            + " (e.g. a single class in its validation rows)");
                }
                scores.add(score);
            }
            double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            // across folds: the population standard deviation, as scikit-learn's std_test_score; on one holdout: the bootstrap's
            Double std = foldOfRow != null
                    ? Math.sqrt(scores.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / scores.size())
                    : holdoutSpread;
            double meanValidationLoss = validationLossSum / folds;
            String stopReason = medianStopped ? TrialRecord.MEDIAN_STOPPING : budget.epochShare() < 1 ? TrialRecord.HALVING : null;
            return new TrialRecord(index, params, "SUCCEEDED", mean, std, foldOfRow == null ? null : scores, millisSince(start),
                    null, seed, history, Double.isFinite(meanValidationLoss) ? meanValidationLoss : null, parameterCount,
                    (int) Math.round(bestEpochSum / folds), rung, history.size(), stopReason);
        } catch (ApiException e) {
            String detail = e.errors().isEmpty() ? e.getMessage()
                    : e.errors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
            return failed(index, params, seed, start, rung, "invalid combination: " + detail);
        } catch (TrainingDivergedException e) {
            return failed(index, params, seed, start, rung, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Trial {} failed unexpectedly", index, e);
            return failed(index, params, seed, start, rung, "the trial failed unexpectedly; the error has been logged");
        }
    }

    /**
     * One trial's request: the base with the trial's values and seed; early stopping on the validation
     * loss unless the request chose its own (so that the search's time goes to settings that still
     * improve, and the refit learns how long to train); its epochs cut to a halving rung's share; and its
     * budget capped at what remains of the search's.
     */
    private TrainingJobSpec trialSpec(ResolvedTrainingJob search, Map<String, Object> params, long seed, Instant deadline,
                                      double epochShare) {
        TrainingJobSpec spec = parameters.apply(search.spec(), params, seed);
        TrainingConfig training = spec.training();
        if (epochShare < 1) {
            training = withEpochs(training, (int) Math.max(1, Math.round(training.epochs() * epochShare)));
        }
        training = training.withEarlyStopping(trialEarlyStopping(search, training));
        if (deadline != null) {
            long remaining = Math.max(1, (long) Math.ceil(Duration.between(clock.instant(), deadline).toMillis() / 1000.0));
            Integer own = training.maxRuntimeSeconds();
            training = training.withMaxRuntimeSeconds((int) Math.min(own == null ? Integer.MAX_VALUE : own, remaining));
        }
        return spec.withTraining(training);
    }

    /**
     * A fold's engine settings, its time cut to what is left of the search's budget to the millisecond: the request's
     * whole seconds, fixed when the trial starts, would let each later fold overrun the budget by up to a second.
     */
    private TrainingSpec withinBudget(TrainingPlan plan, Instant deadline) {
        TrainingSpec training = plan.training();
        if (deadline == null) {
            return training;
        }
        Duration left = Duration.ofMillis(Math.max(1, Duration.between(clock.instant(), deadline).toMillis()));
        return training.maxRuntime() != null && training.maxRuntime().compareTo(left) < 0 ? training : training.withMaxRuntime(left);
    }

    /** These settings with fewer epochs (built here so the shared spec needs no method only halving uses). */
    private static TrainingConfig withEpochs(TrainingConfig t, int epochs) {
        return new TrainingConfig(t.loss(), t.optimizer(), t.learningRate(), t.momentum(), t.nesterov(), t.beta1(), t.beta2(),
                t.rho(), t.epsilon(), epochs, t.batchSize(), t.l1(), t.l2(), t.seed(), t.validationFraction(), t.validationSplit(),
                t.scaling(), t.imputation(), t.unknownCategories(), t.earlyStopping(), t.schedule(), t.clipNorm(),
                t.maxRuntimeSeconds(), t.targetScaling(), t.classWeights());
    }

    private static TrialRecord failed(int index, Map<String, Object> params, long seed, long start, int rung, String error) {
        return new TrialRecord(index, params, "FAILED", null, null, null, millisSince(start), error, seed, null, null, null, null,
                rung, null, null);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static MetricsReport report(Network network, LabeledData data, TrainingPlan plan) {
        double[] outputs = data.predictedBy(network);
        return MetricsReport.of(Metrics.evaluate(plan.task(), outputs, data.targets(), data.rows(), data.targetCount()),
                plan.labels() == null ? null : plan.labels().labels(), data.rows());
    }
}
