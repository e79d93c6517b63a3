package dev.backprop.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.model.Warning;
import dev.backprop.job.JobSpec;
import dev.backprop.job.JobType;
import dev.backprop.nn.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A validated training request with every default filled in: what a job stores and runs.
 *
 * @param spec           the request with defaults
 * @param task           the task trained
 * @param taskInferred   whether the task was inferred rather than given
 * @param data           what was read from the data
 * @param parameterCount trainable weights and biases (of the base network, for a search)
 * @param search         the resolved search, or null for a single training run
 * @param trials         the trials a search runs, or 0
 * @param defaults       each setting the client left out, with the value chosen and why (absent in jobs
 *                       stored before defaults were explained)
 * @param warnings       what the request and the data call for attention (absent in older jobs)
 * @param trialRuns      the runs a search's trials make in all when some run more than once (successive halving's
 *                       rungs: what its progress counts); null when each trial runs once
 */
public record ResolvedTrainingJob(TrainingJobSpec spec, String task, boolean taskInferred, DataSummary data,
                                  long parameterCount, SearchSpec search, int trials, Map<String, String> defaults,
                                  List<Warning> warnings, @JsonInclude(JsonInclude.Include.NON_NULL) Integer trialRuns)
        implements JobSpec {

    public ResolvedTrainingJob {
        defaults = defaults == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A single training run. */
    public ResolvedTrainingJob(TrainingJobSpec spec, String task, boolean taskInferred, DataSummary data, long parameterCount,
                               Map<String, String> defaults, List<Warning> warnings) {
        this(spec, task, taskInferred, data, parameterCount, null, 0, defaults, warnings, null);
    }

    /**
     * This job as a search, with the search's own choices and warnings added.
     *
     * @param runs the runs its trials make in all, or null when each runs once
     */
    public ResolvedTrainingJob withSearch(SearchSpec resolvedSearch, int trialCount, Integer runs, Map<String, String> searchDefaults,
                                          List<Warning> searchWarnings) {
        Map<String, String> allDefaults = new LinkedHashMap<>(defaults);
        allDefaults.putAll(searchDefaults);
        List<Warning> allWarnings = new ArrayList<>(warnings);
        allWarnings.addAll(searchWarnings);
        return new ResolvedTrainingJob(spec, task, taskInferred, data, parameterCount, resolvedSearch, trialCount, allDefaults,
                allWarnings, runs);
    }

    @Override
    public JobType jobType() {
        if (search == null) {
            return JobType.TRAINING;
        }
        return switch (search.type()) {
            case GRID_SEARCH -> JobType.GRID_SEARCH;
            case RANDOM_SEARCH -> JobType.RANDOM_SEARCH;
            case BAYESIAN_SEARCH -> JobType.BAYESIAN_SEARCH;
            case AUTO -> JobType.AUTO;
        };
    }

    /** The task trained, as the engine names it (stored as its wire name). */
    public Task engineTask() {
        return Task.valueOf(task.toUpperCase(Locale.ROOT));
    }

    @Override
    public int epochsTotal() {
        return spec.training().epochs();
    }

    @Override
    public int trialsTotal() {
        return trialRuns != null ? trialRuns : trials;
    }

    /** True for a search. (Not {@code isSearch}: JSON would read that as a second {@code search} property.) */
    public boolean hasSearch() {
        return search != null;
    }
}
