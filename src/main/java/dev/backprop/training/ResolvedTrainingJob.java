package dev.backprop.training;

import dev.backprop.job.JobSpec;
import dev.backprop.job.JobType;

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
 */
public record ResolvedTrainingJob(TrainingJobSpec spec, String task, boolean taskInferred, DataSummary data,
                                  long parameterCount, SearchSpec search, int trials) implements JobSpec {

    /** A single training run. */
    public ResolvedTrainingJob(TrainingJobSpec spec, String task, boolean taskInferred, DataSummary data, long parameterCount) {
        this(spec, task, taskInferred, data, parameterCount, null, 0);
    }

    /** This job as a search. */
    public ResolvedTrainingJob withSearch(SearchSpec resolvedSearch, int trialCount) {
        return new ResolvedTrainingJob(spec, task, taskInferred, data, parameterCount, resolvedSearch, trialCount);
    }

    @Override
    public JobType jobType() {
        if (search == null) {
            return JobType.TRAINING;
        }
        return "random_search".equals(search.type()) ? JobType.RANDOM_SEARCH : JobType.GRID_SEARCH;
    }

    @Override
    public int epochsTotal() {
        return spec.training().epochs();
    }

    @Override
    public int trialsTotal() {
        return trials;
    }

    /** True for a search. (Not {@code isSearch}: JSON would read that as a second {@code search} property.) */
    public boolean hasSearch() {
        return search != null;
    }
}
