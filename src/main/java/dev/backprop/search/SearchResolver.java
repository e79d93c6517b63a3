package dev.backprop.search;

import dev.backprop.training.Direction;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.SearchType;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingJobSpec;
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

        Map<String, String> defaults = new LinkedHashMap<>();
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
            defaults.put("search.trialEarlyStopping", "val_loss, patience 10: each trial stops when its validation loss stops "
                    + "improving, so the search's time goes to settings that still improve and the refit trains for the best "
                    + "trial's best epoch count");
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
        int parallelism = search.parallelism() != null ? search.parallelism() : workers;
        if (parallelism < 1) {
            errors.add(new FieldError("search.parallelism", "must be at least 1, was " + parallelism));
        }
        if (search.maxRuntimeSeconds() != null && search.maxRuntimeSeconds() < 1) {
            errors.add(new FieldError("search.maxRuntimeSeconds", "must be at least 1, was " + search.maxRuntimeSeconds()));
        }
        int maxFailures = search.maxConsecutiveFailures() != null ? search.maxConsecutiveFailures() : DEFAULT_MAX_CONSECUTIVE_FAILURES;
        if (maxFailures < 1) {
            errors.add(new FieldError("search.maxConsecutiveFailures", "must be at least 1, was " + maxFailures));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        long seed = search.seed() != null ? search.seed() : ThreadLocalRandom.current().nextLong(1L << 48);
        SearchSpec resolved = new SearchSpec(search.type(), search.space(), metricName, mode, maxTrials,
                search.maxRuntimeSeconds(), parallelism, seed, folds, search.refit() == null || search.refit(), maxFailures);
        return base.withSearch(resolved, trials, defaults, List.of());
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
