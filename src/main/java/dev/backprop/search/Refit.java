package dev.backprop.search;

import dev.backprop.job.RunningJob;
import dev.backprop.job.SearchPhase;
import dev.backprop.platform.DatabaseOutages;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.ModelProvenance;
import dev.backprop.model.ModelProvenance.RefitRule;
import dev.backprop.model.TrainedModel;
import dev.backprop.model.Warning;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.Network;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingResult;
import dev.backprop.nn.TrainingSpec;
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
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains a search's best parameters once more as the search's model (scikit-learn's {@code refit}), by one of
 * two rules, recorded in the model's provenance ({@link ModelProvenance.Refit}):
 * <ul>
 * <li>{@link RefitRule#TRAINING_LOSS} (trials that early-stopped): every row, until the training loss settles (the
 *     request's own early stopping when it watches the training rows, else patience 10, minDelta 1e-4), up to the
 *     trials' epochs, never before the best trial's best epoch count. As scikit-learn's
 *     {@code GridSearchCV(refit=True)} / {@code RandomizedSearchCV(refit=True)} refit: the estimator as configured, on
 *     every row (its MLP stops on the training loss, {@code tol}, {@code n_iter_no_change=10}). Not the best epoch
 *     count alone: the validation loss bottoms out early at high learning rates while the model still improves (on
 *     breast cancer, refits of 5–22 epochs scored 0.963 against 0.972 for the same parameters trained to
 *     convergence).</li>
 * <li>{@link RefitRule#EPOCHS} (trials without early stopping): every row, the trials' full epochs.</li>
 * </ul>
 * An auto search refits {@link AutoSearch#ENSEMBLE_MEMBERS} networks by that rule, from the seeds {@code seed},
 * {@code seed + 1}, …, and merges them into one ({@link NetworkEnsemble}): a deep ensemble, whose mean has less
 * variance than any one member, the way AutoGluon bags and H2O's AutoML and auto-sklearn end in ensembles rather than
 * one model. Earlier auto searches held out a tenth of the rows and stopped one network on them ({@link
 * RefitRule#HOLDOUT}, still read from stored models): that network lost the rows and carried the noise of a 12–80-row
 * holdout, and fell short of scikit-learn on three of four benchmark sets (bench/NOTES.md).
 */
@Component
class Refit {

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

    /**
     * One member of an ensemble refit trained, for live followers.
     *
     * @param member     0 for the first
     * @param epochs     the epochs it trained
     * @param bestEpoch  the epoch whose weights it keeps
     * @param stopReason why it stopped ({@code TIME_LIMIT}: its share of the budget ended)
     */
    record MemberEvent(int member, long seed, int epochs, int bestEpoch, StopReason stopReason) {
    }

    private static void recordPhase(RunningJob handle, int done, int members, Instant endsAt) {
        try {
            handle.recordPhase(SearchPhase.REFIT, done, members, endsAt);
        } catch (RuntimeException e) {
            if (!DatabaseOutages.isOutage(e)) {
                throw e;
            }
            // a hint: the next member's write repairs it, and the search's end makes it moot
        }
    }

    /**
     * When a refit of {@code members} networks expects to end, by its own plan, at {@code now} with {@code done} of them
     * trained since {@code start}: each member left takes what the ones trained took on average, or its share of the time
     * left to the deadline if that is less (each gets an equal share, and the budget cuts one that would run longer), so
     * the refit ends after the members left at their mean time, or at the deadline. Before any member ends, the deadline:
     * the members run to their shares unless their training losses settle first, which nothing measured yet tells
     * (a trial's time does not: a trial stops on its validation rows, a member trains on every row until its training loss
     * settles). Null without a deadline and before a member ended.
     */
    static Instant endsAt(Instant start, Instant now, int done, int members, Instant deadline) {
        if (done == 0) {
            return deadline;
        }
        long meanMillis = Duration.between(start, now).toMillis() / done;
        Instant atTheirMean = now.plusMillis(meanMillis * (members - done));
        return deadline != null && deadline.isBefore(atTheirMean) ? deadline : atTheirMean;
    }

    /** The rule a search's refit follows. */
    static RefitRule ruleOf(ResolvedTrainingJob search) {
        return TrialRunner.trialEarlyStopping(search, search.spec().training()) == null ? RefitRule.EPOCHS : RefitRule.TRAINING_LOSS;
    }

    /**
     * The members an ensemble merges: those that trained at least one epoch, in member order. A member whose share of
     * the budget ended before its first epoch still holds its initial weights, and their random logits averaged into
     * the trained members' would only blur them; when no member trained, the first stands, as a one-network refit's would.
     */
    static List<Integer> trainedMembers(List<TrainingResult> results) {
        List<Integer> trained = IntStream.range(0, results.size()).filter(m -> !results.get(m).history().isEmpty()).boxed().toList();
        return trained.isEmpty() ? List.of(0) : trained;
    }

    /**
     * The refit model of {@code best}, not yet stored; null when cancelled.
     *
     * @param members  networks to train from consecutive seeds and merge ({@link NetworkEnsemble}); 1 for one network
     * @param deadline when the search's budget ends (an auto search's refit is inside it: each member gets an equal
     *                 share of the time left, and one the budget stops keeps its best epoch's weights), or null
     */
    TrainedModel train(UUID jobId, ResolvedTrainingJob search, TrainingData data, TrialRecord best, RefitRule rule, int members,
                       RunningJob handle, List<Warning> searchWarnings, Instant deadline) {
        SearchSpec spec = search.search();
        TrainingJobSpec bestSpec = parameters.apply(search.spec(), best.params(), spec.seed());
        TrainingConfig training = bestSpec.training();
        TrainingConfig refitTraining = switch (rule) {
            case TRAINING_LOSS -> {
                EarlyStoppingConfig own = training.earlyStopping();
                yield training.forRefit(training.epochs(), spec.seed()).withEarlyStopping(own != null && own.watchesTrainingRows()
                        ? own : EarlyStoppingConfig.onTrainingLoss());
            }
            case EPOCHS -> training.forRefit(training.epochs(), spec.seed());
            case HOLDOUT -> throw new IllegalArgumentException("a refit no longer holds out rows");
        };
        ResolvedTrainingJob refit = resolver.resolve(bestSpec.withTraining(refitTraining), data);
        TrainingPlan plan = resolver.plan(refit, data);
        TrainingSpec engine = plan.training();
        if (rule == RefitRule.TRAINING_LOSS && best.bestEpoch() != null) {
            engine = engine.withEarlyStopping(engine.earlyStopping().withMinEpochs(Math.min(best.bestEpoch(), engine.epochs())));
        }
        long seed = refit.spec().training().seed();
        List<Network> networks = new ArrayList<>();
        List<TrainingResult> results = new ArrayList<>();
        // an ensemble's members are a phase of their own (an auto search's last): counted on the job and told to followers
        boolean phaseOfItsOwn = members > 1;
        Instant refitStart = clock.instant();
        if (phaseOfItsOwn) {
            recordPhase(handle, 0, members, endsAt(refitStart, refitStart, 0, members, deadline));
        }
        for (int member = 0; member < members; member++) {
            TrainingSpec memberEngine = engine;
            if (deadline != null) {
                long left = Duration.between(clock.instant(), deadline).toMillis();
                memberEngine = engine.withMaxRuntime(Duration.ofMillis(Math.max(1, left / (members - member))));
            }
            // the first member trains on the plan's stream (SplittableRandom(seed), as a one-network refit), member m on
            // SplittableRandom(seed + m): its own initial weights and batch order on the same prepared rows
            SplittableRandom random = member == 0 ? plan.random() : new SplittableRandom(seed + member);
            Network network = Network.initialize(plan.network(), random);
            TrainingResult result = new Trainer().train(network, plan.trainingData(), plan.validation(), memberEngine, random,
                    handle::shouldStop, EpochListener.NONE);
            if (result.stopReason() == StopReason.CANCELLED) {
                return null;
            }
            networks.add(network);
            results.add(result);
            if (phaseOfItsOwn) {
                handle.publish("refit", new MemberEvent(member, seed + member, result.history().size(), result.bestEpoch(),
                        result.stopReason()));
                recordPhase(handle, member + 1, members, endsAt(refitStart, clock.instant(), member + 1, members, deadline));
            }
        }
        List<Integer> merged = trainedMembers(results);
        Network network = members == 1 ? networks.get(0) : NetworkEnsemble.merge(merged.stream().map(networks::get).toList());
        plan.restoreTargetUnitsInPlace(network);
        // the warnings of the member the budget cut, else of the first: the merged network has no history of its own
        TrainingResult told = results.stream().filter(r -> r.stopReason() == StopReason.TIME_LIMIT).findFirst().orElse(results.get(0));
        FinalMetrics evaluated = ModelEvaluation.evaluate(network, plan, told);
        List<Warning> warnings = new ArrayList<>(evaluated.warnings());
        warnings.addAll(searchWarnings);
        TrainingResult first = results.get(0);
        // the provenance lists the members merged, as the network holds them
        List<TrainingResult> mergedResults = merged.stream().map(results::get).toList();
        ModelProvenance.Ensemble ensemble = members == 1 ? null : new ModelProvenance.Ensemble(merged.size(),
                merged.stream().map(m -> seed + m).toList(),
                mergedResults.stream().map(r -> r.history().size()).toList(),
                mergedResults.stream().map(TrainingResult::bestEpoch).toList(),
                mergedResults.stream().map(TrainingResult::stopReason).toList(), NetworkEnsemble.MERGED);
        ModelProvenance.Refit how = new ModelProvenance.Refit(rule, 0, first.history().size(), first.bestEpoch(),
                first.stopReason(), engine.earlyStopping() == null ? null : engine.earlyStopping().monitor().wireName(), null, ensemble);
        ModelProvenance provenance = ModelProvenance.ofThisVersion(spec.type().wireName(), best.params(), json.valueToTree(refit.spec()),
                seed, data.datasetId(), plan.trainingData().rows(), data.table().rowCount(), how);
        return new TrainedModel(UUID.randomUUID(), jobId, clock.instant(), plan.task(), plan.featureNames(), plan.targetColumn(),
                plan.pipeline(), plan.labels(), network, new FinalMetrics(evaluated.training(), evaluated.validation(),
                evaluated.baseline(), warnings), provenance);
    }
}
