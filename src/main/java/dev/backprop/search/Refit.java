package dev.backprop.search;

import dev.backprop.job.RunningJob;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.ModelProvenance;
import dev.backprop.model.ModelProvenance.RefitRule;
import dev.backprop.model.TrainedModel;
import dev.backprop.model.Warning;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.Monitor;
import dev.backprop.nn.Network;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingResult;
import dev.backprop.nn.TrainingSpec;
import dev.backprop.training.Direction;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.ModelEvaluation;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
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
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a search's best parameters once more as the search's model (scikit-learn's {@code refit}), by one of
 * three rules, recorded in the model's provenance ({@link ModelProvenance.Refit}):
 * <ul>
 * <li>{@link RefitRule#HOLDOUT} (an auto search whose trials stopped on validation rows): it holds out
 *     {@link #HOLDOUT_FRACTION} of the rows (stratified for classification, as the request's split) and stops on
 *     them by the trials' own early stopping, keeping its best epoch's weights, as scikit-learn's MLP with
 *     {@code early_stopping=True, validation_fraction=0.1} and Keras' {@code validation_split} with
 *     {@code EarlyStopping(restore_best_weights=True)} do. The principle: the search scored models that were
 *     stopped at their validation minimum, so the refit is trained the way its score was measured; trained past that
 *     minimum it is another model (on the iris fold 4 the best trial's minimum was epoch 6 of 15, and a refit
 *     trained until its training loss settled reached training accuracy 1.0 and test 0.833). Stopping on the holdout
 *     rather than using it to pick an epoch count and training again on every row (H2O's way with cross-validation):
 *     at the high learning rates a search favours the minimum moves by several epochs between two runs of other
 *     initial weights and batch orders, so an epoch count does not carry over; and a second run would cost the
 *     budget's time twice. The price is a tenth of the rows, which this mode, choosing everything itself, pays.
 *     With fewer than {@link #MIN_HOLDOUT_ROWS} rows to hold out it falls back to the next rule.
 *     When the search ranks by the headline metric and its trials stop by the service's default, the refit stops on
 *     the held-out rows' <em>score</em> (accuracy, R²), ties broken by their validation loss, with the trials' patience:
 *     the epoch it keeps is the one the search's leaderboard would rank first (score, then validation loss), and
 *     scikit-learn's {@code early_stopping} watches the validation score too. On the loss, at the high learning rates a
 *     search favours, the refit kept epoch 1 or 2 of breast cancer and wine (bench/NOTES.md): the cross-entropy of a few
 *     dozen rows rises as soon as the model grows confident, while their accuracy still rises or holds. For regression
 *     R² falls as the held-out squared error rises, so the two stop alike there.</li>
 * <li>{@link RefitRule#TRAINING_LOSS} (grid, random and Bayesian searches, whose trials early-stopped): every row,
 *     until the training loss settles (the request's own early stopping when it watches the training rows, else
 *     patience 10, minDelta 1e-4), up to the trials' epochs, never before the best trial's best epoch count. These
 *     searches refit as scikit-learn's {@code GridSearchCV(refit=True)} does: the estimator as configured, on every
 *     row. Not the best epoch count alone: the validation loss bottoms out early at high learning rates while the
 *     model still improves (on breast cancer, refits of 5–22 epochs scored 0.963 against 0.972 for the same
 *     parameters trained to convergence).</li>
 * <li>{@link RefitRule#EPOCHS} (trials without early stopping): every row, the trials' full epochs.</li>
 * </ul>
 */
@Component
class Refit {

    /** Rows an auto search's refit holds out to stop on: scikit-learn's {@code validation_fraction} default. */
    static final double HOLDOUT_FRACTION = 0.1;
    /**
     * Fewest rows worth stopping on: with fewer, one row moves the validation loss by a tenth or more of its value, and
     * the minimum is noise (from 95 rows on, a tenth is at least 10).
     */
    static final int MIN_HOLDOUT_ROWS = 10;

    private final JobSpecResolver resolver;
    private final SearchParameters parameters;
    private final JsonMapper json;
    private final Clock clock;

    Refit(JobSpecResolver resolver, SearchParameters parameters, JsonMapper json, Clock clock) {
        this.resolver = resolver;
        this.parameters = parameters;
        this.json = json;
        this.clock = clock;
    }

    /** The rule a search's refit follows; {@code holdoutAllowed} for an auto search. */
    static RefitRule ruleOf(ResolvedTrainingJob search, boolean holdoutAllowed) {
        EarlyStoppingConfig trials = TrialRunner.trialEarlyStopping(search, search.spec().training());
        if (trials == null) {
            return RefitRule.EPOCHS;
        }
        int rows = search.data().trainingRows() + search.data().validationRows();
        boolean onValidationRows = !trials.watchesTrainingRows();
        return holdoutAllowed && onValidationRows && Math.round(HOLDOUT_FRACTION * rows) >= MIN_HOLDOUT_ROWS
                ? RefitRule.HOLDOUT : RefitRule.TRAINING_LOSS;
    }

    /**
     * Whether an auto search's holdout refit stops on the held-out rows' score rather than their loss: when the trials
     * stop by the service's default (the request chose no early stopping of its own) and the search ranks by the
     * headline metric, which the engine measures each epoch (accuracy, R²).
     */
    static boolean stopsOnScore(ResolvedTrainingJob search) {
        String headline = search.engineTask().headlineMetricName();
        return search.defaults().containsKey("training.earlyStopping") && headline.equals(search.search().metric());
    }

    /**
     * How a holdout refit stops: on the held-out rows' score when {@link #stopsOnScore}, with the trials' patience and
     * no minimum change (a score of a few rows moves in whole rows), ties broken by the validation loss; else as the
     * trials stopped.
     */
    private static EarlyStoppingConfig holdoutStopping(ResolvedTrainingJob search, TrainingConfig training) {
        EarlyStoppingConfig trials = TrialRunner.trialEarlyStopping(search, training);
        return stopsOnScore(search) ? new EarlyStoppingConfig(Monitor.VAL_METRIC.wireName(), Direction.MAX, trials.patience(), 0.0)
                : trials;
    }

    /**
     * The refit model of {@code best}, not yet stored; null when cancelled.
     *
     * @param deadline when the search's budget ends (an auto search's refit is inside it: it then keeps its best
     *                 epoch's weights), or null
     */
    TrainedModel train(UUID jobId, ResolvedTrainingJob search, TrainingData data, TrialRecord best, RefitRule rule,
                       RunningJob handle, List<Warning> searchWarnings, Instant deadline) {
        SearchSpec spec = search.search();
        TrainingJobSpec bestSpec = parameters.apply(search.spec(), best.params(), spec.seed());
        TrainingConfig training = bestSpec.training();
        TrainingConfig refitTraining = switch (rule) {
            case HOLDOUT -> training.forHoldoutRefit(HOLDOUT_FRACTION, spec.seed(), holdoutStopping(search, training));
            case TRAINING_LOSS -> {
                EarlyStoppingConfig own = training.earlyStopping();
                yield training.forRefit(training.epochs(), spec.seed()).withEarlyStopping(own != null && own.watchesTrainingRows()
                        ? own : EarlyStoppingConfig.onTrainingLoss());
            }
            case EPOCHS -> training.forRefit(training.epochs(), spec.seed());
        };
        ResolvedTrainingJob refit = resolver.resolve(bestSpec.withTraining(refitTraining), data);
        TrainingPlan plan = resolver.plan(refit, data);
        TrainingSpec engine = plan.training();
        if (rule == RefitRule.TRAINING_LOSS && best.bestEpoch() != null) {
            engine = engine.withEarlyStopping(engine.earlyStopping().withMinEpochs(Math.min(best.bestEpoch(), engine.epochs())));
        }
        boolean onScore = rule == RefitRule.HOLDOUT && stopsOnScore(search);
        if (onScore) {
            engine = engine.withEarlyStopping(engine.earlyStopping().withLossBreakingTies());
        }
        if (deadline != null) {
            engine = engine.withMaxRuntime(Duration.ofMillis(Math.max(1, Duration.between(clock.instant(), deadline).toMillis())));
        }
        Network network = Network.initialize(plan.network(), plan.random());
        TrainingResult result = new Trainer().train(network, plan.trainingData(), plan.validation(), engine, plan.random(),
                handle::shouldStop, EpochListener.NONE);
        if (result.stopReason() == StopReason.CANCELLED) {
            return null;
        }
        plan.restoreTargetUnitsInPlace(network);
        FinalMetrics evaluated = ModelEvaluation.evaluate(network, plan, result);
        List<Warning> warnings = new ArrayList<>(evaluated.warnings());
        warnings.addAll(searchWarnings);
        int holdoutRows = plan.validation() == null ? 0 : plan.validation().rows();
        ModelProvenance.Refit how = new ModelProvenance.Refit(rule, holdoutRows, result.history().size(), result.bestEpoch(),
                result.stopReason(), engine.earlyStopping() == null ? null : engine.earlyStopping().monitor().wireName(),
                onScore ? Monitor.VAL_LOSS.wireName() : null);
        ModelProvenance provenance = ModelProvenance.ofThisVersion(spec.type().wireName(), best.params(), json.valueToTree(refit.spec()),
                refit.spec().training().seed(), data.datasetId(), plan.trainingData().rows(), data.table().rowCount(), how);
        return new TrainedModel(UUID.randomUUID(), jobId, clock.instant(), plan.task(), plan.featureNames(), plan.targetColumn(),
                plan.pipeline(), plan.labels(), network, new FinalMetrics(evaluated.training(), evaluated.validation(),
                evaluated.baseline(), warnings), provenance);
    }
}
