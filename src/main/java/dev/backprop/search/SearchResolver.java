package dev.backprop.search;

import dev.backprop.training.Direction;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.SearchStrategy;
import dev.backprop.training.SearchType;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import dev.backprop.nn.Task;
import dev.backprop.platform.ApiException;
import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.platform.BackpropProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * Validates a search request: the base training request (as for a single run), the parameter space,
 * the ranking metric against the task, the budget and the evaluation; fills every default.
 */
@Component
public class SearchResolver {

    static final int DEFAULT_RANDOM_TRIALS = 10;
    static final int DEFAULT_MAX_CONSECUTIVE_FAILURES = 5;
    static final int MAX_FOLDS = 20;

    private final JobSpecResolver resolver;
    private final SearchParameters parameters;
    private final BackpropProperties.Limits limits;
    private final int workers;

    /** Folds of a search whose request holds no rows out: scikit-learn's {@code cv} default. */
    static final int DEFAULT_FOLDS = 5;

    public SearchResolver(JobSpecResolver resolver, SearchParameters parameters, BackpropProperties properties) {
        this.resolver = resolver;
        this.parameters = parameters;
        this.limits = properties.limits();
        this.workers = properties.jobs().effectiveWorkers();
    }

    /**
     * @throws ApiException a 400 listing every field at fault
     */
    public ResolvedTrainingJob resolve(TrainingJobSpec spec, SearchSpec search, TrainingData data) {
        ResolvedTrainingJob base = resolver.resolve(spec, data);
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        if (search.type() == SearchType.AUTO) {
            Integer batchSize = AutoSearch.batchSize(base);
            if (batchSize != null) {
                TrainingConfig asked = spec.training() == null ? TrainingConfig.empty() : spec.training();
                base = resolver.resolve(spec.withTraining(asked.withBatchSize(batchSize)), data);
                defaults.put("training.batchSize", AutoSearch.batchSizeReason(batchSize));
            }
            search = AutoSearch.choose(search, base, limits.maxTrials(), defaults, errors);
        }
        boolean random = search.type().samples();
        ParameterSpace space = parameters.parse(search.space(), base.spec(), random, errors);

        Task task = base.engineTask();
        String metricName = search.metric() != null ? search.metric() : task == Task.CLASSIFICATION ? "accuracy" : "r2";
        SearchMetric metric = null;
        try {
            metric = SearchMetric.named(metricName);
            if (metric.isForClassification() != (task == Task.CLASSIFICATION)) {
                errors.add(new FieldError("search.metric", metricName + " is a " + (metric.isForClassification() ? "classification"
                        : "regression") + " metric; this task is " + base.task()));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("search.metric", e.getMessage()));
        }
        Direction mode = search.mode() != null ? search.mode()
                : metric == null || metric.higherIsBetter() ? Direction.MAX : Direction.MIN;

        Integer folds = search.folds();
        if (folds != null && (folds < 2 || folds > Math.min(MAX_FOLDS, base.data().rows()))) {
            errors.add(new FieldError("search.folds", "must be between 2 and " + Math.min(MAX_FOLDS, base.data().rows()) + ", was " + folds));
        }
        if (folds == null && base.data().validationRows() == 0) {
            folds = Math.max(2, Math.min(DEFAULT_FOLDS, base.data().rows()));
            defaults.put("search.folds", folds + ": no rows are held out, so trials are ranked by " + folds + "-fold "
                    + "cross-validation, as scikit-learn's GridSearchCV");
        }
        if (base.defaults().containsKey("training.earlyStopping")) {
            defaults.put("search.trialEarlyStopping", search.type() == SearchType.AUTO
                    ? "loss, patience 10, minDelta 1e-4: each trial's folds train as its refit will, until the training loss "
                    + "settles (scikit-learn's MLP rule), so cross-validation scores the procedure that makes the model; "
                    + "stopping on the validation fold would score each trial at the epoch its scored rows liked best, which "
                    + "the refit on every row cannot do, and favour weak regularisation"
                    : "val_loss, patience 10: each trial stops when its validation loss stops improving, so the search's time "
                    + "goes to settings that still improve; the refit, with no validation rows, trains until its training loss "
                    + "settles (patience 10, minDelta 1e-4) and never fewer epochs than the best trial's best epoch count");
        }

        int trials = 0;
        Integer maxTrials = search.maxTrials();
        if (maxTrials != null && (maxTrials < 1 || maxTrials > limits.maxTrials())) {
            errors.add(new FieldError("search.maxTrials", "must be between 1 and " + limits.maxTrials() + ", was " + maxTrials));
        } else if (errors.isEmpty()) {
            if (random) {
                maxTrials = maxTrials != null ? maxTrials : DEFAULT_RANDOM_TRIALS;
                trials = space.isFinite() ? (int) Math.min(maxTrials, space.gridSize()) : maxTrials;
            } else {
                long size = gridSizeOrMax(space);
                long cap = maxTrials != null ? maxTrials : limits.maxTrials();
                if (size > cap) {
                    errors.add(new FieldError("search.space", "the grid has " + (size == Long.MAX_VALUE ? "too many" : size)
                            + " points; the limit is " + cap));
                }
                trials = (int) Math.min(size, cap);
                maxTrials = maxTrials != null ? maxTrials : trials;
            }
        }
        int parallelism = search.parallelism() != null ? search.parallelism() : TrialUnits.spreads(search) ? Math.max(1, trials) : workers;
        if (search.parallelism() == null && TrialUnits.spreads(search)) {
            defaults.put("search.parallelism", parallelism + " (every trial): the trials are units of the queue, so every free "
                    + "worker of every replica on the database may run one; parallelism caps them on all replicas together");
        }
        if (parallelism < 1) {
            errors.add(new FieldError("search.parallelism", "must be at least 1, was " + parallelism));
        }
        if (search.maxRuntimeSeconds() != null && (search.maxRuntimeSeconds().compareTo(SearchSpec.MIN_RUNTIME_SECONDS) < 0
                || search.maxRuntimeSeconds().compareTo(SearchSpec.MAX_RUNTIME_SECONDS) > 0)) {
            errors.add(new FieldError("search.maxRuntimeSeconds", "must be between " + SearchSpec.MIN_RUNTIME_SECONDS + " and "
                    + SearchSpec.MAX_RUNTIME_SECONDS + " seconds (fractions allowed), was "
                    + search.maxRuntimeSeconds().stripTrailingZeros().toPlainString()));
        }
        int maxFailures = search.maxConsecutiveFailures() != null ? search.maxConsecutiveFailures() : DEFAULT_MAX_CONSECUTIVE_FAILURES;
        if (maxFailures < 1) {
            errors.add(new FieldError("search.maxConsecutiveFailures", "must be at least 1, was " + maxFailures));
        }
        MedianRule median = medianRule(search, errors);
        Integer eta = halvingEta(search, trials, base.spec().training().epochs(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        long seed = search.seed() != null ? search.seed() : ThreadLocalRandom.current().nextLong(1L << 48);
        SearchSpec resolved = new SearchSpec(search.type(), search.space(), metricName, mode, maxTrials,
                search.maxRuntimeSeconds(), parallelism, seed, folds, search.refit() == null || search.refit(), maxFailures,
                median == null ? null : true, median == null ? null : median.minEpochs(), median == null ? null : median.minTrials(),
                search.strategy(), eta);
        return base.withSearch(resolved, trials, search.halving() ? rungs(resolved, trials, base.spec().training().epochs()).runs() : null,
                defaults, List.of());
    }

    private record MedianRule(int minEpochs, int minTrials) {
    }

    /** The median stopping rule's settings with their defaults, or null when it is off (its settings then a mistake). */
    private static MedianRule medianRule(SearchSpec search, List<FieldError> errors) {
        if (!search.stopsAtMedian()) {
            if (search.medianStoppingMinEpochs() != null) {
                errors.add(new FieldError("search.medianStoppingMinEpochs", "applies only with search.medianStopping true"));
            }
            if (search.medianStoppingMinTrials() != null) {
                errors.add(new FieldError("search.medianStoppingMinTrials", "applies only with search.medianStopping true"));
            }
            return null;
        }
        if (search.halving()) {
            errors.add(new FieldError("search.medianStopping", "does not combine with strategy " + search.strategy().wireName()
                    + ", which stops trials by rungs"));
        }
        int minEpochs = search.medianStoppingMinEpochs() != null ? search.medianStoppingMinEpochs() : MedianStopping.DEFAULT_MIN_EPOCHS;
        if (minEpochs < 1) {
            errors.add(new FieldError("search.medianStoppingMinEpochs", "must be at least 1, was " + minEpochs));
        }
        int minTrials = search.medianStoppingMinTrials() != null ? search.medianStoppingMinTrials() : MedianStopping.DEFAULT_MIN_TRIALS;
        if (minTrials < 1) {
            errors.add(new FieldError("search.medianStoppingMinTrials", "must be at least 1, was " + minTrials));
        }
        return new MedianRule(minEpochs, minTrials);
    }

    /** Successive halving's η with its default, or null without halving; 400 when there would be a single rung. */
    private static Integer halvingEta(SearchSpec search, int trials, int epochs, List<FieldError> errors) {
        if (!search.halving()) {
            if (search.halvingEta() != null) {
                errors.add(new FieldError("search.halvingEta", "applies only with search.strategy halving or hyperband"));
            }
            return null;
        }
        int eta = search.halvingEta() != null ? search.halvingEta() : SuccessiveHalving.DEFAULT_ETA;
        if (eta < 2 || eta > SuccessiveHalving.MAX_ETA) {
            errors.add(new FieldError("search.halvingEta", "must be between 2 and " + SuccessiveHalving.MAX_ETA + ", was " + eta));
        } else if (errors.isEmpty() && SuccessiveHalving.lastRung(trials, epochs, eta) < 1) {
            errors.add(new FieldError("search.strategy", search.strategy().wireName() + " needs at least η = " + eta + " trials and " + eta
                    + " epochs for a second rung; the search has " + trials + " trials of " + epochs + " epochs"));
        }
        return eta;
    }

    /** The rungs of a search with {@code strategy} halving or hyperband, of {@code trials} trials of {@code epochs} epochs. */
    static Hyperband rungs(SearchSpec search, int trials, int epochs) {
        return search.strategy() == SearchStrategy.HYPERBAND ? Hyperband.of(trials, epochs, search.halvingEta())
                : Hyperband.halving(trials, epochs, search.halvingEta());
    }

    /** The space a resolved search explores. */
    public ParameterSpace space(ResolvedTrainingJob job) {
        SearchSpec search = job.search();
        return parameters.parse(search.space(), job.spec(), search.type().samples(), new ArrayList<>());
    }

    /**
     * The trials' parameter sets of a grid or random search, in trial order (a Bayesian search proposes
     * its points as trials finish: {@link BayesianProposals}).
     */
    public List<java.util.Map<String, Object>> trials(ResolvedTrainingJob job) {
        SearchSpec search = job.search();
        ParameterSpace space = space(job);
        return search.type() == SearchType.RANDOM_SEARCH ? space.sample(job.trials(), search.seed()) : space.grid();
    }

    private static long gridSizeOrMax(ParameterSpace space) {
        try {
            return space.gridSize();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
